/**
 * Identifier screening: an "anonymised" extract that still carries direct
 * identifiers must never get in. Columns are screened by name and by content
 * (person names, NHS numbers with a valid check digit, full postcodes, e-mail
 * addresses, phone numbers, full dates of birth). Findings name the column, the
 * kind and the count — never a value.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {ident, literal, normalisedExpr} from "../sql.ts";
import {queryRows} from "../db.ts";
import {spellings, type Dictionary, variableForHeading} from "../dictionary.ts";
import {KINDS, screenColumn, type IdentifierKind as SharedKind, type KindCounts} from "../../src/lib/identifiers.ts";

export type IdentifierKind = SharedKind | "declared_identifier";

export interface Finding {
  /** the column's name in the header ("" when it has none that can be shown) */
  column: string;
  kind: IdentifierKind;
  by: "name" | "content" | "dictionary";
  count: number;
  /** the column's position in the file (from 1), when screened as raw text (see `screenCells`) */
  position?: number;
  /** the line of the first value found, when screened as raw text */
  row?: number;
}

/** Column names that announce a direct identifier. */
const NAME_PATTERNS: [RegExp, IdentifierKind][] = [
  [/(^|_)(first_?name|forenames?|surname|last_?name|family_?name|full_?name|given_?name|name)($|_)/, "person_name"],
  [/(^|_)nhs(_?(no|num|number))?($|_)/, "nhs_number"],
  [/(^|_)post_?code($|_)/, "postcode"],
  [/(^|_)e_?mail($|_)/, "email"],
  [/(^|_)(phone|telephone|mobile|tel)($|_)/, "phone"],
  [/(^|_)(dob|date_?of_?birth|birth_?date)($|_)/, "date_of_birth"],
  [/(^|_)(ni|nino|ni_?(no|num|number)|national_?insurance(_?(no|num|number))?)($|_)/, "ni_number"],
];

export function screenByName(columns: string[], dict: Dictionary): Finding[] {
  const out: Finding[] = [];
  for (const column of columns) {
    const declared = variableForHeading(dict, column);
    if (declared?.sensitivity === "direct-identifier") {
      out.push({column, kind: "declared_identifier", by: "dictionary", count: 0});
      continue;
    }
    // camelCase and PascalCase split into words first: EmailAddress → email_address, NHSNumber → nhs_number.
    const key = column
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_");
    for (const [re, kind] of NAME_PATTERNS) if (re.test(key)) out.push({column, kind, by: "name", count: 0});
  }
  return out;
}

/**
 * SQL: false only for a text the shared screen cannot flag, on the untrimmed text `x` — a cheap
 * test so that only plausible values are sent to it. The screen needs an @ (e-mail), a separator
 * between words (a name in text, an address, a spaced number), 5–8 characters (a postcode), 8–18
 * characters starting with a digit, "+" or "(" (a phone or NHS number, a date), or a value of
 * letters only (a lone name, judged per column). Ids and short codes with digits are dropped.
 */
export function plausibleSql(x: string): string {
  return `(contains(${x}, '@') OR regexp_matches(${x}, '[\\s,;:.!?()"/_]') OR strlen(${x}) BETWEEN 5 AND 8
    OR (strlen(${x}) BETWEEN 8 AND 18 AND (ascii(${x}) BETWEEN 48 AND 57 OR ascii(${x}) IN (40, 43)))
    OR NOT regexp_matches(${x}, '[^A-Za-z''’-]'))`;
}

/**
 * Runs the shared screen on the distinct plausible values of `valuesSql` — a query of (c: a
 * column's key, x: a text, r: its row or NULL) — each column's values as one column (see
 * `screenColumn`). Returns per key the counts of rows by kind and the least row of each.
 */
export async function screenDistinct(
  db: DuckDBConnection,
  valuesSql: string,
  dateColumn: (key: string) => boolean = () => false,
): Promise<Map<string, KindCounts>> {
  const rows = await queryRows(
    db,
    `SELECT c::VARCHAR AS c, trim(x) AS s, count(*)::DOUBLE AS n, min(r)::DOUBLE AS r
    FROM (${valuesSql}) WHERE x IS NOT NULL AND ${plausibleSql("x")} GROUP BY ALL`,
  );
  const byKey = new Map<string, {text: string; n: number; row?: number}[]>();
  for (const row of rows) {
    const key = String(row.c);
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push({text: String(row.s), n: Number(row.n), row: row.r === null ? undefined : Number(row.r)});
  }
  const out = new Map<string, KindCounts>();
  for (const [key, values] of byKey) {
    const found = screenColumn(values, {dateColumn: dateColumn(key)});
    if (found.size) out.set(key, found);
  }
  return out;
}

/** Whether a column (by its heading) is a declared date or datetime, where dates are expected. */
function isDateColumn(column: string, dict?: Dictionary): boolean {
  const declared = dict ? variableForHeading(dict, column) : undefined;
  return declared?.type === "date" || declared?.type === "datetime";
}

/** The findings of `screenDistinct` for named columns, in KINDS order per column. */
function findingsOf(found: Map<string, KindCounts>, column: (key: string) => string): Finding[] {
  const out: Finding[] = [];
  for (const [key, counts] of found)
    for (const kind of KINDS) {
      const c = counts.get(kind);
      if (c) out.push({column: column(key), kind, by: "content", count: c.count});
    }
  return out;
}

/**
 * Screens the content of every column of `table`. Declared date and datetime columns are not
 * checked for dates of birth; everything else is checked for everything. `sources` gives, for a
 * column whose texts are not simply a column of that name in `table`, a query returning them as
 * column x.
 */
export async function screenByContent(
  db: DuckDBConnection,
  table: string,
  columns: string[],
  dict: Dictionary,
  sources: Record<string, string> = {},
): Promise<Finding[]> {
  if (!columns.length) return [];
  const values = columns.map((column, i) => {
    const source = sources[column] ?? `SELECT ${ident(column)} AS x FROM ${table}`;
    return `SELECT ${i} AS c, x, NULL AS r FROM (${source})`;
  });
  const found = await screenDistinct(db, values.join(" UNION ALL "), (key) => isDateColumn(columns[Number(key)], dict));
  return findingsOf(found, (key) => columns[Number(key)]);
}

/**
 * Screens raw cells, read with no header matched: `cells` is a query of (p: the column's position
 * from 1, r: the row's number, x: the text). `names[p - 1]` is the header text at position p ("" for
 * none) and decides the same exemptions as the other screens: no dates of birth in a declared date
 * or datetime column, and no screening of a value that is a code, label or synonym of the category
 * (or an item of the multi-category list) it names — such a value cannot identify anyone. Returns a
 * finding per (position, kind) found, `row` being the least r found (for the caller to turn into a line).
 */
export async function screenCells(db: DuckDBConnection, cells: string, names: string[], dict: Dictionary): Promise<Finding[]> {
  const variables = names.map((n) => variableForHeading(dict, n));
  const coded = variables.flatMap((v, i) =>
    v && (v.type === "category" || v.type === "boolean" || v.type === "multi-category") ? [{p: i + 1, v}] : [],
  );
  // The known spellings of each coded column, normalised (as codes are matched in validation).
  const known = coded.flatMap(({p, v}) => [...spellings(v).keys()].map((spelling) => ({p, spelling})));
  const knownSql = known.length
    ? `SELECT unnest([${known.map((k) => k.p).join(", ")}]) AS p, unnest([${known.map((k) => literal(k.spelling)).join(", ")}]) AS spelling`
    : "SELECT NULL::INTEGER AS p, NULL::VARCHAR AS spelling WHERE false";
  // A multi-category value is screened item by item.
  const lists = coded.filter(({v}) => v.type === "multi-category");
  const values = [
    `SELECT p, r, x FROM (${cells})${lists.length ? ` WHERE p NOT IN (${lists.map((l) => l.p).join(", ")})` : ""}`,
    ...lists.map(({p, v}) => `SELECT p, r, unnest(string_split(x, ${literal(v.separator ?? ";")})) AS x FROM (${cells}) WHERE p = ${p}`),
  ].join(" UNION ALL ");
  // Only plausible values are matched against the known spellings, then screened.
  const screened = `SELECT c.p AS c, c.x, c.r FROM (SELECT p, r, x FROM (${values}) WHERE ${plausibleSql("x")}) c
    ANTI JOIN (${knownSql}) k ON k.p = c.p AND k.spelling = ${normalisedExpr("c.x")}`;
  const found = await screenDistinct(db, screened, (key) => isDateColumn(names[Number(key) - 1] ?? "", dict));
  const out: Finding[] = [];
  for (const [key, counts] of [...found].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const p = Number(key);
    for (const kind of KINDS) {
      const c = counts.get(kind);
      if (c) out.push({column: names[p - 1] ?? "", kind, by: "content", count: c.count, position: p, row: c.row});
    }
  }
  return out;
}

/** SQL for normaliseHeading (dictionary.ts) of a text column: trimmed, lower case, runs of spaces, _ and - as one _. */
export function headingSql(x: string): string {
  return `regexp_replace(lower(trim(${x})), '[\\s_-]+', '_', 'g')`;
}

/**
 * Screens a long table of (column, v) values — e.g. the spellings of categorical
 * columns that matched no code (spellings that matched a code are known to be safe),
 * the items of multi-category values with an unknown item, or date values that failed
 * to parse. With `dict`, its date and datetime columns are not checked for dates of birth.
 */
export async function screenValues(db: DuckDBConnection, sourceSql: string, dict?: Dictionary): Promise<Finding[]> {
  const found = await screenDistinct(db, `SELECT "column" AS c, v AS x, NULL AS r FROM (${sourceSql})`, (key) => isDateColumn(key, dict));
  return findingsOf(found, (key) => key).sort((a, b) => a.column.localeCompare(b.column));
}

/** The declared types whose every value is checked against codes or a format, so only their failures need screening. */
export const VALIDATED_TYPES = new Set(["category", "boolean", "multi-category", "date", "datetime"]);
