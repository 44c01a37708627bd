import {expect, it} from "vitest";
import {band, baselineLogit, contributions, topFactors} from "../../src/lib/contributions.ts";
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
  expect(topFactors(["a", "b", "c", "d"], [0.1, -2, 0, 1.5], 2)).toEqual([
    {name: "b", value: -2},
    {name: "d", value: 1.5},
  ]);
  const ventiles = Array.from({length: 19}, (_, k) => (k + 1) / 20);
  expect(band(0.01, ventiles)).toBe(1);
  expect(band(0.05, ventiles)).toBe(2);
  expect(band(0.99, ventiles)).toBe(20);
});

it("breaks ties in size by name and never shows a zero contribution", () => {
  expect(topFactors(["b", "a", "c", "d"], [-1, 1, 0, 0.5])).toEqual([
    {name: "a", value: 1},
    {name: "b", value: -1},
    {name: "d", value: 0.5},
  ]);
  expect(topFactors(["a", "b"], [0, -0])).toEqual([]);
});
