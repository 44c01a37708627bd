/**
 * Review verdicts from joint analyst–MASH working sessions: what a reviewer may
 * record about a contact where the model and the staff decision disagree, the
 * CSV format of a session's file in data/reviews/ (one file per session, roles
 * and no names), a strict parser that names the file and line of any problem,
 * and the summaries the pages show. Pure, shared by the page and the loader.
 *
 * @example parseReviews(text, "2026-11-26-a1b2.csv") // {session, rows}
 */
import {CsvError, csvLine, csvRecords as parseCsv, unescapeCsvCell} from "./csv.js";

export const VERDICTS = {
  decision_right: "the staff decision was right",
  model_right: "the model was right",
  both_reasonable: "both are reasonable",
  data_error: "the data are wrong (the contact is left out of the next training run)",
  terminology_problem: "a terminology problem (a code or variable means different things to different people)",
} as const;
export type Verdict = keyof typeof VERDICTS;

export const REASONS = {
  information_not_in_extract: "staff knew something the extract does not hold",
  history_weighed_differently: "the history of the child or household was weighed differently",
  local_threshold_practice: "local threshold practice",
  source_over_weighted: "the model leans too much on who made the contact",
  recording_error: "a recording or data-entry error",
  code_meaning_unclear: "the meaning of a code is unclear or has drifted",
  other: "other (say in the note)",
} as const;
export type Reason = keyof typeof REASONS;

export const ROLES = ["analyst", "mash_manager", "social_worker", "police", "health", "education", "early_help", "other"] as const;

export const COLUMNS = ["session_date", "reviewer_roles", "record_id", "verdict", "reason", "variable", "note", "recorded_at"] as const;

export interface ReviewRow {
  session_date: string;
  reviewer_roles: string[];
  record_id: string;
  verdict: Verdict;
  reason: Reason;
  /** for a terminology problem: the dictionary variable it names */
  variable: string;
  note: string;
  recorded_at: string;
}

export class ReviewFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}, line ${line}: ${detail}`);
  }
}

/**
 * The CSV of one session's verdicts (header first, CRLF-free, fields quoted when needed, and a
 * field a spreadsheet would run as a formula, such as a note starting with "=", escaped by `csvCell`).
 */
export function toCsv(rows: ReviewRow[]): string {
  const lines = [csvLine(COLUMNS)];
  for (const r of rows) lines.push(csvLine(COLUMNS.map((c) => (c === "reviewer_roles" ? r.reviewer_roles.join(";") : String(r[c])))));
  return lines.join("\n") + "\n";
}

/** RFC 4180 records with the line each starts on; throws a ReviewFileError on an unterminated quote. */
export function csvRecords(text: string, file: string): {line: number; fields: string[]}[] {
  try {
    return parseCsv(text);
  } catch (e) {
    throw e instanceof CsvError ? new ReviewFileError(file, e.line, e.detail) : e;
  }
}

/**
 * Parses and checks one session file: the exact header, known verdicts, reasons
 * and roles, ISO dates, a contact id on every row, a variable for every
 * terminology problem (from `variables` when given), and no contact twice.
 * Fields come back as `toCsv` was given them (a formula escape undone by `unescapeCsvCell`).
 */
export function parseReviews(text: string, file: string, {variables}: {variables?: string[]} = {}): ReviewRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ""), file);
  if (!records.length) throw new ReviewFileError(file, 1, "the file is empty");
  const header = records[0].fields.map((h) => h.trim());
  if (header.join(",") !== COLUMNS.join(",")) throw new ReviewFileError(file, 1, `the header must be ${COLUMNS.join(",")}`);
  const seen = new Map<string, number>();
  return records.slice(1).map(({line, fields}) => {
    if (fields.length !== COLUMNS.length) throw new ReviewFileError(file, line, `${fields.length} fields, expected ${COLUMNS.length}`);
    const cell = (i: number) => unescapeCsvCell(fields[i].trim()).trim();
    const r = Object.fromEntries(COLUMNS.map((c, i) => [c, cell(i)])) as Record<(typeof COLUMNS)[number], string>;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.session_date)) throw new ReviewFileError(file, line, "session_date must be a date as YYYY-MM-DD");
    const roles = r.reviewer_roles
      .split(";")
      .map((x) => x.trim())
      .filter(Boolean);
    if (!roles.length) throw new ReviewFileError(file, line, "reviewer_roles is empty: say which roles reviewed (no names)");
    const badRole = roles.find((x) => !(ROLES as readonly string[]).includes(x));
    if (badRole !== undefined) throw new ReviewFileError(file, line, `unknown reviewer role; known: ${ROLES.join(", ")}`);
    if (!r.record_id) throw new ReviewFileError(file, line, "record_id is empty");
    if (!(r.verdict in VERDICTS)) throw new ReviewFileError(file, line, `unknown verdict; known: ${Object.keys(VERDICTS).join(", ")}`);
    if (!(r.reason in REASONS)) throw new ReviewFileError(file, line, `unknown reason code; known: ${Object.keys(REASONS).join(", ")}`);
    if (r.verdict === "terminology_problem" && !r.variable)
      throw new ReviewFileError(file, line, "a terminology problem must name the variable");
    if (r.variable && variables && !variables.includes(r.variable))
      throw new ReviewFileError(file, line, `the variable is not in the dictionary`);
    const before = seen.get(r.record_id);
    if (before !== undefined) throw new ReviewFileError(file, line, `the same contact was already reviewed on line ${before} of this file`);
    seen.set(r.record_id, line);
    return {...r, reviewer_roles: roles, verdict: r.verdict as Verdict, reason: r.reason as Reason};
  });
}

export interface ReviewSummary {
  files: number;
  verdicts: number;
  byVerdict: {verdict: Verdict; label: string; n: number}[];
  byReason: {reason: Reason; label: string; n: number}[];
  /** verdicts on contacts the model and staff disagreed about: how often staff were upheld */
  decisionUpheld: {k: number; n: number};
  terminology: {variable: string; n: number; notes: string[]}[];
  dataErrors: string[];
}

export function summarise(rows: ReviewRow[], files: number): ReviewSummary {
  const count = <K extends string>(keys: K[], get: (r: ReviewRow) => K) =>
    keys.map((k) => ({k, n: rows.filter((r) => get(r) === k).length}));
  const vars = [...new Set(rows.filter((r) => r.verdict === "terminology_problem").map((r) => r.variable))].sort();
  const judged = rows.filter((r) => r.verdict === "decision_right" || r.verdict === "model_right" || r.verdict === "both_reasonable");
  return {
    files,
    verdicts: rows.length,
    byVerdict: count(Object.keys(VERDICTS) as Verdict[], (r) => r.verdict).map(({k, n}) => ({verdict: k, label: VERDICTS[k], n})),
    byReason: count(Object.keys(REASONS) as Reason[], (r) => r.reason).map(({k, n}) => ({reason: k, label: REASONS[k], n})),
    decisionUpheld: {k: judged.filter((r) => r.verdict !== "model_right").length, n: judged.length},
    terminology: vars.map((variable) => {
      const rs = rows.filter((r) => r.verdict === "terminology_problem" && r.variable === variable);
      return {variable, n: rs.length, notes: rs.map((r) => r.note).filter(Boolean)};
    }),
    dataErrors: [...new Set(rows.filter((r) => r.verdict === "data_error").map((r) => r.record_id))].sort(),
  };
}
