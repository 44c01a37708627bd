/**
 * The scan of a built public site: the proof that nothing about a person left
 * the build. It fails (returns findings) when
 * - any file holds an identifier from the warehouse (every value of each
 *   identifier variable of type id, matched anywhere in the bytes);
 * - a file is record-level: Parquet or Arrow, or a table (CSV/TSV, or a JSON
 *   array of objects) with an identifier column, a timestamp column or 1,000+ rows;
 * - a data file (JSON, CSV, TSV) holds a count of 1..threshold: every whole
 *   number of 1..threshold counts, unless its key is one of NON_COUNT_KEYS;
 *   and a page (HTML) shows one in a count cell (`data-count`, as the public
 *   tables mark every count they write);
 * - a page's CSV links (a table's cells in a base64 `data:` address) hold an id or are record-level;
 * - DuckDB-wasm (or any .wasm) is shipped.
 * Findings name the file and the rule, never the value of an id. Which variables
 * are identifiers comes from the dictionary ({@link identifierVariables}), so a
 * council's or another field's extract is screened by its own dictionary.
 */
import {readdirSync, readFileSync, statSync} from "node:fs";
import {extname, join, relative, sep} from "node:path";
import {loadDictionary, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident} from "../sql.ts";
import {withWarehouse} from "../db.ts";
import {DEFAULT_THRESHOLD} from "../../src/lib/disclosure.ts";

/** One problem found: the file (relative to the scanned folder), the rule broken and a description without values. */
export interface Finding {
  file: string;
  rule: "identifier" | "record-level" | "small-count" | "duckdb-wasm";
  detail: string;
}

/** Keys whose whole numbers are not counts of people (settings, versions, positions, sizes of the model). */
export const NON_COUNT_KEYS = new Set([
  "threshold",
  "roundTotalsTo",
  "seed",
  "encodedColumns",
  "features",
  "replicates",
  "iterations",
  "epochs",
  "hidden",
  "bandsFlagged",
  "version",
  "files",
  "trainingSeconds",
  "batchSize",
  "width",
  "height",
]);

const DATA_FILES = new Set([".json", ".csv", ".tsv"]);
const MAX_AGGREGATE_ROWS = 1000;

/** Every file under `dir`, relative, with "/" separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, {withFileTypes: true})) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * The dictionary's identifiers: every variable with role id, and every variable of
 * type id marked as a direct or quasi-identifier (e.g. a record key, a person's and
 * a household's reference, and the screener's).
 */
export function identifierVariables(dict: Dictionary): Variable[] {
  return dict.variables.filter((v) => v.role === "id" || (v.type === "id" && v.sensitivity !== "none"));
}

/**
 * The values of every identifier variable of type id, read from the warehouse (an
 * identifier stored as a number is caught by its column name instead: a short number
 * matched anywhere in the bytes would flag every file).
 */
export async function warehouseIds(dict: Dictionary = loadDictionary(), dbPath?: string): Promise<Set<string>> {
  const idVars = identifierVariables(dict).filter((v) => v.type === "id");
  return withWarehouse(async (db) => {
    const ids = new Set<string>();
    for (const v of idVars) {
      for (const row of await queryRows(
        db,
        `SELECT DISTINCT ${ident(v.name)}::VARCHAR AS id FROM contacts WHERE ${ident(v.name)} IS NOT NULL`,
      ))
        ids.add(String(row.id));
    }
    return ids;
  }, dbPath);
}

/**
 * How many distinct warehouse ids occur in `text`: every window of each id
 * length is looked up, so an id inside minified code or a longer string is found too.
 */
export function countIds(text: string, ids: Set<string>, lengths: number[]): number {
  const found = new Set<string>();
  for (const L of lengths) {
    for (let i = 0; i + L <= text.length; ++i) {
      const window = text.slice(i, i + L);
      if (ids.has(window)) found.add(window);
    }
  }
  return found.size;
}

/** Small counts in a parsed JSON value: the paths (keys) where a whole number of 1..threshold sits. */
export function smallCountsInJson(value: unknown, threshold: number, key = "", path = "$"): string[] {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 1 && value <= threshold && !NON_COUNT_KEYS.has(key) ? [path] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => smallCountsInJson(v, threshold, key, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => smallCountsInJson(v, threshold, k, `${path}.${k}`));
  }
  return [];
}

/**
 * Count cells of a page holding 1..threshold: the text of every element
 * marked `data-count` (thousands separators allowed). Returns each such cell's
 * position among the page's count cells (1-based), never its value.
 */
export function smallCountsInHtml(html: string, threshold: number): number[] {
  const out: number[] = [];
  let i = 0;
  for (const m of html.matchAll(/<(\w+)\b[^>]*\sdata-count(?:[\s=>][^>]*)?>([^<]*)<\/\1>/g)) {
    i++;
    const text = m[2].trim().replace(/,/g, "");
    if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= threshold) out.push(i);
  }
  return out;
}

/** Record-level tables in a parsed JSON value: arrays of objects with an id or timestamp key, or 1,000+ rows. */
function recordTablesInJson(value: unknown, idNames: Set<string>, path = "$"): string[] {
  if (Array.isArray(value)) {
    const objects = value.filter((v) => v && typeof v === "object" && !Array.isArray(v)) as Record<string, unknown>[];
    const here: string[] = [];
    if (objects.length) {
      const keys = new Set(objects.flatMap((o) => Object.keys(o)));
      const idKey = [...keys].find((k) => idNames.has(k));
      const stamp = objects.some((o) => Object.values(o).some((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v)));
      if (idKey) here.push(`${path} is a table with the id column ${idKey}`);
      else if (stamp) here.push(`${path} is a table with timestamps (record times)`);
      else if (objects.length >= MAX_AGGREGATE_ROWS) here.push(`${path} is a table of ${objects.length} rows (aggregates are smaller)`);
    }
    return [...here, ...value.flatMap((v, i) => recordTablesInJson(v, idNames, `${path}[${i}]`))];
  }
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => recordTablesInJson(v, idNames, `${path}.${k}`));
  return [];
}

function parseDelimited(text: string, delimiter: string): string[][] {
  // Aggregates have no quoted delimiters; a quoted field is read as a whole when it has none inside.
  return text
    .split(/\r?\n/)
    .filter((line) => line.length)
    .map((line) => line.split(delimiter).map((f) => f.replace(/^"|"$/g, "").trim()));
}

/** The CSV files a page carries in `data:` links (base64), decoded, in page order. */
export function embeddedCsv(html: string): string[] {
  return [...html.matchAll(/data:text\/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)/g)].map((m) =>
    Buffer.from(m[1], "base64").toString("utf8"),
  );
}

/**
 * Scans a built site. `ids` are the warehouse ids ({@link warehouseIds});
 * `idNames` the names of identifier variables (columns that make a table
 * record-level), by default the dictionary's ({@link identifierVariables}).
 *
 * @example const findings = scanSite("dist-public", {ids: await warehouseIds()}); // [] when safe
 */
export function scanSite(
  dir: string,
  {
    ids,
    idNames = new Set(identifierVariables(loadDictionary()).map((v) => v.name)),
    threshold = DEFAULT_THRESHOLD,
  }: {ids: Set<string>; idNames?: Set<string>; threshold?: number},
): Finding[] {
  const findings: Finding[] = [];
  const lengths = [...new Set([...ids].map((id) => id.length))];
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    const ext = extname(file).toLowerCase();
    if (ext === ".wasm" || /duckdb/i.test(file))
      findings.push({file, rule: "duckdb-wasm", detail: "DuckDB-wasm or another WebAssembly file is shipped"});
    if ([".parquet", ".arrow", ".feather"].includes(ext))
      findings.push({file, rule: "record-level", detail: `a ${ext.slice(1)} file (row-level format) is shipped`});
    if (statSync(path).size > 50 * 1024 * 1024) {
      findings.push({file, rule: "record-level", detail: "a file over 50 MB"});
      continue;
    }
    const text = readFileSync(path, "latin1");
    const n = countIds(text, ids, lengths);
    if (n)
      findings.push({file, rule: "identifier", detail: `${n} distinct id(s) from the warehouse (the dictionary's identifier variables)`});
    if (ext === ".html") {
      const html = readFileSync(path, "utf8");
      // A table's CSV link carries its cells base64-encoded (src/components/public-table.ts csvLink): read them as data.
      for (const [i, csv] of embeddedCsv(html).entries()) {
        const where = `CSV link ${i + 1}`;
        const inCsv = countIds(csv, ids, lengths);
        if (inCsv) findings.push({file, rule: "identifier", detail: `${where}: ${inCsv} distinct id(s) from the warehouse`});
        const [header = [], ...rows] = parseDelimited(csv, ",");
        const idColumn = header.find((h) => idNames.has(h));
        if (idColumn) findings.push({file, rule: "record-level", detail: `${where}: a table with the id column ${idColumn}`});
        else if (rows.length >= MAX_AGGREGATE_ROWS)
          findings.push({file, rule: "record-level", detail: `${where}: a table of ${rows.length} rows (aggregates are smaller)`});
      }
      const small = smallCountsInHtml(html, threshold);
      if (small.length)
        findings.push({
          file,
          rule: "small-count",
          detail: `${small.length} count cell(s) showing 1..${threshold}, first at count cell ${small.slice(0, 3).join(", ")}`,
        });
      continue;
    }
    if (!DATA_FILES.has(ext)) continue;
    const utf8 = readFileSync(path, "utf8");
    if (ext === ".json") {
      let value: unknown;
      try {
        value = JSON.parse(utf8);
      } catch {
        findings.push({file, rule: "record-level", detail: "a .json file that does not parse (cannot be checked)"});
        continue;
      }
      for (const d of recordTablesInJson(value, idNames)) findings.push({file, rule: "record-level", detail: d});
      const small = smallCountsInJson(value, threshold);
      if (small.length)
        findings.push({
          file,
          rule: "small-count",
          detail: `${small.length} count(s) of 1..${threshold}, first at ${small.slice(0, 3).join(", ")}`,
        });
    } else {
      const [header = [], ...rows] = parseDelimited(utf8, ext === ".tsv" ? "\t" : ",");
      const idColumn = header.find((h) => idNames.has(h));
      if (idColumn) findings.push({file, rule: "record-level", detail: `a table with the id column ${idColumn}`});
      else if (rows.length >= MAX_AGGREGATE_ROWS)
        findings.push({file, rule: "record-level", detail: `a table of ${rows.length} rows (aggregates are smaller)`});
      const small = rows.flatMap((row, r) =>
        row.flatMap((v, c) =>
          /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= threshold && !NON_COUNT_KEYS.has(header[c] ?? "")
            ? [`row ${r + 2}, column ${header[c] ?? c + 1}`]
            : [],
        ),
      );
      if (small.length)
        findings.push({
          file,
          rule: "small-count",
          detail: `${small.length} count(s) of 1..${threshold}, first at ${small.slice(0, 3).join("; ")}`,
        });
    }
  }
  return findings;
}

/** The scan with the warehouse's ids and the dictionary's id columns. */
export async function scanPublicSite(
  dir: string,
  {threshold = DEFAULT_THRESHOLD, dict = loadDictionary(), dbPath}: {threshold?: number; dict?: Dictionary; dbPath?: string} = {},
): Promise<{files: number; ids: number; findings: Finding[]}> {
  const ids = await warehouseIds(dict, dbPath);
  const idNames = new Set(identifierVariables(dict).map((v) => v.name));
  return {files: listFiles(dir).length, ids: ids.size, findings: scanSite(dir, {ids, idNames, threshold})};
}
