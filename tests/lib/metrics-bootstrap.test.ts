// The shared bootstrap (src/lib/metrics.ts): one seed, one set of resampled contacts, every
// statistic from it. Checked against the single-statistic bootstraps drawn with the same seed,
// against a resample rebuilt here by hand, and for reproducibility across callers.
import {describe, expect, it} from "vitest";
import {
  auc,
  bootstrap,
  bootstrapAuc,
  bootstrapEstimates,
  brier,
  calibrationSummary,
  groupEstimates,
  scoreSummary,
  seeded,
  seedFromText,
  STATISTICS,
  SUMMARY_STATISTICS,
} from "../../src/lib/metrics.ts";
import {averagePrecision} from "../../src/lib/discrimination.ts";
import {calibrationInTheLarge, calibrationLine, expectedCalibrationError} from "../../src/lib/calibration.ts";

function sample(n: number, seed: number, ties = false) {
  const r = seeded(seed);
  const s = Float64Array.from({length: n}, () => (ties ? Math.round((0.05 + 0.9 * r()) * 20) / 20 : 0.02 + 0.9 * r() ** 2));
  const y = Float64Array.from(s, (p) => (r() < p ? 1 : 0));
  return {s, y};
}

describe("bootstrapEstimates: one set of resamples for every statistic", () => {
  it("draws the same resamples as bootstrapAuc and bootstrap with the same seed, so their intervals agree", () => {
    const {s, y} = sample(600, 3, true);
    const e = bootstrapEstimates(s, y, ["auc", "brier"], {seed: 11, replicates: 80});
    const a = bootstrapAuc(s, y, {seed: 11, replicates: 80});
    const b = bootstrap(brier, s, y, {seed: 11, replicates: 80});
    for (const [mine, theirs] of [
      [e.auc, a],
      [e.brier, b],
    ]) {
      expect(mine.value).toBeCloseTo(theirs.value, 12);
      expect(mine.lo).toBeCloseTo(theirs.lo, 12);
      expect(mine.hi).toBeCloseTo(theirs.hi, 12);
      expect(mine.replicates).toBe(theirs.replicates);
      expect(mine.n).toBe(600);
    }
  });

  it("each statistic of a replicate is computed on the same resample (rebuilt here from the generator's draws)", () => {
    const {s, y} = sample(300, 8);
    const seed = 5;
    // Replicate 1 by hand: n draws of an index, as the bootstrap makes them.
    const rand = seeded(seed);
    const idx = Array.from({length: s.length}, () => Math.floor(rand() * s.length)).sort((a, b) => s[a] - s[b] || a - b);
    const rs = Float64Array.from(idx, (i) => s[i]),
      ry = Float64Array.from(idx, (i) => y[i]);
    const one = bootstrapEstimates(s, y, ["auc", "averagePrecision", "ece", "slope", "calibrationInTheLarge"], {seed, replicates: 1});
    // With one replicate, lo = hi = that replicate's value.
    expect(one.auc.lo).toBeCloseTo(auc(rs, ry), 12);
    expect(one.averagePrecision.lo).toBeCloseTo(averagePrecision(rs, ry), 12);
    expect(one.ece.lo).toBeCloseTo(expectedCalibrationError(rs, ry), 12);
    expect(one.slope.lo).toBeCloseTo(calibrationLine(rs, ry).slope, 9);
    expect(one.calibrationInTheLarge.lo).toBeCloseTo(calibrationInTheLarge(rs, ry), 9);
    for (const e of Object.values(one)) expect(e.hi).toBe(e.lo);
  });

  it("values are the statistics of the full data, with intervals around them; the same seed gives the same intervals", () => {
    const {s, y} = sample(2000, 21);
    const a = scoreSummary(s, y, {seed: 9});
    expect(scoreSummary(s, y, {seed: 9})).toEqual(a);
    expect(scoreSummary(s, y, {seed: 10}).auc).not.toEqual(a.auc);
    expect(a.auc.value).toBe(auc(Float64Array.from(s), Float64Array.from(y)));
    expect(a.ece.value).toBe(expectedCalibrationError(s, y));
    expect(a.rate.value).toBeCloseTo(a.positives / a.n, 15);
    expect(a.trivialBrier.value).toBeCloseTo(a.baselineBrier, 15);
    for (const name of SUMMARY_STATISTICS) {
      const e = a[name];
      expect(e.n, name).toBe(2000);
      expect(e.replicates, name).toBe(200);
      expect(e.lo, name).toBeLessThan(e.hi);
      if (name !== "ece") expect(e.lo <= e.value && e.value <= e.hi, name).toBe(true);
    }
    expect(a.bootstrap).toMatchObject({seed: 9, replicates: 200});
    expect(a.eceNoiseFloor).toMatchObject({n: 2000, seed: 9});
  });

  it("a second score of the same contacts (a recalibration) shares the resamples: a statistic of the labels alone comes out identical", () => {
    const {s, y} = sample(3000, 4);
    const other = Float64Array.from(s, (p) => Math.min(0.99, p * 1.1));
    const a = calibrationSummary(s, y, {seed: 2}),
      b = calibrationSummary(other, y, {seed: 2});
    expect(a.bootstrap).toEqual(b.bootstrap);
    // The rate of the contacts is a statistic of the labels alone: identical under shared resamples.
    const ra = bootstrapEstimates(s, y, ["rate"], {seed: 2}),
      rb = bootstrapEstimates(other, y, ["rate"], {seed: 2});
    expect(rb.rate).toEqual(ra.rate);
  });

  it("statistics that cannot be computed on a resample are left out, not counted", () => {
    const s = [0.1, 0.2, 0.3, 0.4],
      y = [0, 0, 0, 1];
    const e = bootstrapEstimates(s, y, ["auc", "rate"], {seed: 1, replicates: 100});
    expect(e.rate.replicates).toBe(100);
    expect(e.auc.replicates).toBeLessThan(100); // resamples without the one positive have no AUC
    expect(e.auc.replicates).toBeGreaterThan(30);
    const empty = bootstrapEstimates([], [], ["brier"], {seed: 1});
    expect(empty.brier).toMatchObject({n: 0, replicates: 0});
    expect(Number.isNaN(empty.brier.value)).toBe(true);
  });

  it("observed − predicted is the rate less the mean score; every named statistic exists", () => {
    const {s, y} = sample(500, 6);
    const e = bootstrapEstimates(s, y, ["observedMinusPredicted", "rate", "meanScore"], {seed: 3});
    expect(e.observedMinusPredicted.value).toBeCloseTo(e.rate.value - e.meanScore.value, 15);
    expect(Object.keys(STATISTICS)).toEqual(expect.arrayContaining([...SUMMARY_STATISTICS, "observedMinusPredicted"]));
  });
});

describe("groupEstimates: several groups from one set of resamples", () => {
  it("draws once from all contacts; each group's replicate is its drawn contacts (rebuilt here by hand)", () => {
    const {s, y} = sample(400, 12);
    const group = Uint32Array.from(s, (_, i) => i % 3);
    const seed = 4;
    const rand = seeded(seed);
    const draws = Array.from({length: s.length}, () => Math.floor(rand() * s.length));
    const one = groupEstimates(s, y, group, 3, ["auc", "slope", "rate"], {seed, replicates: 1});
    for (let g = 0; g < 3; g++) {
      const idx = draws.filter((i) => group[i] === g).sort((a, b) => s[a] - s[b] || a - b);
      const rs = Float64Array.from(idx, (i) => s[i]),
        ry = Float64Array.from(idx, (i) => y[i]);
      expect(one[g].auc.lo).toBeCloseTo(auc(rs, ry), 12);
      expect(one[g].slope.lo).toBeCloseTo(calibrationLine(rs, ry).slope, 9);
      expect(one[g].rate.lo).toBeCloseTo(ry.reduce((a, v) => a + v, 0) / ry.length, 12);
      // Each value is the group's own statistic, with the group's n.
      const members = [...s.keys()].filter((i) => group[i] === g);
      expect(one[g].auc.value).toBe(
        auc(
          Float64Array.from(members, (i) => s[i]),
          Float64Array.from(members, (i) => y[i]),
        ),
      );
      expect(one[g].auc.n).toBe(members.length);
    }
  });

  it("with one group, is bootstrapEstimates; a group never drawn has no replicate", () => {
    const {s, y} = sample(300, 5);
    const all = groupEstimates(s, y, new Uint32Array(300), 1, ["auc", "brier"], {seed: 3, replicates: 50})[0];
    expect(all).toEqual(bootstrapEstimates(s, y, ["auc", "brier"], {seed: 3, replicates: 50}));
    const empty = groupEstimates(s, y, new Uint32Array(300), 2, ["rate"], {seed: 3, replicates: 5})[1];
    expect(empty.rate).toMatchObject({n: 0, replicates: 0});
  });
});

describe("seedFromText: one seed per model id", () => {
  it("is a 32-bit FNV-1a hash: known values, stable, different ids apart", () => {
    expect(seedFromText("")).toBe(0x811c9dc5);
    expect(seedFromText("a")).toBe(0xe40c292c); // FNV-1a 32 of "a"
    expect(seedFromText("foobar")).toBe(0xbf9cf968);
    const a = seedFromText("info_sharing-logistic-c107487b07fe"),
      b = seedFromText("info_sharing-mlp-4150f1acf5d5");
    expect(a).not.toBe(b);
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
  });
});
