import {expect, it} from "vitest";
import {band, baselineLogit, contributionRows, contributions, nameRanks, topFactorIndices, topFactors} from "../../src/lib/contributions.ts";
import {Rng} from "../../loaders/synth/random.ts";

it("contributions sum exactly to the score's log-odds minus the average contact's", () => {
  const rng = new Rng(11);
  const p = 25;
  const w = Array.from({length: p}, () => rng.normal());
  const means = Array.from({length: p}, () => rng.uniform());
  const b = -1.3;
  for (let rep = 0; rep < 20; rep++) {
    const x = Array.from({length: p}, () => (rng.uniform() < 0.5 ? 0 : rng.normal()));
    const z = b + x.reduce((a, v, j) => a + v * w[j], 0);
    const c = contributions(x, w, means);
    expect(c.reduce((a, v) => a + v, 0)).toBeCloseTo(z - baselineLogit(b, w, means), 12);
  }
});

it("ranks factors by size and bands scores by training ventiles", () => {
  expect(topFactors(["a", "b", "c", "d"], [0.1, -2, 0, 1.5], 2)).toEqual([{name: "b", value: -2}, {name: "d", value: 1.5}]);
  const ventiles = Array.from({length: 19}, (_, k) => (k + 1) / 20);
  expect(band(0.01, ventiles)).toBe(1);
  expect(band(0.05, ventiles)).toBe(2);
  expect(band(0.99, ventiles)).toBe(20);
});

it("picks the same top factors as topFactors, in the same order, ties broken by name, zeros never", () => {
  const rng = new Rng(12);
  const names = Array.from({length: 30}, (_, j) => `v${(j * 7) % 30}=c${j}`);
  const rank = nameRanks(names);
  const out = new Int32Array(3);
  for (let rep = 0; rep < 500; rep++) {
    // Few distinct sizes and many zeros, so ties and short lists are common.
    const c = Float64Array.from(names, () => (rng.uniform() < 0.5 ? 0 : (rng.uniform() < 0.5 ? -1 : 1) * Math.ceil(rng.uniform() * 4)));
    const offset = rep % 3;
    const padded = new Float64Array(offset + c.length);
    padded.set(c, offset);
    topFactorIndices(padded, offset, c.length, rank, out);
    const expected = topFactors(names, c, 3);
    expect(Array.from(out).filter((j) => j >= 0).map((j) => ({name: names[j], value: c[j]}))).toEqual(expected);
    expect(Array.from(out).filter((j) => j < 0).length).toBe(3 - expected.length);
  }
});

it("computes many rows' contributions exactly as `contributions` does, row by row", () => {
  const rng = new Rng(13);
  const p = 9, n = 7;
  const w = Float32Array.from({length: p}, () => rng.normal());
  const means = Array.from({length: p}, () => rng.uniform());
  const X = Float32Array.from({length: n * p}, () => (rng.uniform() < 0.5 ? 0 : rng.normal()));
  const all = contributionRows(X, n, w, means);
  for (let i = 0; i < n; i++) expect(Array.from(all.subarray(i * p, (i + 1) * p))).toEqual(Array.from(contributions(X.subarray(i * p, (i + 1) * p), w, means)));
});
