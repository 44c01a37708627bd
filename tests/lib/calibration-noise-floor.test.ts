// The ECE noise floor (src/lib/calibration.ts eceNoiseFloor): the ECE a perfectly calibrated
// score shows by chance at the same n and scores. Checked against a normal approximation worked
// out here, for its coverage on outcomes drawn independently here, and for its use: a
// miscalibrated score stands clear of it.
import {describe, expect, it} from "vitest";
import {eceNoiseFloor, expectedCalibrationError} from "../../src/lib/calibration.ts";
import {seeded} from "../../src/lib/metrics.ts";

const scores = (n: number, seed: number) => {
  const r = seeded(seed);
  return Float64Array.from({length: n}, () => 0.02 + 0.9 * r() ** 2);
};
const draw = (p: ArrayLike<number>, rand: () => number) => Float64Array.from(p as ArrayLike<number>, (q) => (rand() < q ? 1 : 0));

/**
 * E[ECE] by the normal approximation: in each equal-count bin the observed − predicted gap is
 * about N(0, Σp(1−p) / n_b²), and E|Z| = σ·√(2/π).
 */
function expectedFloor(p: Float64Array, bins = 10): number {
  const sorted = Float64Array.from(p).sort();
  const n = sorted.length;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const from = Math.ceil((b * n) / bins),
      to = Math.ceil(((b + 1) * n) / bins);
    let v = 0;
    for (let i = from; i < to; i++) v += sorted[i] * (1 - sorted[i]);
    const size = to - from;
    total += (size / n) * Math.sqrt(v / (size * size)) * Math.sqrt(2 / Math.PI);
  }
  return total;
}

describe("eceNoiseFloor", () => {
  it("is near the normal approximation of a calibrated score's expected ECE, and shrinks as 1/√n", () => {
    for (const n of [1000, 12000]) {
      const p = scores(n, n);
      const f = eceNoiseFloor(p, {seed: 4});
      const approx = expectedFloor(p);
      expect(Math.abs(f.median - approx) / approx, `n = ${n}`).toBeLessThan(0.08);
      expect(f.p95).toBeGreaterThan(f.median);
      expect(f).toMatchObject({n, bins: 10, replicates: 1000, seed: 4});
    }
    const small = eceNoiseFloor(scores(500, 1), {seed: 2}).median,
      large = eceNoiseFloor(scores(8000, 1), {seed: 2}).median;
    expect(small / large).toBeGreaterThan(3); // √16 = 4
    expect(small / large).toBeLessThan(5);
  });

  it("is reproducible with its seed, and the 95th percentile holds about 95% of calibrated outcomes drawn independently", () => {
    const p = scores(2000, 7);
    const f = eceNoiseFloor(p, {seed: 11});
    expect(eceNoiseFloor(p, {seed: 11})).toEqual(f);
    expect(Math.abs(eceNoiseFloor(p, {seed: 12}).median - f.median)).toBeLessThan(0.1 * f.median);
    const rand = seeded(987);
    let above = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) if (expectedCalibrationError(p, draw(p, rand)) > f.p95) above++;
    // 5% of 300 = 15; a binomial count stays within 5 … 28 with overwhelming probability.
    expect(above).toBeGreaterThanOrEqual(5);
    expect(above).toBeLessThanOrEqual(28);
  });

  it("a score that runs 30% high stands far above the floor; the calibrated score it came from does not", () => {
    const p = scores(12000, 3);
    const y = draw(p, seeded(55));
    const high = Float64Array.from(p, (q) => Math.min(0.99, 1.3 * q));
    expect(expectedCalibrationError(high, y)).toBeGreaterThan(3 * eceNoiseFloor(high, {seed: 1}).p95);
    expect(expectedCalibrationError(p, y)).toBeLessThan(2 * eceNoiseFloor(p, {seed: 1}).p95);
  });

  it("past 50,000 contacts each bin's count is drawn from its normal approximation, which agrees with the contact-by-contact simulation", () => {
    const p = scores(120000, 9);
    const normal = eceNoiseFloor(p, {seed: 3}),
      exact = eceNoiseFloor(p, {seed: 3, normalAbove: Infinity});
    expect(normal.n).toBe(120000);
    // 1,000 simulations each: the two medians and 95th percentiles differ by simulation noise alone (a few %).
    expect(Math.abs(normal.median / exact.median - 1)).toBeLessThan(0.05);
    expect(Math.abs(normal.p95 / exact.p95 - 1)).toBeLessThan(0.06);
    expect(Math.abs(normal.median / expectedFloor(p) - 1)).toBeLessThan(0.05);
  });

  it("no contacts: no floor", () => {
    const f = eceNoiseFloor([], {seed: 1});
    expect(f.n).toBe(0);
    expect(Number.isNaN(f.median)).toBe(true);
  });
});
