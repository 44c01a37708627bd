/**
 * Reads every session file in data/reviews/ (one CSV per working session): each
 * is parsed strictly (src/lib/reviews.ts names the file and line of a problem),
 * an identical copy of another file is refused, and notes are screened for
 * identifiers (e-mail addresses, phone and NHS numbers, postcodes, full dates,
 * person names) — a file whose notes hold one is refused naming the kind and
 * the count, never the value. Returns the verdicts and their summary.
 */
import {reviewsDir} from "../paths.ts";
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import type {Dictionary} from "../dictionary.ts";
import {withDuckDB} from "../db.ts";
import {literal} from "../sql.ts";
import {screenValues} from "../ingest/screen.ts";
import {parseReviews, ReviewFileError, summarise, type ReviewRow} from "../../src/lib/reviews.ts";

export interface ReviewFile {
  file: string;
  sha256: string;
  session: string;
  roles: string[];
  rows: ReviewRow[];
}

/** Words and word pairs of the notes, as (column, v) rows for the identifier screen. */
function noteTokensSql(notes: string[]): string {
  const values = notes.map((n, i) => `(${i}, ${literal(n)})`).join(", ");
  return `WITH n(i, note) AS (VALUES ${values}),
    w AS (SELECT i, row_number() OVER (PARTITION BY i) AS k, word FROM (SELECT i, unnest(regexp_split_to_array(trim(note), '[\\s,;]+')) AS word FROM n))
    SELECT 'note' AS "column", word AS v FROM w
    UNION ALL SELECT 'note', a.word || ' ' || b.word FROM w a JOIN w b ON a.i = b.i AND b.k = a.k + 1`;
}

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
    const notes = rows.map((r) => r.note).filter(Boolean);
    if (notes.length) {
      const found = await withDuckDB((db) => screenValues(db, noteTokensSql(notes)));
      if (found.length)
        throw new ReviewFileError(
          name,
          1,
          `notes hold what looks like ${found.map((f) => `${f.kind.replace(/_/g, " ")} (${f.count})`).join(", ")}: remove it — review files must not identify anyone`,
        );
    }
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
