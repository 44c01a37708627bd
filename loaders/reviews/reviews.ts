/**
 * Reads every session file in data/reviews/ (one CSV per working session): each
 * is parsed strictly (src/lib/reviews.ts names the file and line of a problem),
 * an identical copy of another file is refused, and every note is screened with
 * the shared identifier screen (src/lib/identifiers.ts: names in any case, e-mail
 * addresses, phone, NHS and national insurance numbers, postcodes, dates of birth,
 * street addresses) — a file whose notes hold one is refused naming the line of
 * the first, the kinds and how many notes hold each, never the value. Returns the
 * verdicts and their summary.
 */
import {reviewsDir} from "../paths.ts";
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import type {Dictionary} from "../dictionary.ts";
import {describeKinds, identifiersIn, type IdentifierKind} from "../../src/lib/identifiers.ts";
import {csvRecords, parseReviews, ReviewFileError, summarise, type ReviewRow} from "../../src/lib/reviews.ts";

export interface ReviewFile {
  file: string;
  sha256: string;
  session: string;
  roles: string[];
  rows: ReviewRow[];
}

/**
 * Refuses a file whose notes hold what looks like an identifier: the line of the first such
 * note, then each kind with the number of notes holding it.
 */
function screenNotes(rows: ReviewRow[], lines: number[], file: string): void {
  const counts = new Map<IdentifierKind, number>();
  let first: number | undefined;
  rows.forEach((r, i) => {
    const kinds = identifiersIn(r.note);
    if (kinds.length) first ??= lines[i];
    for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  if (first !== undefined)
    throw new ReviewFileError(
      file,
      first,
      `notes hold what looks like ${describeKinds(counts)} (how many notes hold each; the first is on this line): remove them — review files must not identify anyone`,
    );
}

/**
 * Every session file in `dir`, parsed and screened; throws a ReviewFileError naming the file
 * and line of the first problem (never a note's text).
 */
export async function readReviews(dict: Dictionary, dir = reviewsDir()): Promise<{files: ReviewFile[]; rows: ReviewRow[]}> {
  if (!existsSync(dir)) return {files: [], rows: []};
  const variables = dict.variables.map((v) => v.name);
  const files: ReviewFile[] = [];
  const names = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".csv"))
    .sort();
  for (const name of names) {
    const text = readFileSync(join(dir, name), "utf8");
    const sha256 = createHash("sha256").update(text).digest("hex");
    const copy = files.find((f) => f.sha256 === sha256);
    if (copy) throw new ReviewFileError(name, 1, `the file is an identical copy of ${copy.file}: remove one of them`);
    const rows = parseReviews(text, name, {variables});
    // parseReviews keeps one row per record after the header, in order: their lines, for the message
    const lines = csvRecords(text.replace(/^\uFEFF/, ""), name)
      .slice(1)
      .map((r) => r.line);
    screenNotes(rows, lines, name);
    files.push({
      file: basename(name),
      sha256,
      session: rows[0]?.session_date ?? "",
      roles: [...new Set(rows.flatMap((r) => r.reviewer_roles))],
      rows,
    });
  }
  return {files, rows: files.flatMap((f) => f.rows)};
}

/** The page summary of every review file (no notes beyond terminology ones, which name variables). */
export async function reviewsData(dict: Dictionary, dir = reviewsDir()) {
  const {files, rows} = await readReviews(dict, dir);
  return {
    dir,
    files: files.map((f) => ({file: f.file, session: f.session, roles: f.roles, verdicts: f.rows.length})),
    summary: summarise(rows, files.length),
    reviewed: rows.map((r) => ({record_id: r.record_id, verdict: r.verdict, reason: r.reason, session: r.session_date})),
  };
}

/** Contact ids marked as data errors in any review file: left out of the next training run. */
export async function dataErrorContacts(dict: Dictionary, dir = reviewsDir()): Promise<string[]> {
  return summarise((await readReviews(dict, dir)).rows, 0).dataErrors;
}
