import {expect, it} from "vitest";
import {auc, bootstrap, brier} from "../../src/lib/metrics.ts";
import {Rng} from "../../loaders/synth/random.ts";

it("AUC matches hand-computed values, ties counted half", () => {
  expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75); // 3 of 4 positive–negative pairs ordered
  expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
  expect(auc([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBe((1 + 1 + 0.5 + 1) / 4);
  expect(Number.isNaN(auc([0.1, 0.2], [1, 1]))).toBe(true);
});

it("AUC equals the Mann–Whitney statistic computed pair by pair (property, random scores with ties)", () => {
  const rng = new Rng(3);
  for (let rep = 0; rep < 5; rep++) {
    const n = 300;
    const s = Array.from({length: n}, () => Math.round(rng.uniform() * 20) / 20);
    const y = s.map((v) => (rng.uniform() < v ? 1 : 0));
    let wins = 0,
      pairs = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (y[i] === 1 && y[j] === 0) (pairs++, (wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0));
    expect(auc(s, y)).toBeCloseTo(wins / pairs, 12);
  }
});

it("Brier score; the bootstrap interval brackets the estimate and is reproducible", () => {
  expect(brier([0.5, 0.5], [0, 1])).toBe(0.25);
  const rng = new Rng(9);
  const s = Array.from({length: 500}, () => rng.uniform());
  const y = s.map((v) => (rng.uniform() < v ? 1 : 0));
  const a = bootstrap(auc, s, y, {seed: 7});
  const b = bootstrap(auc, s, y, {seed: 7});
  expect(a).toEqual(b);
  expect(a.lo).toBeLessThan(a.value);
  expect(a.hi).toBeGreaterThan(a.value);
  expect(a.hi - a.lo).toBeGreaterThan(0.02);
  expect(a.hi - a.lo).toBeLessThan(0.2);
});

it("the fast AUC bootstrap draws the same resamples as the generic one and gives the same interval", async () => {
  const {bootstrapAuc} = await import("../../src/lib/metrics.ts");
  const rng = new Rng(21);
  const s = Array.from({length: 400}, () => Math.round(rng.uniform() * 50) / 50); // with ties
  const y = s.map((v) => (rng.uniform() < v ? 1 : 0));
  const slow = bootstrap(auc, s, y, {seed: 5, replicates: 50});
  const fast = bootstrapAuc(s, y, {seed: 5, replicates: 50});
  expect(fast.value).toBeCloseTo(slow.value, 12);
  expect(fast.lo).toBeCloseTo(slow.lo, 12);
  expect(fast.hi).toBeCloseTo(slow.hi, 12);
  expect(fast.replicates).toBe(slow.replicates);
});

it("auc gives the same value for scores in ascending order (read without sorting) as for the same contacts shuffled", () => {
  const s = [0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.5, 0.9],
    y = [0, 1, 0, 0, 1, 0, 1, 1];
  const shuffled = [5, 2, 7, 0, 3, 6, 1, 4];
  // 16 positive–negative pairs: 12.5 ordered right (ties count half)
  expect(auc(s, y)).toBe(12.5 / 16);
  expect(
    auc(
      shuffled.map((i) => s[i]),
      shuffled.map((i) => y[i]),
    ),
  ).toBe(12.5 / 16);
});
