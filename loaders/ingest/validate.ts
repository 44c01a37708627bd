/**
 * Validation rules as SQL, built from the dictionary: for each variable, the
 * typed value and the list of rules the raw text breaks. One pass in DuckDB
 * computes both, so validation costs about one scan of the extract.
 *
 * Rule names (the `rule` column of the rejects table):
 *   row_shape · required · type · range · unknown_code · date_format · order · duplicate_id
 * Details describe the rule, never the value.
 */
import {ident, literal, normalisedExpr} from "../sql.ts";
import {normaliseSpelling, spellings, type Dictionary, type Variable} from "../dictionary.ts";

export const RULES = ["row_shape", "required", "type", "range", "unknown_code", "date_format", "order", "duplicate_id"] as const;
export type Rule = (typeof RULES)[number];

/** Marks a spelling the dictionary does not know (never a real code: codes are identifiers). */
export const UNKNOWN = "#unknown#";
/** Marks a missing-value marker ("N/A", "not recorded") found by the code look-up. */
export const MISSING = "#missing#";

/**
 * The raw text with missing markers turned into NULL. With `trimmed` (a column
 * holding trim(raw)), most texts skip the marker look-up: a text whose first
 * character is ASCII and (in either case) starts no marker cannot be one.
 */
export function missingAware(raw: string, dict: Dictionary, trimmed?: string): string {
  const normalised = dict.missing_markers.map((m) => m.trim().toLowerCase());
  const markers = normalised.map(literal);
  // list_contains, not IN: DuckDB rewrites a long IN list into a join, which costs far more here
  // and would not keep the rows in file order.
  if (!trimmed)
    return `CASE WHEN ${raw} IS NULL OR list_contains([${markers.join(", ")}], lower(trim(${raw}))) THEN NULL ELSE trim(${raw}) END`;
  const starts = new Set<number>();
  for (const m of normalised) {
    const c = m.codePointAt(0);
    if (c === undefined || c >= 128) continue; // the empty marker is caught below (ascii('') = 0); a non-ASCII start never follows an ASCII one
    for (const x of [String.fromCodePoint(c).toLowerCase(), String.fromCodePoint(c).toUpperCase()]) starts.add(x.codePointAt(0)!);
  }
  const t = trimmed;
  return `CASE WHEN ${t} IS NULL THEN NULL
    WHEN ascii(${t}) BETWEEN 1 AND 127${[...starts].map((c) => ` AND ascii(${t}) <> ${c}`).join("")} THEN ${t}
    WHEN list_contains([${markers.join(", ")}], lower(${t})) THEN NULL ELSE ${t} END`;
}

/** Declared formats of a date or datetime variable (ISO by default; a list tries each in turn). */
export function formats(v: Variable): string[] {
  const f = v.format as unknown;
  if (Array.isArray(f)) return f as string[];
  if (typeof f === "string") return [f];
  return v.type === "date" ? ["%Y-%m-%d"] : ["%Y-%m-%d %H:%M:%S"];
}

export interface ColumnOptions {
  /** a column already holding the typed value: checks read it instead of converting again */
  typed?: string;
  /** a column holding trim(raw), for the missing-marker test */
  trimmed?: string;
  /** a fast look-up of raw texts known in advance (see `fastLookups`) */
  lookup?: FastLookup;
}

/** Raw texts known in advance, as an ENUM type, and their prepared values in ENUM order (a SQL list). */
export interface FastLookup {
  enumType: string;
  values: string;
}

export interface ColumnSql {
  variable: Variable;
  /** stage 1, from the raw text: the missing-aware text, or the mapped code(s) (UNKNOWN for a spelling no code matches) */
  prep: string;
  /** stage 2, from the prepared column: the typed value (NULL when missing or invalid) */
  typed: string;
  /** SQL type of the typed value */
  sqlType: string;
  /** [rule, condition, detail] triples on the prepared column; the condition is true when the row breaks the rule */
  checks: [Rule, string, string][];
  /** for categories and booleans: the code (NULL when missing or unknown), to count mappings */
  code?: string;
}

/** The column (of the `_maps` row, see `mapsSql`) holding a variable's spelling → code MAP. */
export const mapColumn = (v: Variable): string => ident(`_map_${v.name}`);

/**
 * One row with a spelling → code MAP per categorical variable, to cross join with
 * the extract: a lookup is then one hash probe, also inside list lambdas (a MAP
 * literal inside a lambda would be rebuilt for every list item).
 */
export function mapsSql(vars: Variable[], missingMarkers: string[] = []): string {
  const cols = vars
    .filter((v) => v.type === "category" || v.type === "boolean" || v.type === "multi-category")
    .map((v) => {
      const entries = new Map(spellings(v));
      // Missing markers map to MISSING, so one look-up tells code, missing and unknown apart.
      for (const m of missingMarkers) if (!entries.has(normaliseSpelling(m))) entries.set(normaliseSpelling(m), MISSING);
      entries.delete("");
      return `MAP {${[...entries].map(([sp, code]) => `${literal(sp)}: ${literal(code)}`).join(", ")}} AS ${mapColumn(v)}`;
    });
  return `(SELECT ${cols.length ? cols.join(", ") : "1 AS _none"}) AS _maps`;
}

/** SQL looking a spelling up in `v`'s MAP (needs `mapsSql` in the FROM clause); UNKNOWN when no code matches. */
export function codeLookup(expr: string, v: Variable): string {
  return `coalesce(_maps.${mapColumn(v)}[${normalisedExpr(expr)}], ${literal(UNKNOWN)})`;
}

/**
 * SQL for one variable: `raw` is the raw column (stage 1), `p` the prepared column (stage 2).
 * Two stages so each spelling is normalised and looked up once per row.
 * @example columnSql(dict, variable(dict, "age_years"), '"age_years"', '"age_years"').typed
 */
export function columnSql(dict: Dictionary, v: Variable, raw: string, p: string = ident(v.name), options: ColumnOptions = {}): ColumnSql {
  const m = missingAware(raw, dict, options.trimmed);
  // With a fast look-up, a raw text it knows gets its prepared value in one hash probe; others take the general way.
  const fast = (prep: string) =>
    options.lookup
      ? `coalesce(${options.lookup.values}[CAST(enum_code(try_cast(${raw} AS ${options.lookup.enumType})) AS INTEGER) + 1], ${prep})`
      : prep;
  const checks: [Rule, string, string][] = [];
  if (v.required) checks.push(["required", `${p} IS NULL`, `${v.name} is empty but required`]);
  const known = (v.codes ?? []).map((c) => c.code);
  const knownText = known.length > 8 ? `${known.slice(0, 8).join(", ")}, …` : known.join(", ");
  const unknown = literal(UNKNOWN);
  switch (v.type) {
    case "id":
      return {variable: v, prep: m, typed: p, sqlType: "VARCHAR", checks};
    case "category":
    case "boolean": {
      // One look-up: the MAP also knows the missing markers; blanks are NULL before it.
      const prep = fast(
        `CASE WHEN ${raw} IS NULL OR trim(${raw}) = '' THEN NULL ELSE NULLIF(${codeLookup(raw, v)}, ${literal(MISSING)}) END`,
      );
      checks.push(["unknown_code", `${p} = ${unknown}`, `not a code of ${v.name}; known: ${knownText}`]);
      const code = `NULLIF(${p}, ${unknown})`;
      const truthy = literal((v.codes ?? [])[0]?.code ?? "yes");
      const typed = v.type === "category" ? code : `CASE WHEN ${p} IS NULL OR ${p} = ${unknown} THEN NULL ELSE ${p} = ${truthy} END`;
      return {variable: v, prep, typed, sqlType: v.type === "category" ? "VARCHAR" : "BOOLEAN", checks, code};
    }
    case "multi-category": {
      const sep = literal(v.separator ?? ";");
      // An item spelled exactly as a normalised spelling is found without normalising it (same code: normalising is idempotent).
      const item = `coalesce(_maps.${mapColumn(v)}[x], ${codeLookup("x", v)})`;
      const prep = fast(`list_filter(list_transform(string_split(${m}, ${sep}), x -> ${item}), x -> x <> ${literal(MISSING)})`);
      checks.push(["unknown_code", `list_contains(${p}, ${unknown})`, `an item is not a code of ${v.name}; known: ${knownText}`]);
      return {variable: v, prep, typed: `list_filter(${p}, x -> x <> ${unknown})`, sqlType: "VARCHAR[]", checks};
    }
    case "integer":
    case "number": {
      const special = (v.special_codes ?? []).map((c) => literal(c.code.toLowerCase()));
      const isSpecial = special.length ? `lower(${p}) IN (${special.join(", ")})` : "false";
      // DuckDB's cast would round "12.5" to 13 and read "0x10" as 16: only plain decimal text is a number here.
      const pattern = v.type === "integer" ? "[+-]?[0-9]+" : "[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?";
      const cast = `CASE WHEN regexp_full_match(${p}, '${pattern}') THEN try_cast(${p} AS ${v.type === "integer" ? "INTEGER" : "DOUBLE"}) END`;
      const t = options.typed ?? cast;
      checks.push([
        "type",
        `${p} IS NOT NULL AND NOT ${isSpecial} AND ${t} IS NULL`,
        `${v.name} is not ${v.type === "integer" ? "a whole number" : "a number"}${special.length ? ` or one of: ${(v.special_codes ?? []).map((c) => c.code).join(", ")}` : ""}`,
      ]);
      if (v.range)
        checks.push(["range", `${t} NOT BETWEEN ${v.range[0]} AND ${v.range[1]}`, `${v.name} outside ${v.range[0]}–${v.range[1]}`]);
      return {variable: v, prep: m, typed: cast, sqlType: v.type === "integer" ? "INTEGER" : "DOUBLE", checks};
    }
    case "date":
    case "datetime": {
      const fs = formats(v);
      const parsed =
        fs.length === 1
          ? `try_strptime(${p}, ${literal(fs[0])})`
          : `coalesce(${fs.map((f) => `try_strptime(${p}, ${literal(f)})`).join(", ")})`;
      const typed = v.type === "date" ? `CAST(${parsed} AS DATE)` : parsed;
      checks.push([
        "date_format",
        `${p} IS NOT NULL AND ${options.typed ?? parsed} IS NULL`,
        `${v.name} is not a ${v.type} in the declared format ${fs.join(" or ")}`,
      ]);
      return {variable: v, prep: m, typed, sqlType: v.type === "date" ? "DATE" : "TIMESTAMP", checks};
    }
  }
}

/** Special-code column for integers with special codes (e.g. age "unborn"): the code, else NULL. */
export function specialSql(v: Variable, p: string): string | null {
  if (!v.special_codes?.length) return null;
  return `CASE ${v.special_codes.map((c) => `WHEN lower(${p}) = ${literal(c.code.toLowerCase())} THEN ${literal(c.code)}`).join(" ")} END`;
}

/** Cross-variable checks: a variable declared `after` another must not be earlier than it. */
export function orderChecks(columns: ColumnSql[], typedOf: (c: ColumnSql) => string = (c) => c.typed): [Rule, string, string, string][] {
  const out: [Rule, string, string, string][] = [];
  for (const c of columns) {
    const after = c.variable.after;
    if (!after) continue;
    const other = columns.find((x) => x.variable.name === after);
    if (!other) continue;
    out.push(["order", `(${typedOf(c)}) < (${typedOf(other)})`, c.variable.name, `${c.variable.name} is before ${after}`]);
  }
  return out;
}

export {ident};
