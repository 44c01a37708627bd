// Between-screener consistency on simulated contacts: 30 screeners (3 lenient at −0.8, 3 strict at
// +0.8, the rest SD 0.1 on the log-odds scale), a case mix the expected probabilities know, a shift
// every screener shares during the pilot, and every screener's bias × 0.5 during the pilot: the SD
// ratio 0.5 is inside its interval; with biases unchanged, a change is claimed on at most 3 of 20
// seeds; one screener, empty data → "too few".
import {describe, expect, it} from "vitest";
import {dersimonianLaird, screenerConsistency} from "../../../src/lib/impact/consistency.ts";
import type {Period} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {draws, expit, numbersIn, seeds} from "./simulate.ts";

type Simulated = {screener: string[]; shared: number[]; expected: number[]; period: Period[]; biases: number[]};

function simulate(seed: number, factor: number, perScreener = 220): Simulated {
  const d = draws(seed);
  const S = 30;
  const biases = Array.from({length: S}, (_, s) => (s < 3 ? -0.8 : s < 6 ? 0.8 : d.normal(0, 0.1)));
  const rec = {screener: [] as string[], shared: [] as number[], expected: [] as number[], period: [] as Period[], biases};
  for (const period of ["before", "during"] as const)
    for (let s = 0; s < S; s++)
      for (let i = 0; i < perScreener; i++) {
        const x = d.normal();
        const caseMix = -0.85 + 1.0 * x;
        const shift = period === "during" ? 0.3 : 0; // every screener shares more during the pilot
        const bias = biases[s] * (period === "during" ? factor : 1);
        rec.screener.push(`s${String(s).padStart(2, "0")}`);
        rec.period.push(period);
        rec.expected.push(expit(caseMix));
        rec.shared.push(d.bernoulli(expit(caseMix + shift + bias)));
      }
  return rec;
}

describe("dersimonianLaird", () => {
  it("gives τ² = 0 for identical effects and the moment estimate by hand otherwise", () => {
    expect(dersimonianLaird([1, 1, 1].map((effect) => ({effect, variance: 0.1}))).tau2).toBe(0);
    // equal variances v: τ² = (Q − (k − 1)) / (k/v − k/v · 1/k · … ) = sample variance − v
    const effects = [-1, 0, 1, 2];
    const mean = 0.5;
    const sampleVar = effects.reduce((a, e) => a + (e - mean) ** 2, 0) / 3;
    expect(dersimonianLaird(effects.map((effect) => ({effect, variance: 0.2}))).tau2).toBeCloseTo(sampleVar - 0.2, 12);
  });
});

describe("screenerConsistency", () => {
  it("recovers halved screener biases: SD ratio 0.5 and variance ratio 0.25 inside their intervals", () => {
    const r = screenerConsistency(simulate(1, 0.5), {replicates: 400});
    expect(r.sdRatio.status).toBe("estimate");
    if (r.sdRatio.status !== "estimate" || r.varianceRatio.status !== "estimate") return;
    expect(r.sdRatio.lo).toBeLessThan(0.5);
    expect(r.sdRatio.hi).toBeGreaterThan(0.5);
    expect(r.sdRatio.hi).toBeLessThan(1);
    expect(r.varianceRatio.lo).toBeLessThan(0.25);
    expect(r.varianceRatio.hi).toBeGreaterThan(0.25);
    expect(r.sdRatio.n).toBe(30);
    expect(r.effects.length).toBe(60);
    // the lenient screeners read as sharing less than expected before the pilot, beyond chance
    const lenient = r.effects.filter((e) => e.period === "before" && ["s00", "s01", "s02"].includes(e.screener));
    expect(lenient.every((e) => e.hi < 0)).toBe(true);
    expect(r.before.status).toBe("spread");
    if (r.before.status === "spread" && r.before.tau.status === "estimate") {
      expect(r.before.tau.lo).toBeLessThan(0.5);
      expect(r.before.tau.hi).toBeGreaterThan(0.4);
    }
  });

  it("covers the planted SD ratio 0.5 on at least 17 of 20 seeds", () => {
    const covered = seeds(20).filter((seed) => {
      const r = screenerConsistency(simulate(seed, 0.5, 150), {replicates: 300}).sdRatio;
      return r.status === "estimate" && r.lo <= 0.5 && 0.5 <= r.hi;
    }).length;
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  it("with biases unchanged, claims a change on at most 3 of 20 seeds", () => {
    const claims = seeds(20, 301).filter((seed) =>
      isClaimed(screenerConsistency(simulate(seed, 1, 150), {replicates: 300}).sdRatio),
    ).length;
    expect(claims).toBeLessThanOrEqual(3);
  });

  it("says too few, never NaN: no contacts, one screener, screeners only in one period, no spread before", () => {
    const sim = simulate(2, 0.5, 60);
    const one = screenerConsistency({...sim, screener: sim.screener.map(() => "only")}, {replicates: 50});
    const empty = screenerConsistency({screener: [], shared: [], expected: [], period: []});
    const onlyBefore = screenerConsistency({...sim, period: sim.period.map(() => "before")}, {replicates: 50});
    for (const r of [one, empty, onlyBefore]) {
      expect(r.sdRatio.status).toBe("too few");
      expect(numbersIn(r).every(Number.isFinite)).toBe(true);
    }
    if (one.sdRatio.status === "too few") expect(one.sdRatio.reason).toMatch(/^1 screeners/);
  });
});
