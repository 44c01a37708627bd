// What of a suppressed table is published (loaders/public/publish.ts), and why not more: the
// counts of primary and secondary suppressions (or which "c" is which) pin hidden counts down.
// A reader who knows the published totals, how many hidden cells are small and what the
// disclosure rules are can list every table that fits; here that list has one table.
import {expect, it} from "vitest";
import {publishTable} from "../../../loaders/public/publish.ts";
import {isSmallCount, suppressTable, type SuppressedTable} from "../../../src/lib/disclosure.ts";

/** Every 2×2 table of counts agreeing with the published totals of `t` (all four cells hidden). */
function tablesFitting(t: Omit<SuppressedTable, "suppressed">): number[][][] {
  const [r0, r1] = t.rowTotals as number[];
  const [c0] = t.colTotals as number[];
  const out: number[][][] = [];
  for (let a = 0; a <= Math.min(r0, c0); a++) {
    const table = [
      [a, r0 - a],
      [c0 - a, r1 - (c0 - a)],
    ];
    if (table.flat().every((n) => n >= 0)) out.push(table);
  }
  return out;
}

const counts = [
  [1, 6],
  [6, 40],
];

it("publishes cells, totals and settings, not how many cells were suppressed as small counts", () => {
  const t = suppressTable({rows: ["a", "b"], cols: ["x", "y"], counts});
  expect(t.suppressed).toEqual({primary: 1, secondary: 3});
  const published = publishTable(t);
  expect(published).not.toHaveProperty("suppressed");
  expect(published).toEqual({
    rows: ["a", "b"],
    cols: ["x", "y"],
    cells: [
      ["c", "c"],
      ["c", "c"],
    ],
    rowTotals: [7, 46],
    colTotals: [7, 46],
    total: 53,
    threshold: 5,
    roundTotalsTo: 1,
  });
});

it("with the suppression counts one table fits what is published; without them, several do", () => {
  const t = suppressTable({rows: ["a", "b"], cols: ["x", "y"], counts});
  const small = (table: number[][]) => table.flat().filter((n) => isSmallCount(n, t.threshold)).length;
  const fitting = tablesFitting(publishTable(t));
  // Knowing "1 primary": exactly one hidden cell is 1..5, so the table is the real one.
  expect(fitting.filter((table) => small(table) === t.suppressed.primary)).toEqual([counts]);
  // Knowing only that something was suppressed (at least one small cell): the cell holding 1 could hold 1 to 6.
  expect(fitting.filter((table) => small(table) >= 1).map((table) => table[0][0])).toEqual([1, 2, 3, 4, 5, 6]);
});
