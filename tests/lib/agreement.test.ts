import {describe, expect, it} from "vitest";
import {agreement, pairCounts} from "../../src/lib/agreement.ts";

describe("pair agreement", () => {
  it("counts pairs within and across screeners (hand-counted)", () => {
    // Screener 1: S S N; screener 2: S. Pairs: 6, agreeing 3 (SS ×3 of which 1 within); within 3 pairs, 1 agreeing.
    expect(
      pairCounts([
        {shared: 2, notShared: 1},
        {shared: 1, notShared: 0},
      ]),
    ).toEqual({pairs: 6, same: 3, withinPairs: 3, withinSame: 1, crossPairs: 3, crossSame: 2});
  });

  it("screeners consistent with themselves but opposite to each other: cross 0, within 1", () => {
    const groups = Array.from({length: 20}, () => [
      {shared: 3, notShared: 0},
      {shared: 0, notShared: 2},
    ]);
    const a = agreement(groups, {replicates: 200});
    expect(a.rate).toBe(0);
    expect(a.within.rate).toBe(1);
    expect(a.difference.value).toBe(-1);
    expect(a.pairs).toBe(20 * 6);
    expect(a.contacts).toBe(100);
    expect(a.chance).toBeCloseTo(0.6 ** 2 + 0.4 ** 2, 12);
  });

  it("the bootstrap interval brackets the estimate and is seeded", () => {
    const groups = Array.from({length: 50}, (_, i) => [
      {shared: i % 3, notShared: 2},
      {shared: 1, notShared: i % 4},
    ]);
    const a = agreement(groups, {replicates: 300, seed: 7});
    expect(a.lo).toBeLessThanOrEqual(a.rate);
    expect(a.hi).toBeGreaterThanOrEqual(a.rate);
    expect(a.hi - a.lo).toBeGreaterThan(0);
    expect(agreement(groups, {replicates: 300, seed: 7})).toEqual(a);
  });

  it("groups of one contact are left out", () => {
    const a = agreement(
      [
        [{shared: 1, notShared: 0}],
        [
          {shared: 1, notShared: 0},
          {shared: 1, notShared: 0},
        ],
      ],
      {replicates: 10},
    );
    expect([a.contacts, a.groups, a.rate]).toEqual([2, 1, 1]);
  });
});
