/**
 * Typed builders of DuckDB SQL text. Each returns a string and is tested both as
 * text and against DuckDB (tests/loaders/sql.test.ts).
 */
import {normaliseSpelling, spellings, type Variable} from "./dictionary.ts";

/** A SQL string literal ('it''s'). */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
/** A quoted SQL identifier ("my col"). */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** A file path for read_csv and friends. */
/**
 * SQL for trim(x), cheaper on texts with nothing to trim: DuckDB's trim strips the space and
 * Unicode space separators (no other ASCII character), so a pure-ASCII text (byte length =
 * length) that neither starts nor ends with a space is returned as it is, uncopied.
 */
export const trimSql = (x: string): string =>
  `CASE WHEN starts_with(${x}, ' ') OR ends_with(${x}, ' ') OR strlen(${x}) <> length(${x}) THEN trim(${x}) ELSE ${x} END`;

export const pathLiteral = (path: string): string => literal(path);

/** SQL that normalises a text the way `normaliseSpelling` does: trim, squeeze whitespace, lower case. */
export function normalisedExpr(expr: string): string {
  // The regular expression only runs on the rare value with a run of whitespace inside.
  return `lower(CASE WHEN contains(${expr}, '  ') OR contains(${expr}, chr(9)) THEN regexp_replace(trim(${expr}), '\\s+', ' ', 'g') ELSE trim(${expr}) END)`;
}

/**
 * Maps a column's spellings to the dictionary's codes: the CASE returns the code,
 * NULL for a missing value, and `unmatched` for any spelling the dictionary does not know.
 * @example codeCase(`"source"`, v) // CASE lower(...) WHEN 'police' THEN 'police' … END
 */
export function codeCase(
  expr: string,
  v: Variable,
  {missing = [""], unmatched = "NULL"}: {missing?: string[]; unmatched?: string} = {},
): string {
  const whens = [...spellings(v)].map(([spelling, code]) => `WHEN ${literal(spelling)} THEN ${literal(code)}`);
  const nulls = missing.map((m) => literal(normaliseSpelling(m)));
  return (
    `CASE WHEN ${expr} IS NULL OR ${normalisedExpr(expr)} IN (${nulls.join(", ")}) THEN NULL ` +
    `ELSE CASE ${normalisedExpr(expr)} ${whens.join(" ")} ELSE ${unmatched} END END`
  );
}

/**
 * SQL that undoes the formula escape of a CSV cell the workbench wrote: a `'` before = + - @ tab
 * or CR is dropped, once. It mirrors `unescapeCsvCell` in src/lib/csv.ts (for files read by read_csv).
 * @example unescapeCsvSql("p.id") // CASE WHEN regexp_matches(p.id, '^''+[=+\-@\t\r]') THEN p.id[2:] ELSE p.id END
 */
export const unescapeCsvSql = (x: string): string =>
  `CASE WHEN regexp_matches(${x}, ${literal("^'+[=+\\-@\\t\\r]")}) THEN ${x}[2:] ELSE ${x} END`;
