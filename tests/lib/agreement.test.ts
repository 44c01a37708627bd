import {describe, expect, it} from "vitest";
import {agreement, pairCounts} from "../../src/lib/agreement.ts";

describe("pair agreement", () => {
  it("counts pairs within and across staff members (hand-counted)", () => {
    // Staff member 1: + + −; staff member 2: +. Pairs: 6, agreeing 3 (++ ×3 of which 1 within); within 3 pairs, 1 agreeing.
    expect(
      pairCounts([
        {positive: 2, negative: 1},
        {positive: 1, negative: 0},
      ]),
    ).toEqual({pairs: 6, same: 3, withinPairs: 3, withinSame: 1, crossPairs: 3, crossSame: 2});
  });

  it("staff members consistent with themselves but opposite to each other: cross 0, within 1", () => {
    const groups = Array.from({length: 20}, () => [
      {positive: 3, negative: 0},
      {positive: 0, negative: 2},
    ]);
    const a = agreement(groups, {replicates: 200});
    expect(a.rate).toBe(0);
    expect(a.within.rate).toBe(1);
    expect(a.difference.value).toBe(-1);
    expect(a.pairs).toBe(20 * 6);
    expect(a.records).toBe(100);
    expect(a.chance).toBeCloseTo(0.6 ** 2 + 0.4 ** 2, 12);
  });

  it("the bootstrap interval brackets the estimate and is seeded", () => {
    const groups = Array.from({length: 50}, (_, i) => [
      {positive: i % 3, negative: 2},
      {positive: 1, negative: i % 4},
    ]);
    const a = agreement(groups, {replicates: 300, seed: 7});
    expect(a.lo).toBeLessThanOrEqual(a.rate);
    expect(a.hi).toBeGreaterThanOrEqual(a.rate);
    expect(a.hi - a.lo).toBeGreaterThan(0);
    expect(agreement(groups, {replicates: 300, seed: 7})).toEqual(a);
  });

  it("groups of one record are left out", () => {
    const a = agreement(
      [
        [{positive: 1, negative: 0}],
        [
          {positive: 1, negative: 0},
          {positive: 1, negative: 0},
        ],
      ],
      {replicates: 10},
    );
    expect([a.records, a.groups, a.rate]).toEqual([2, 1, 1]);
  });
});
