/**
 * What of a suppressed table is published. src/lib/disclosure.ts reports how
 * many entries it suppressed as small counts and how many as complements
 * (`suppressed: {primary, secondary}`); those counts stay in the build. With
 * them a reader knows how many hidden cells hold 1..threshold and that the
 * others do not, which can pin a hidden count down (a 2×2 table of 1, 6 / 6, 40
 * published as four "c" with its totals and "1 primary" has one solution).
 * For the same reason no page says which "c" is which.
 */
import type {SuppressedTable} from "../../src/lib/disclosure.ts";

/** A suppressed table as the public site carries it: cells, totals and settings, not the suppression counts. */
export type PublishedTable = Omit<SuppressedTable, "suppressed">;

/**
 * The publishable part of a suppressed table.
 *
 * @example publishTable(suppressTable(counts)) // {rows, cols, cells, rowTotals, colTotals, total, threshold, roundTotalsTo}
 */
export function publishTable(table: SuppressedTable): PublishedTable {
  const {suppressed: _counts, ...published} = table;
  return published;
}
