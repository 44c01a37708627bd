/**
 * What the Explore page shows of its query results: codes as the dictionary's labels,
 * groups in a sensible order, the largest groups for the monthly panels, and the first
 * view answered from the precomputed results (src/data/explore.json) while DuckDB-wasm
 * loads. Pure, so it is tested in Node.
 */

/** A variable as src/data/variables.json describes it (what this module reads of it). */
export interface ExploreVariable {
  name: string;
  label: string;
  type: string;
  codes?: {code: string; label: string}[];
}

/** A query result row: a category (and month or second category), n and k. */
export type ResultRow = Record<string, unknown>;

/** The first view's results, precomputed at build by the same SQL (loaders/pages/explore.ts exploreFirstView). */
export interface FirstView {
  /** the controls' starting values */
  defaults: {
    by: string;
    outcome: {variable: string; code: string};
    by2: string | null;
    from: string;
    to: string;
    filterColumn: string;
    filterValues: string[];
  };
  /** the SQL cell's example query */
  example: string;
  /** rows by the exact SQL text that produced them */
  results: Record<string, ResultRow[]>;
  /** what the browser's contacts table holds: every contact (everyNth 1) or 1 in everyNth by record key */
  table: {contacts: number; rows: number; everyNth: number};
}

/**
 * A code's label from the dictionary; "(missing)" and values without codes (integers) as they are.
 * @example codeLabel({name: "source", label: "Source", type: "category", codes: [{code: "la_services", label: "Local authority services"}]}, "la_services") // "Local authority services"
 */
export function codeLabel(variable: ExploreVariable | undefined, value: unknown): string {
  const text = value === null || value === undefined ? "(missing)" : String(value);
  return variable?.codes?.find((c) => c.code === text)?.label ?? text;
}

/**
 * Rows with `field` turned from codes into labels, ordered as the variable's values go:
 * the dictionary's code order, numbers in numeric order, anything else (e.g. "(missing)") last.
 * @example labelled(rows, variableOf(by))
 */
export function labelled<T extends ResultRow>(rows: T[], variable: ExploreVariable | undefined, field = "category"): T[] {
  const rank = (value: unknown): [number, number | string] => {
    const text = String(value);
    const i = variable?.codes?.findIndex((c) => c.code === text) ?? -1;
    if (i >= 0) return [0, i];
    if (text !== "" && Number.isFinite(Number(text))) return [1, Number(text)];
    return [2, text];
  };
  const order = (a: T, b: T) => {
    const [ga, va] = rank(a[field]);
    const [gb, vb] = rank(b[field]);
    return ga - gb || (typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb)));
  };
  // stable: rows of the same category keep their order (months, second categories)
  return [...rows].sort(order).map((r) => ({...r, [field]: codeLabel(variable, r[field])}));
}

/**
 * The `k` categories with the most records, largest first (ties by name).
 * @example largestGroups(rows, 6)
 */
export function largestGroups(rows: ResultRow[], k: number, field = "category"): string[] {
  return [...rows]
    .sort((a, b) => Number(b.n) - Number(a.n) || String(a[field]).localeCompare(String(b[field])))
    .slice(0, k)
    .map((r) => String(r[field]));
}

/**
 * The rows of `sql`: the precomputed ones when the first view holds this exact query,
 * else run by `query` (DuckDB-wasm, awaited only then). Rows come back as plain objects.
 * @example await answer(first, exploreSql(base), run) // run: (sql) => DuckDB-wasm query
 */
export async function answer(
  first: Pick<FirstView, "results">,
  sql: string,
  query: (sql: string) => Promise<Iterable<ResultRow>>,
): Promise<ResultRow[]> {
  const known = first.results[sql];
  if (known) return known;
  // Arrow rows (DuckDB-wasm) become plain objects, as the precomputed rows are.
  return Array.from(await query(sql), (r) => (typeof r.toJSON === "function" ? (r.toJSON as () => ResultRow)() : {...r}));
}

/**
 * Inputs.table options for an SQL result: each column named by a variable gets its
 * label (with the name to write in SQL) as header, and coded values are shown as labels.
 * @example Inputs.table(rows, {rows: 12, ...tableLabels(Object.keys(rows[0]), variables)})
 */
export function tableLabels(columns: string[], variables: ExploreVariable[]) {
  const header: Record<string, string> = {};
  const format: Record<string, (value: unknown) => string> = {};
  for (const column of columns) {
    const v = variables.find((x) => x.name === column);
    if (!v) continue;
    header[column] = `${v.label} (${column})`;
    if (v.codes?.length) format[column] = (value) => (value === null || value === undefined ? "" : codeLabel(v, value));
  }
  return {header, format};
}
