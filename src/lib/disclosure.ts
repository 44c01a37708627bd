/**
 * Statistical disclosure control for the public results site: the ONE module
 * every public aggregate passes through (loaders/public/*), run in Node at
 * build time and importable in the browser.
 *
 * - Primary suppression: a count of 1 to `threshold` (default 5, as the DfE
 *   does; at most 10) is published as "c". Zeros are published.
 * - Secondary suppression: a table is published with its row totals, column
 *   totals and grand total, so a lone "c" in a row could be recovered by
 *   subtracting the other cells from the total (differencing). Cells are
 *   suppressed as complements until no suppressed value is determined by the
 *   published numbers: in the bipartite graph of lines (rows and columns,
 *   totals included) whose edges are the suppressed cells, no edge is a bridge
 *   (a bridge is exactly a value that adding and subtracting published lines
 *   pins down), and no published line total gives away a small sum of
 *   suppressed cells (1 to `threshold`).
 * - Rounding of totals to a base, where configured (a rounded total that falls
 *   in 1..threshold is suppressed too).
 * - Rates: a rate whose numerator or denominator is suppressed is suppressed.
 *
 * Charts are drawn from {@link SuppressedTable}s (see {@link tableRecords}),
 * never from raw counts.
 *
 * @example suppressTable({rows: ["a", "b"], cols: ["yes", "no"], counts: [[3, 40], [50, 60]]}).cells // [["c", "c"], ["c", "c"]], totals published
 */
import {wilson} from "./intervals.js";

/** What a suppressed count or rate is published as. */
export const SUPPRESSED = "c";
export type Suppressed = typeof SUPPRESSED;
/** A published count: a number (0 or above the threshold) or "c". */
export type Cell = number | Suppressed;

/** Disclosure settings; both optional. */
export interface DisclosureOptions {
  /** Counts of 1..threshold are suppressed (default 5; an integer from 1 to 10). */
  threshold?: number;
  /** Round published totals to a multiple of this base (default: no rounding). */
  roundTotalsTo?: number;
}

/** Options of {@link suppressTable}: the settings, and cells to suppress whatever their value. */
export interface TableOptions extends DisclosureOptions {
  /**
   * Inner cells [row, col] to suppress as well, e.g. because a linked table
   * publishes a subtotal of them (see {@link suppressWithSubtotals}).
   */
  force?: readonly [number, number][];
}

export const DEFAULT_THRESHOLD = 5;
export const MAX_THRESHOLD = 10;

/** Checked settings with defaults filled in; throws a message naming the bad setting. */
export function disclosureOptions(options: DisclosureOptions = {}): Required<DisclosureOptions> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_THRESHOLD) {
    throw new Error(`disclosure: threshold must be a whole number from 1 to ${MAX_THRESHOLD}, got ${threshold}`);
  }
  const roundTotalsTo = options.roundTotalsTo ?? 1;
  if (!Number.isInteger(roundTotalsTo) || roundTotalsTo < 1) {
    throw new Error(`disclosure: roundTotalsTo must be a whole number of at least 1, got ${roundTotalsTo}`);
  }
  return {threshold, roundTotalsTo};
}

/** Whether a published value is suppressed. */
export function isSuppressed(x: unknown): x is Suppressed {
  return x === SUPPRESSED;
}

/** Whether a count must be suppressed on its own (1..threshold). */
export function isSmallCount(n: number, threshold = DEFAULT_THRESHOLD): boolean {
  return n >= 1 && n <= threshold;
}

/**
 * One count published on its own (no totals beside it): "c" when 1..threshold.
 * Use {@link suppressTable} whenever totals or other cells of the same table are published.
 *
 * @example suppressCount(3) // "c"
 */
export function suppressCount(n: number, options: DisclosureOptions = {}): Cell {
  const {threshold} = disclosureOptions(options);
  checkCount(n, "count");
  return isSmallCount(n, threshold) ? SUPPRESSED : n;
}

/** A table of counts: `counts[i][j]` for row `rows[i]` and column `cols[j]`. */
export interface CountTable {
  rows: readonly string[];
  cols: readonly string[];
  counts: readonly (readonly number[])[];
}

/** A table after disclosure control, with its totals; every number in it may be published. */
export interface SuppressedTable {
  rows: string[];
  cols: string[];
  cells: Cell[][];
  rowTotals: Cell[];
  colTotals: Cell[];
  total: Cell;
  threshold: number;
  roundTotalsTo: number;
  /** How many entries (cells and totals) were suppressed as small counts, and as complements. */
  suppressed: {primary: number; secondary: number};
}

/**
 * Applies primary and secondary suppression (and rounding of totals) to a
 * table of counts with its row, column and grand totals.
 *
 * @example suppressTable({rows: ["boys", "girls"], cols: ["flagged", "not"], counts: [[3, 20], [30, 40]]})
 */
export function suppressTable(table: CountTable, options: TableOptions = {}): SuppressedTable {
  const {threshold, roundTotalsTo} = disclosureOptions(options);
  const R = table.rows.length;
  const C = table.cols.length;
  if (table.counts.length !== R || table.counts.some((row) => row.length !== C)) {
    throw new Error(`disclosure: the table has ${R} row labels and ${C} column labels but counts of another shape`);
  }
  table.counts.forEach((row, i) => row.forEach((n, j) => checkCount(n, `cell (${table.rows[i]}, ${table.cols[j]})`)));
  const grid = augmented(table.counts);
  const isTotal = (i: number, j: number) => i === R || j === C;
  const shown = (v: number, i: number, j: number) => (isTotal(i, j) && roundTotalsTo > 1 ? roundTo(v, roundTotalsTo) : v);
  const suppressed = grid.map((row, i) => row.map((v, j) => isSmallCount(v, threshold) || isSmallCount(shown(v, i, j), threshold)));
  const primary = suppressed.flat().filter(Boolean).length;
  for (const [i, j] of options.force ?? []) suppressed[i][j] = true;
  secondarySuppression(grid, suppressed, threshold);
  const out = grid.map((row, i) => row.map((v, j): Cell => (suppressed[i][j] ? SUPPRESSED : shown(v, i, j))));
  return {
    rows: [...table.rows],
    cols: [...table.cols],
    cells: out.slice(0, R).map((row) => row.slice(0, C)),
    rowTotals: out.slice(0, R).map((row) => row[C]),
    colTotals: out[R].slice(0, C),
    total: out[R][C],
    threshold,
    roundTotalsTo,
    suppressed: {primary, secondary: suppressed.flat().filter(Boolean).length - primary},
  };
}

/**
 * A table whose rows also add up to published subtotals elsewhere (e.g. score
 * bands 16–20 add up to the contacts flagged, published in another table):
 * within each group of rows, every column gets 0 or at least 2 suppressed
 * cells whose sum is not itself a small count, so the subtotal cannot pin
 * one down. `groups` lists row indices.
 *
 * @example suppressWithSubtotals(bands, [[0, 1, 2], [3, 4]])
 */
export function suppressWithSubtotals(
  table: CountTable,
  groups: readonly (readonly number[])[],
  options: DisclosureOptions = {},
): SuppressedTable {
  const {threshold} = disclosureOptions(options);
  const force: [number, number][] = [];
  for (;;) {
    const t = suppressTable(table, {...options, force});
    const extra = groups.flatMap((rows) =>
      table.cols.flatMap((_, j): [number, number][] => {
        const hidden = rows.filter((i) => isSuppressed(t.cells[i][j]));
        const sum = hidden.reduce((a, i) => a + table.counts[i][j], 0);
        if (!hidden.length || (hidden.length >= 2 && !isSmallCount(sum, threshold))) return [];
        // Hide the smallest published non-zero cell of this group and column (a zero if none).
        const candidates = rows
          .filter((i) => !isSuppressed(t.cells[i][j]))
          .sort((a, b) => Number(table.counts[a][j] === 0) - Number(table.counts[b][j] === 0) || table.counts[a][j] - table.counts[b][j]);
        return candidates.length ? [[candidates[0], j]] : [];
      }),
    );
    if (!extra.length) return t;
    force.push(extra[0]);
  }
}

/**
 * A one-way table (categories with counts and their total) after disclosure
 * control: a table with one column `column`.
 *
 * @example suppressOneWay([{key: "police", n: 900}, {key: "anonymous", n: 4}, {key: "school", n: 300}])
 */
export function suppressOneWay(rows: readonly {key: string; n: number}[], options: DisclosureOptions = {}, column = "n"): SuppressedTable {
  return suppressTable({rows: rows.map((r) => r.key), cols: [column], counts: rows.map((r) => [r.n])}, options);
}

/**
 * A rate from published counts: "c" when the numerator or the denominator is
 * suppressed, NaN when the denominator is 0.
 *
 * @example suppressedRate(40, "c") // "c"
 */
export function suppressedRate(numerator: Cell, denominator: Cell): number | Suppressed {
  if (isSuppressed(numerator) || isSuppressed(denominator)) return SUPPRESSED;
  return denominator > 0 ? numerator / denominator : NaN;
}

/** A published rate with its Wilson 95% interval, or "c". */
export type PublishedRate = {k: number; n: number; rate: number; lo: number; hi: number} | Suppressed;

/**
 * A rate with its 95% interval from published counts; "c" when either count is suppressed.
 *
 * @example publishedRate(40, 100) // {k: 40, n: 100, rate: 0.4, lo: 0.31, hi: 0.50}
 */
export function publishedRate(numerator: Cell, denominator: Cell): PublishedRate {
  if (isSuppressed(numerator) || isSuppressed(denominator)) return SUPPRESSED;
  return wilson(numerator, denominator);
}

/**
 * Long rows of a suppressed table, for charts: one row per cell with its row,
 * column, published count and row total.
 *
 * @example tableRecords(t).filter((d) => d.n !== "c")
 */
export function tableRecords(table: SuppressedTable): {row: string; col: string; n: Cell; rowTotal: Cell}[] {
  return table.rows.flatMap((row, i) => table.cols.map((col, j) => ({row, col, n: table.cells[i][j], rowTotal: table.rowTotals[i]})));
}

/**
 * Cells of a published table that differencing pins down: for the suppressed
 * entries (cells and totals), those whose value follows exactly from the
 * published numbers by adding and subtracting rows and columns (totals taken
 * as exact, so rounding is not relied on). Empty for every table that
 * {@link suppressTable} returns. Positions are [row, col] in the table with
 * totals (row index `rows.length` is the column-total row).
 */
export function exposedCells(table: SuppressedTable): [number, number][] {
  const grid = publishedGrid(table);
  const suppressed = grid.map((row) => row.map(isSuppressed));
  return bridges(suppressed);
}

/**
 * The differencing attack: repeatedly solves every line (row or column, with
 * its total) that has exactly one suppressed entry. Returns what it recovered
 * ([row, col, value], positions as in {@link exposedCells}); totals are taken
 * as exact.
 */
export function recoverByDifferencing(table: SuppressedTable): [number, number, number][] {
  const grid: (number | null)[][] = publishedGrid(table).map((row) => row.map((v) => (isSuppressed(v) ? null : v)));
  const R = grid.length - 1;
  const C = grid[0].length - 1;
  const recovered: [number, number, number][] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines(R, C)) {
      const unknown = line.filter(([i, j]) => grid[i][j] === null);
      if (unknown.length !== 1) continue;
      const [ui, uj] = unknown[0];
      const totalCell = line[line.length - 1];
      const known = line.filter(([i, j]) => !(i === ui && j === uj));
      // Interior cells add up to the line's total (its last entry).
      const value =
        ui === totalCell[0] && uj === totalCell[1]
          ? known.reduce((a, [i, j]) => a + (grid[i][j] as number), 0)
          : (grid[totalCell[0]][totalCell[1]] as number) -
            known.filter(([i, j]) => !(i === totalCell[0] && j === totalCell[1])).reduce((a, [i, j]) => a + (grid[i][j] as number), 0);
      grid[ui][uj] = value;
      recovered.push([ui, uj, value]);
      changed = true;
    }
  }
  return recovered;
}

// ---------------------------------------------------------------------------

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`disclosure: ${what} must be a whole number of at least 0, got ${n}`);
}

function roundTo(v: number, base: number): number {
  return Math.round(v / base) * base;
}

/** The counts with a totals column and a totals row appended. */
function augmented(counts: readonly (readonly number[])[]): number[][] {
  const C = counts[0]?.length ?? 0;
  const rows = counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const totals = Array.from({length: C + 1}, (_, j) => rows.reduce((a, row) => a + row[j], 0));
  return [...rows, totals];
}

function publishedGrid(table: SuppressedTable): Cell[][] {
  return [...table.cells.map((row, i) => [...row, table.rowTotals[i]]), [...table.colTotals, table.total]];
}

/** Every constraint of a table with totals: each row and each column, the line's total last. */
function lines(R: number, C: number): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i <= R; ++i) out.push(Array.from({length: C + 1}, (_, j): [number, number] => [i, j]));
  for (let j = 0; j <= C; ++j) out.push(Array.from({length: R + 1}, (_, i): [number, number] => [i, j]));
  return out;
}

/**
 * Adds complements until no suppressed entry is a bridge and no published
 * line total reveals a small sum of suppressed cells. Mutates `suppressed`.
 */
function secondarySuppression(grid: number[][], suppressed: boolean[][], threshold: number): void {
  const R = grid.length - 1;
  const C = grid[0].length - 1;
  const all = lines(R, C);
  for (;;) {
    const exposed = bridges(suppressed);
    if (exposed.length) {
      // Extend a line where a suppressed entry is alone (a leaf of the graph):
      // the best complement over all such lines; else the row of the first bridge.
      const rowDegree = (i: number) => suppressed[i].filter(Boolean).length;
      const colDegree = (j: number) => suppressed.filter((row) => row[j]).length;
      const leaves = exposed.flatMap(([i, j]) => [
        ...(rowDegree(i) === 1 ? [all[i]] : []),
        ...(colDegree(j) === 1 ? [all[R + 1 + j]] : []),
      ]);
      const [bi, bj] = exposed[0];
      const options = leaves.length ? leaves : [all[bi], all[R + 1 + bj]];
      const best =
        options
          .map((line) => bestComplement(grid, suppressed, line))
          .filter((c): c is [number, number] => c !== undefined)
          .sort((a, b) => compareRank(grid, a, b))[0] ??
        // Both lines of the bridge are full: the smallest entry left anywhere.
        all
          .flatMap((line) => line)
          .filter(([i, j]) => !suppressed[i][j])
          .sort((a, b) => compareRank(grid, a, b))[0];
      if (!best) throw new Error("disclosure: cannot protect the table (every entry is suppressed)");
      suppressed[best[0]][best[1]] = true;
      continue;
    }
    // A published line total minus the published cells gives the sum of the
    // suppressed cells of that line: it must not be a small count itself.
    const leaky = all.find((line) => {
      const [ti, tj] = line[line.length - 1];
      if (suppressed[ti][tj]) return false;
      const sum = line
        .slice(0, -1)
        .filter(([i, j]) => suppressed[i][j])
        .reduce((a, [i, j]) => a + grid[i][j], 0);
      return isSmallCount(sum, threshold);
    });
    if (leaky && suppressComplement(grid, suppressed, leaky)) continue;
    return;
  }
}

/**
 * The best complement in a line: the smallest non-zero unsuppressed cell,
 * preferring inner cells to the line's total, then zeros; undefined when
 * everything in the line is already suppressed.
 */
function bestComplement(grid: number[][], suppressed: boolean[][], line: [number, number][]): [number, number] | undefined {
  const total = line[line.length - 1];
  return line
    .filter(([i, j]) => !suppressed[i][j])
    .sort(
      (a, b) => Number(a[0] === total[0] && a[1] === total[1]) - Number(b[0] === total[0] && b[1] === total[1]) || compareRank(grid, a, b),
    )
    .sort((a, b) => Number(grid[a[0]][a[1]] === 0) - Number(grid[b[0]][b[1]] === 0))[0];
}

/** Orders complements: non-zero before zero, totals (last row or column) after inner cells, then smaller first. */
function compareRank(grid: number[][], a: [number, number], b: [number, number]): number {
  const R = grid.length - 1;
  const C = grid[0].length - 1;
  const rank = ([i, j]: [number, number]) => [grid[i][j] === 0 ? 1 : 0, i === R || j === C ? 1 : 0, grid[i][j]];
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function suppressComplement(grid: number[][], suppressed: boolean[][], line: [number, number][]): boolean {
  const best = bestComplement(grid, suppressed, line);
  if (!best) return false;
  suppressed[best[0]][best[1]] = true;
  return true;
}

/**
 * Suppressed entries whose value the published lines determine: the bridges
 * of the bipartite graph with a vertex per row and per column (totals
 * included) and an edge per suppressed entry. An edge on a cycle can be moved
 * by +t/−t around the cycle without changing any published number; a bridge
 * cannot (summing the lines on one side of it isolates it).
 */
function bridges(suppressed: boolean[][]): [number, number][] {
  const R = suppressed.length;
  const edges: [number, number][] = [];
  suppressed.forEach((row, i) => row.forEach((s, j) => s && edges.push([i, j])));
  const out: [number, number][] = [];
  for (let e = 0; e < edges.length; ++e) {
    // Is there another path from row i to column j without edge e?
    const [si, sj] = edges[e];
    const adjacency = new Map<number, number[]>();
    const add = (a: number, b: number) => (adjacency.get(a) ?? adjacency.set(a, []).get(a)!).push(b);
    edges.forEach(([i, j], k) => {
      if (k === e) return;
      add(i, R + j);
      add(R + j, i);
    });
    const seen = new Set([si]);
    const stack = [si];
    while (stack.length) for (const next of adjacency.get(stack.pop()!) ?? []) if (!seen.has(next)) (seen.add(next), stack.push(next));
    if (!seen.has(R + sj)) out.push([si, sj]);
  }
  return out;
}
