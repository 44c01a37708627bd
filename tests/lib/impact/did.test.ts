// Difference-in-differences of decision time on simulated contacts: pilot teams' decisions × 0.75
// during the pilot (on top of a change every team shares and screener differences), recovered
// within the interval; a null pilot claims an effect no more often than chance; too few → a reason.
import {describe, expect, it} from "vitest";
import {decisionTimeDid} from "../../../src/lib/impact/did.ts";
import {dayNumber} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {draws, numbersIn, seeds} from "./simulate.ts";

const window = {start: "2019-01-01", end: "2019-03-31"};
const RAG_HOURS: Record<string, number> = {red: 3, amber: 20, green: 40, "not shared": 16};

/** `n` contacts over 2018-01..2019-03, 24 screeners in 4 teams (teams 0 and 1 run the pilot). */
type Simulated = {day: number[]; hours: number[]; pilotTeam: boolean[]; cluster: string[]; stratum: string[]};

function simulate(seed: number, factor: number, n = 2400): Simulated {
  const d = draws(seed);
  const screenerEffect = Array.from({length: 24}, () => d.normal(0, 0.15));
  const from = dayNumber("2018-01-01");
  const to = dayNumber("2019-03-31");
  const rec = {day: [] as number[], hours: [] as number[], pilotTeam: [] as boolean[], cluster: [] as string[], stratum: [] as string[]};
  const rags = Object.keys(RAG_HOURS);
  for (let i = 0; i < n; i++) {
    const day = from + d.uniform() * (to - from + 1);
    const s = d.int(24);
    const team = s % 4;
    const rag = rags[d.int(4)];
    const during = day >= dayNumber(window.start);
    const pilot = team < 2;
    // every team a little slower in 2019 (+10%), plus the pilot's factor in pilot teams
    const logH =
      Math.log(RAG_HOURS[rag]) +
      screenerEffect[s] +
      (during ? Math.log(1.1) : 0) +
      (pilot && during ? Math.log(factor) : 0) +
      d.normal(0, 0.6);
    rec.day.push(day);
    rec.hours.push(Math.exp(logH));
    rec.pilotTeam.push(pilot);
    rec.cluster.push(`s${s}`);
    rec.stratum.push(rag);
  }
  return rec;
}

describe("decisionTimeDid", () => {
  it("recovers a planted ratio of 0.75 overall and by RAG, with the cells as baseline", () => {
    const r = decisionTimeDid(simulate(1, 0.75), {window});
    expect(r.overall.status).toBe("estimate");
    if (r.overall.status !== "estimate") return;
    expect(r.overall.lo).toBeLessThan(0.75);
    expect(r.overall.hi).toBeGreaterThan(0.75);
    expect(r.overall.hi).toBeLessThan(1);
    expect(isClaimed(r.overall)).toBe(true);
    expect(r.overall.method).toMatch(/cluster-robust by screener/);
    expect(r.before).toEqual({start: "2018-01-01", end: "2018-03-31"});
    expect(r.cells.map((c) => c.n).reduce((a, b) => a + b, 0)).toBe(r.overall.n);
    expect(r.byStratum.map((s) => s.stratum)).toEqual(["amber", "green", "not shared", "red"]);
    for (const s of r.byStratum) expect(s.ratio.status).toBe("estimate");
  });

  it("covers the planted ratio on at least 17 of 20 seeds", () => {
    const covered = seeds(20).filter((seed) => {
      const o = decisionTimeDid(simulate(seed, 0.75, 1200), {window}).overall;
      return o.status === "estimate" && o.lo <= 0.75 && 0.75 <= o.hi;
    }).length;
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  it("with no pilot effect, claims one on at most 3 of 20 seeds", () => {
    const claims = seeds(20, 101).filter((seed) => isClaimed(decisionTimeDid(simulate(seed, 1, 1200), {window}).overall)).length;
    expect(claims).toBeLessThanOrEqual(3);
  });

  it("says too few, never NaN: no contacts, no pilot teams, one screener", () => {
    const empty = decisionTimeDid({day: [], hours: [], pilotTeam: [], cluster: []}, {window});
    expect(empty.overall.status).toBe("too few");
    const sim = simulate(2, 0.75, 600);
    const noPilot = decisionTimeDid({...sim, pilotTeam: sim.pilotTeam.map(() => false)}, {window});
    expect(noPilot.overall.status).toBe("too few");
    if (noPilot.overall.status === "too few") expect(noPilot.overall.reason).toMatch(/pilot teams/);
    const one = decisionTimeDid({...sim, cluster: sim.cluster.map(() => "only")}, {window});
    expect(one.overall.status).toBe("too few");
    if (one.overall.status === "too few") expect(one.overall.reason).toMatch(/1 clusters/);
    for (const r of [empty, noPilot, one]) expect(numbersIn(r).every(Number.isFinite)).toBe(true);
  });
});
