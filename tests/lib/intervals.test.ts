// Wilson intervals against Newcombe (1998, Statistics in Medicine 17:857–872, Table I, method 3).
import {expect, it} from "vitest";
import {wilson} from "../../src/lib/intervals.ts";

it.each([
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
])("wilson(%i, %i) = [%f, %f] to 4 decimals", (k, n, lo, hi) => {
  const w = wilson(k, n);
  expect(w.lo).toBeCloseTo(lo, 4);
  expect(w.hi).toBeCloseTo(hi, 4);
  expect(w.rate).toBe(k / n);
});

it("has no interval without contacts, and refuses k outside 0..n", () => {
  expect(Number.isNaN(wilson(0, 0).lo)).toBe(true);
  expect(() => wilson(5, 4)).toThrow(/k must lie in 0..n/);
});

it("adds intervals to count rows, pools them, and formats a rate or says too few to tell", async () => {
  const {withIntervals, pooled, formatRate} = await import("../../src/lib/intervals.ts");
  const rows = withIntervals([
    {k: 81, n: 263},
    {k: 1, n: 29},
  ]);
  expect(rows[0].lo).toBeCloseTo(0.2553, 4);
  expect(pooled(rows).n).toBe(292);
  expect(pooled(rows).rate).toBeCloseTo(82 / 292, 12);
  expect(formatRate(rows[0])).toBe("30.8% (25.5–36.6)");
  expect(formatRate(rows[1])).toBe("too few to tell");
});
