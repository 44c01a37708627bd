// Holm's correction on hand-worked p-values, and its family-wise error rate on simulated null
// p-values (uniform): any false claim among 6 on at most 5% + noise of 2,000 families.
import {describe, expect, it} from "vitest";
import {holm} from "../../../src/lib/impact/multiplicity.ts";
import {seeded} from "../../../src/lib/random.ts";

describe("holm", () => {
  it("steps down: 0.01 ≤ 0.05/4, 0.015 ≤ 0.05/3, 0.03 > 0.05/2 stops the rest", () => {
    const {verdicts} = holm([
      {name: "a", p: 0.03},
      {name: "b", p: 0.01},
      {name: "c", p: 0.015},
      {name: "d", p: 0.04},
    ]);
    expect(verdicts.map((v) => v.claimed)).toEqual([false, true, true, false]);
    expect(verdicts.map((v) => v.adjusted)).toEqual([
      expect.closeTo(0.06, 12),
      expect.closeTo(0.04, 12),
      expect.closeTo(0.045, 12),
      expect.closeTo(0.06, 12),
    ]);
  });

  it("counts a too-few claim in the family but never claims it", () => {
    const {verdicts} = holm([
      {name: "a", p: 0.02},
      {name: "too few", p: null},
    ]);
    expect(verdicts).toEqual([
      {name: "a", p: 0.02, adjusted: 0.04, claimed: true},
      {name: "too few", p: null, adjusted: null, claimed: false},
    ]);
    expect(
      holm([
        {name: "a", p: 0.03},
        {name: "b", p: null},
      ]).verdicts[0].claimed,
    ).toBe(false);
  });

  it("keeps the chance of any false claim among six null claims near or under 5%", () => {
    const rand = seeded(42);
    let any = 0;
    for (let f = 0; f < 2000; f++)
      if (holm(Array.from({length: 6}, (_, i) => ({name: `c${i}`, p: rand()}))).verdicts.some((v) => v.claimed)) any++;
    expect(any / 2000).toBeLessThan(0.065);
    expect(any / 2000).toBeGreaterThan(0.03);
  });
});
