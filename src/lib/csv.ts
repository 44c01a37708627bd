/**
 * CSV the workbench writes (scores, rejects, test predictions, review sessions), safe to open
 * in a spreadsheet, and read back. Text cells that a spreadsheet would run as a formula (first
 * character = + - @ tab or carriage return) get a leading `'` and quotes, as OWASP's CSV
 * injection guidance says; other cells are quoted (RFC 4180) only when they hold a comma, a
 * quote or a line break. Numbers the program writes itself (a score, a negative contribution)
 * are data: callers write them as they are, never through `csvCell`. Pure, for Node and the browser.
 *
 * @example csvLine(["=1+2", "a,b", "C1"]) // "\"'=1+2\",\"a,b\",C1"
 * @example unescapeCsvCell("'=1+2") // "=1+2"
 */

/** Text a spreadsheet would run as a formula, or text that already looks escaped (so that unescaping gives it back). */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A cell `csvCell` escaped: one or more `'`, then a formula character. */
const ESCAPED = /^'+[=+\-@\t\r]/;

/** One text cell: a formula-like text gets a leading `'` and quotes; quotes are doubled inside quotes. */
export function csvCell(text: string): string {
  const t = FORMULA.test(text) ? `'${text}` : text;
  return t !== text || /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** One line of text cells (no line break); null and undefined are empty. */
export const csvLine = (cells: readonly (string | null | undefined)[]): string => cells.map((c) => (c == null ? "" : csvCell(c))).join(",");

/**
 * Undoes `csvCell`'s formula escape on a parsed field (quotes already removed): a `'` before
 * = + - @ tab or CR is dropped, once. loaders/sql.ts `unescapeCsvSql` does the same in DuckDB.
 */
export const unescapeCsvCell = (field: string): string => (ESCAPED.test(field) ? field.slice(1) : field);

/** A field quoted and never closed, at the record starting on `line`. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

/** RFC 4180 records with the line each starts on (blank lines skipped); throws a CsvError on an unterminated quote. */
export function csvRecords(text: string): {line: number; fields: string[]}[] {
  const out: {line: number; fields: string[]}[] = [];
  let fields: string[] = [],
    field = "",
    quoted = false,
    line = 1,
    start = 1,
    atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      out.push({line: start, fields});
      fields = [];
      field = "";
      atFieldStart = true;
      start = ++line;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (quoted) throw new CsvError(start, "a quoted field is never closed");
  if (field !== "" || fields.length) out.push({line: start, fields: [...fields, field]});
  return out.filter((r) => !(r.fields.length === 1 && r.fields[0] === ""));
}

/**
 * Rows of values as CSV text (a header of `columns`, by default the first row's keys): numbers
 * written as numbers, everything else as escaped text cells, missing values empty. What the
 * pages' download buttons give for the data a chart or table draws.
 * @example rowsToCsv([{group: "=x", n: 3}]) // "group,n\n\"'=x\",3\n"
 */
export function rowsToCsv(rows: readonly Record<string, unknown>[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  const cell = (v: unknown) =>
    v == null || (typeof v === "number" && !Number.isFinite(v))
      ? ""
      : typeof v === "number"
        ? String(v)
        : csvCell(v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v));
  return [csvLine(columns), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}
