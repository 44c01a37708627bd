// Disclosure control on hand-made tables, attacked by differencing and by an
// exhaustive search over every table consistent with what is published.
import {describe, expect, it} from "vitest";
import {
  disclosureOptions,
  exposedCells,
  publishedRate,
  recoverByDifferencing,
  suppressCount,
  suppressedRate,
  suppressOneWay,
  suppressTable,
  suppressWithSubtotals,
  tableRecords,
  type Cell,
  type SuppressedTable,
} from "../../src/lib/disclosure.ts";

/** The published table with totals as one grid (totals row last, totals column last). */
function grid(t: SuppressedTable): Cell[][] {
  return [...t.cells.map((row, i) => [...row, t.rowTotals[i]]), [...t.colTotals, t.total]];
}

/** The true table with totals, in the same layout. */
function truth(counts: number[][]): number[][] {
  const rows = counts.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  return [...rows, rows[0].map((_, j) => rows.reduce((a, r) => a + r[j], 0))];
}

/**
 * The strongest attacker for small tables: every assignment of whole numbers
 * ≥ 0 to the suppressed entries that satisfies every row and column equation
 * with the published numbers (totals exact), bounded by `bound`. Returns the
 * set of values each suppressed entry can take.
 */
function feasibleValues(t: SuppressedTable, bound: number): Map<string, Set<number>> {
  const g = grid(t);
  const R = g.length - 1;
  const C = g[0].length - 1;
  const unknown: [number, number][] = [];
  g.forEach((row, i) => row.forEach((v, j) => v === "c" && unknown.push([i, j])));
  const value: number[][] = g.map((row) => row.map((v) => (v === "c" ? -1 : v)));
  const lines: [number, number][][] = [];
  for (let i = 0; i <= R; ++i) lines.push(Array.from({length: C + 1}, (_, j): [number, number] => [i, j]));
  for (let j = 0; j <= C; ++j) lines.push(Array.from({length: R + 1}, (_, i): [number, number] => [i, j]));
  const ok = (partial: boolean) =>
    lines.every((line) => {
      const inner = line.slice(0, -1);
      const [ti, tj] = line[line.length - 1];
      if (inner.some(([i, j]) => value[i][j] < 0) || value[ti][tj] < 0) {
        if (!partial) return false;
        if (value[ti][tj] < 0) return true;
        return inner.reduce((a, [i, j]) => a + Math.max(0, value[i][j]), 0) <= value[ti][tj];
      }
      return inner.reduce((a, [i, j]) => a + value[i][j], 0) === value[ti][tj];
    });
  const seen = new Map(unknown.map(([i, j]) => [`${i},${j}`, new Set<number>()]));
  const search = (k: number): void => {
    if (k === unknown.length) {
      if (ok(false)) unknown.forEach(([i, j]) => seen.get(`${i},${j}`)!.add(value[i][j]));
      return;
    }
    const [i, j] = unknown[k];
    // No entry exceeds a published total of its row or column.
    const caps = [g[i][C], g[R][j], g[R][C]].filter((x): x is number => x !== "c");
    const cap = Math.min(bound, ...caps);
    for (let v = 0; v <= cap; ++v) {
      value[i][j] = v;
      if (ok(true)) search(k + 1);
    }
    value[i][j] = -1;
  };
  search(0);
  return seen;
}

/** Asserts everything a published table must satisfy against the true counts. */
function expectSafe(counts: number[][], t: SuppressedTable, threshold = 5) {
  const real = truth(counts);
  grid(t).forEach((row, i) =>
    row.forEach((v, j) => {
      if (v === "c") return;
      expect(v, `published (${i}, ${j}) is the true count`).toBe(real[i][j]);
      expect(v === 0 || v > threshold, `published (${i}, ${j}) = ${v} is not a small count`).toBe(true);
    }),
  );
  real.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v >= 1 && v <= threshold) expect(grid(t)[i][j], `small count at (${i}, ${j}) suppressed`).toBe("c");
    }),
  );
  expect(exposedCells(t)).toEqual([]);
  expect(recoverByDifferencing(t)).toEqual([]);
}

describe("primary suppression", () => {
  it("publishes counts of 1..5 as c, and 0 and 6+ as they are", () => {
    expect([0, 1, 3, 5, 6, 120].map((n) => suppressCount(n))).toEqual([0, "c", "c", "c", 6, 120]);
  });

  it("takes a threshold up to 10 and refuses anything else", () => {
    expect([6, 10, 11].map((n) => suppressCount(n, {threshold: 10}))).toEqual(["c", "c", 11]);
    expect(() => disclosureOptions({threshold: 11})).toThrow(/threshold must be a whole number from 1 to 10, got 11/);
    expect(() => disclosureOptions({threshold: 0})).toThrow(/from 1 to 10/);
    expect(() => suppressCount(-1)).toThrow(/count must be a whole number of at least 0, got -1/);
  });
});

describe("secondary suppression against differencing", () => {
  it("a lone small cell would be recovered from its row total without complements (the attacker works)", () => {
    const naive: SuppressedTable = {
      rows: ["a", "b"],
      cols: ["x", "y"],
      cells: [
        ["c", 40],
        [50, 60],
      ],
      rowTotals: [43, 110],
      colTotals: [53, 100],
      total: 153,
      threshold: 5,
      roundTotalsTo: 1,
      suppressed: {primary: 1, secondary: 0},
    };
    expect(recoverByDifferencing(naive)).toContainEqual([0, 0, 3]);
    expect(exposedCells(naive)).toEqual([[0, 0]]);
  });

  it("protects one small cell in a 2×2 table: all four cells suppressed, totals published", () => {
    const counts = [
      [3, 40],
      [50, 60],
    ];
    const t = suppressTable({rows: ["a", "b"], cols: ["x", "y"], counts});
    expect(t.cells).toEqual([
      ["c", "c"],
      ["c", "c"],
    ]);
    expect([t.rowTotals, t.colTotals, t.total]).toEqual([[43, 110], [53, 100], 153]);
    expectSafe(counts, t);
    const values = feasibleValues(t, 153);
    expect([...values.get("0,0")!].length).toBeGreaterThan(5);
  });

  it("picks the smallest non-zero complements in a 3×3 table and leaves the rest published", () => {
    const counts = [
      [2, 30, 45],
      [20, 25, 60],
      [40, 50, 70],
    ];
    const t = suppressTable({rows: ["a", "b", "c"], cols: ["x", "y", "z"], counts});
    expect(t.cells).toEqual([
      ["c", "c", 45],
      ["c", "c", 60],
      [40, 50, 70],
    ]);
    expect(t.suppressed).toEqual({primary: 1, secondary: 3});
    expectSafe(counts, t);
  });

  it("a small row total is suppressed with its cells, and the column totals still reveal nothing", () => {
    const counts = [
      [1, 2, 0],
      [20, 25, 60],
      [40, 50, 70],
    ];
    const t = suppressTable({rows: ["a", "b", "c"], cols: ["x", "y", "z"], counts});
    expect(t.rowTotals[0]).toBe("c");
    expectSafe(counts, t);
    for (const [cell, set] of feasibleValues(t, 268)) expect(set.size, `values of ${cell}`).toBeGreaterThan(1);
  });

  it("two small cells in one row whose sum the row total reveals get a third complement", () => {
    const counts = [
      [2, 1, 30],
      [20, 25, 60],
    ];
    const t = suppressTable({rows: ["a", "b"], cols: ["x", "y", "z"], counts});
    expectSafe(counts, t);
    // The row total minus published cells must not be a small count.
    const row = grid(t)[0];
    const known = row
      .slice(0, -1)
      .filter((v): v is number => v !== "c")
      .reduce((a, b) => a + b, 0);
    expect(row[3] === "c" || (row[3] as number) - known > 5).toBe(true);
  });

  it("a one-way table with one small category hides a second one, so the total does not give it away", () => {
    const t = suppressOneWay([
      {key: "police", n: 900},
      {key: "anonymous", n: 4},
      {key: "housing", n: 12},
      {key: "school", n: 300},
    ]);
    expect(t.cells.map((r) => r[0])).toEqual([900, "c", "c", 300]);
    expect(t.total).toBe(1216);
    expectSafe([[900], [4], [12], [300]], t);
  });

  it("on 200 seeded random tables: nothing small published, nothing recoverable, every suppressed entry has ≥ 2 possible values", () => {
    let seed = 20261126;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let tested = 0;
    for (let k = 0; k < 200; ++k) {
      const R = 2 + Math.floor(random() * 2);
      const C = 2 + Math.floor(random() * 2);
      const counts = Array.from({length: R}, () => Array.from({length: C}, () => Math.floor(random() * random() * 14)));
      const t = suppressTable({rows: counts.map((_, i) => `r${i}`), cols: counts[0].map((_, j) => `c${j}`), counts});
      expectSafe(counts, t);
      const unknown = grid(t)
        .flat()
        .filter((v) => v === "c").length;
      if (unknown > 7) continue; // keep the exhaustive search small
      const total = truth(counts)[R][C];
      for (const [cell, set] of feasibleValues(t, total)) expect(set.size, `table ${k}, entry ${cell}`).toBeGreaterThan(1);
      tested++;
    }
    expect(tested).toBeGreaterThan(100);
  });

  it("with a threshold of 10, counts up to 10 are hidden and protected", () => {
    const counts = [
      [8, 30],
      [45, 60],
    ];
    const t = suppressTable({rows: ["a", "b"], cols: ["x", "y"], counts}, {threshold: 10});
    expectSafe(counts, t, 10);
    expect(t.cells[0][0]).toBe("c");
  });
});

describe("tables linked by a published subtotal", () => {
  // Ten score bands by outcome; bands 6–10 are "flagged", and the flagged counts are published elsewhere.
  const groups = [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
  ];
  const rows = groups.flat().map((i) => `band ${i + 1}`);
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const tables = Array.from({length: 300}, () => rows.map(() => [Math.floor(random() * random() * 60), Math.floor(random() * 200)]));
  /** Group-and-column sums a subtotal would reveal: [group, column, recovered value, true value] when one cell is alone. */
  const recoverable = (t: SuppressedTable, counts: number[][]) =>
    groups.flatMap((g) =>
      [0, 1].flatMap((j) => {
        const hidden = g.filter((i) => t.cells[i][j] === "c");
        if (hidden.length !== 1) return [];
        const subtotal = g.reduce((a, i) => a + counts[i][j], 0);
        const published = g.filter((i) => t.cells[i][j] !== "c").reduce((a, i) => a + (t.cells[i][j] as number), 0);
        return [[subtotal - published, counts[hidden[0]][j]]];
      }),
    );

  it("table-only suppression can leave a cell recoverable from the subtotal (the attack works)", () => {
    const leaks = tables.flatMap((counts) => recoverable(suppressTable({rows, cols: ["pos", "neg"], counts}), counts));
    expect(leaks.length).toBeGreaterThan(0);
    for (const [recovered, truth] of leaks) expect(recovered).toBe(truth);
  });

  it("suppressWithSubtotals leaves no group and column with a lone or small hidden sum, and stays safe within the table", () => {
    for (const counts of tables) {
      const t = suppressWithSubtotals({rows, cols: ["pos", "neg"], counts}, groups);
      expectSafe(counts, t);
      expect(recoverable(t, counts)).toEqual([]);
      for (const g of groups)
        for (const j of [0, 1]) {
          const hidden = g.filter((i) => t.cells[i][j] === "c");
          const sum = hidden.reduce((a, i) => a + counts[i][j], 0);
          expect(hidden.length === 0 || sum === 0 || sum > 5 || hidden.length === g.length).toBe(true);
        }
    }
  });
});

describe("rounding and rates", () => {
  it("rounds totals to the base, never cells, and suppresses a total that rounds into 1..threshold", () => {
    const counts = [
      [12, 31],
      [44, 60],
    ];
    const t = suppressTable({rows: ["a", "b"], cols: ["x", "y"], counts}, {roundTotalsTo: 10});
    expect(t.cells).toEqual([
      [12, 31],
      [44, 60],
    ]);
    expect([t.rowTotals, t.colTotals, t.total]).toEqual([[40, 100], [60, 90], 150]);
    const small = suppressTable({rows: ["a", "b"], cols: ["x"], counts: [[0], [7]]}, {roundTotalsTo: 5, threshold: 5});
    expect(small.rowTotals[1]).toBe("c");
  });

  it("a rate with a suppressed numerator or denominator is suppressed", () => {
    expect(suppressedRate("c", 100)).toBe("c");
    expect(suppressedRate(40, "c")).toBe("c");
    expect(suppressedRate(40, 100)).toBe(0.4);
    expect(publishedRate("c", 100)).toBe("c");
    const r = publishedRate(40, 100);
    expect(r !== "c" && r.lo < 0.4 && r.hi > 0.4).toBe(true);
  });

  it("chart records carry only published values", () => {
    const t = suppressTable({
      rows: ["a", "b"],
      cols: ["x", "y"],
      counts: [
        [3, 40],
        [50, 60],
      ],
    });
    expect(tableRecords(t).map((d) => d.n)).toEqual(["c", "c", "c", "c"]);
  });
});
