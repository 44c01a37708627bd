/**
 * The contacts table for the Explore page, as Parquet for DuckDB-wasm in the
 * browser (internal pages only): every contact, or past 250,000 a fixed sample. Lists become semicolon-separated text so any
 * SQL client can read them; each multi-category code also gets a 0/1 column.
 * And the page's first view, answered at build time by the same SQL on the same
 * rows, so the first chart is drawn while DuckDB-wasm is still loading.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {ident, literal} from "../sql.ts";
import {queryRows, withWarehouse} from "../db.ts";
import type {DuckDBConnection} from "@duckdb/node-api";
import {defaultBreakdown, variableTarget} from "../overview.ts";
import {exampleSql, exploreSql, type ExploreQuery} from "../../src/lib/explore-sql.ts";
import type {FirstView} from "../../src/lib/explore-view.ts";

/** The most contacts the browser's table holds: past it, a fixed sample (below). */
export const EXPLORE_MAX_ROWS = 250_000;

/** What the browser's contacts table holds: every contact, or 1 in `everyNth` by a hash of the record key. */
export interface ExploreTable {
  contacts: number;
  rows: number;
  everyNth: number;
}

/**
 * The rows the table keeps: all contacts up to `maxRows`; past it, those whose record key hashes to
 * 0 modulo ceil(contacts / maxRows) — the same contacts on every build, about `maxRows` of them, so
 * DuckDB-wasm and the page stay quick at a million contacts.
 */
async function sampleFilter(db: DuckDBConnection, dict: Dictionary, maxRows: number): Promise<{where: string; table: ExploreTable}> {
  const [{n}] = await queryRows(db, `SELECT count(*) AS n FROM contacts`);
  const contacts = Number(n);
  const everyNth = Math.max(1, Math.ceil(contacts / maxRows));
  const where = everyNth > 1 ? `WHERE hash(${ident(dict.roles.record)}) % ${everyNth} = 0` : "";
  const [{kept}] = where ? await queryRows(db, `SELECT count(*) AS kept FROM contacts ${where}`) : [{kept: contacts}];
  return {where, table: {contacts, rows: Number(kept), everyNth}};
}

/** What the table holds (the page says so when it is a sample). */
export async function exploreTable(
  dict: Dictionary = loadDictionary(),
  {maxRows = EXPLORE_MAX_ROWS, dbPath}: {maxRows?: number; dbPath?: string} = {},
) {
  return withWarehouse(async (db) => (await sampleFilter(db, dict, maxRows)).table, dbPath);
}

export async function contactsParquet(
  dict: Dictionary = loadDictionary(),
  {maxRows = EXPLORE_MAX_ROWS}: {maxRows?: number} = {},
): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "explore-"));
  const out = join(dir, "contacts.parquet");
  try {
    await withWarehouse(async (db) => {
      const {where} = await sampleFilter(db, dict, maxRows);
      const cols = dict.variables.flatMap((v) => {
        if (v.type !== "multi-category") return [ident(v.name)];
        return [
          `array_to_string(${ident(v.name)}, ';') AS ${ident(v.name)}`,
          ...(v.codes ?? []).map(
            (c) => `CAST(list_contains(${ident(v.name)}, ${literal(c.code)}) AS INTEGER) AS ${ident(`${v.name}_${c.code}`)}`,
          ),
        ];
      });
      const extra = dict.variables.filter((v) => v.special_codes?.length).map((v) => ident(`${v.name}_code`));
      await db.run(
        `COPY (SELECT ${[...cols, ...extra].join(", ")} FROM contacts ${where}) TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/**
 * The controls' starting values: the default breakdown (baseline feature), the default
 * target's first positive code (else the first target variable's first code), two-way
 * with the first protected category, whole years from the first contact to the last,
 * every code of the breakdown chosen.
 */
export function exploreDefaults(dict: Dictionary, years: {first: number; last: number}): FirstView["defaults"] {
  const by = defaultBreakdown(dict);
  const target = variableTarget(dict);
  const targetVariable = dict.variables.find((v) => v.name === target?.variable);
  const positive = targetVariable?.codes?.find((c) => target?.positive.includes(c.code));
  const fallback = dict.variables.find((v) => v.role === "target" && v.codes?.length);
  const outcome = positive
    ? {variable: targetVariable!.name, code: positive.code}
    : fallback
      ? {variable: fallback.name, code: fallback.codes![0].code}
      : null;
  if (!outcome) throw new Error("the dictionary has no target variable with codes (role: target) for the Explore page's outcome");
  return {
    by,
    outcome,
    by2: dict.variables.find((v) => v.role === "protected" && v.type === "category")?.name ?? null,
    from: `${years.first}-01-01`,
    to: `${years.last}-12-31`,
    filterColumn: by,
    filterValues: (dict.variables.find((v) => v.name === by)?.codes ?? []).map((c) => c.code),
  };
}

/** The three queries of a view (rates by group, by group and month, two-way), as the page builds them. */
export function viewQueries(d: FirstView["defaults"], time: string): string[] {
  const base: ExploreQuery = {...d, outcome: d.outcome.variable, code: d.outcome.code, time, by2: null};
  return [exploreSql(base), exploreSql({...base, monthly: true}), ...(d.by2 ? [exploreSql({...base, by2: d.by2})] : [])];
}

/** The SQL cell's example: the default target's rate by the default breakdown (else the first outcome's). */
export function exampleQuery(dict: Dictionary, d: FirstView["defaults"]): string {
  const target = variableTarget(dict) ?? {name: d.outcome.code, variable: d.outcome.variable, positive: [d.outcome.code]};
  return exampleSql({by: d.by, variable: target.variable, positive: target.positive, name: target.name});
}

/**
 * The Explore page's first view: its defaults, the SQL cell's example, and the rows of
 * their queries keyed by the SQL text, computed on every contact of the warehouse (past
 * EXPLORE_MAX_ROWS, contacts.parquet holds a sample: `table` says which).
 */
export async function exploreFirstView(
  dict: Dictionary = loadDictionary(),
  dbPath?: string,
  {maxRows = EXPLORE_MAX_ROWS}: {maxRows?: number} = {},
): Promise<FirstView> {
  const time = dict.roles.event_time;
  return withWarehouse(async (db) => {
    const [span] = await queryRows(db, `SELECT year(min(${ident(time)})) AS first, year(max(${ident(time)})) AS last FROM contacts`);
    const now = new Date().getUTCFullYear(); // an empty warehouse: any year, nothing to count
    const defaults = exploreDefaults(dict, {first: Number(span.first ?? now), last: Number(span.last ?? now)});
    const example = exampleQuery(dict, defaults);
    const results: FirstView["results"] = {};
    for (const sql of [...viewQueries(defaults, time), example]) results[sql] = await queryRows(db, sql);
    return {defaults, example, results, table: (await sampleFilter(db, dict, maxRows)).table};
  }, dbPath);
}
