/**
 * Scoring new contacts with a registered model, for the MASH platform (~200 a day):
 * validate the extract exactly as ingest does (same refusals, same quarantine) →
 * read the accepted contacts as training reads them → the shared scorer (scorer.ts, which
 * `workbench serve` uses too: `encode` with the model's features.json, `predict`, exact log-odds
 * contributions from the average training contact) → write the CSV (text cells escaped against formula injection by
 * src/lib/csv.ts). The rows validation rejects go to a rejects file (where and which rule,
 * never a value), so no contact goes missing unseen.
 * Output files appear only when scoring succeeds (written to a partial file, then renamed).
 */
import {mkdtempSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {ingest} from "../ingest/ingest.ts";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {DICTIONARY} from "../paths.ts";
import {datasetSql} from "../train/dataset.ts";
import {openScorer, type Scored, type Scorer} from "./scorer.ts";
import type {Row} from "../../src/lib/features.ts";
import {csvCell, csvLine} from "../../src/lib/csv.ts";

export {checkCompatible} from "./scorer.ts";

export interface ScoreOptions {
  /** a model folder (models/<id>) or id */
  model: string;
  extract: string[];
  out: string;
  /** where to write the rows validation rejected: file, row, column, rule, detail (no values); not written when absent */
  rejects?: string;
  dictionary?: string;
  encoding?: string;
  /** validation's progress: stages done of total (ingest's stages) */
  onStage?: (stage: string, done: number, total: number) => void;
  /** scoring's progress: contacts explained and formatted, of the total */
  onScored?: (done: number, total: number) => void;
}

export interface ScoreSummary {
  scored: number;
  read: number;
  rejected: number;
  /** rejected rows by rule (a row breaking several rules counts under each) */
  rejectedByRule: Record<string, number>;
  duplicates: number;
  /** wall-clock seconds in all, of which validating the extract, then the rest by stage */
  seconds: number;
  validationSeconds: number;
  /** reading the validated contacts as training reads them; scoring and explaining (the shared scorer); writing the CSV */
  stages: {read: number; score: number; write: number};
}

/** The scores file's columns after the record key (named as the dictionary's record role). */
export const SCORE_COLUMNS = [
  "probability",
  "band",
  "baseline_log_odds",
  "factor_1",
  "contribution_1",
  "factor_2",
  "contribution_2",
  "factor_3",
  "contribution_3",
];

export async function scoreExtract(options: ScoreOptions): Promise<ScoreSummary> {
  const started = performance.now();
  // Where the files go is checked first, not after the whole extract has been validated.
  for (const file of [options.out, options.rejects]) {
    if (file && !statSync(dirname(resolve(file)), {throwIfNoEntry: false})?.isDirectory())
      throw new Error(`cannot write ${file}: its folder ${dirname(resolve(file))} does not exist`);
  }
  const dictionary = options.dictionary ?? DICTIONARY;
  const dict = loadDictionary(dictionary);
  // The model is checked against the dictionary (and loaded) before the extract is read.
  const scorer = await openScorer(options.model, dict, dictionary);
  const tmp = mkdtempSync(join(tmpdir(), "score-"));
  const partial = (file: string) => `${file}.partial-${process.pid}`;
  try {
    let validated = 0;
    let result: {scored: number; stages: ScoreSummary["stages"]} | undefined;
    // Validated exactly as ingest does, into a warehouse kept in memory and scored there.
    const report = await ingest({
      files: options.extract,
      dictionary,
      db: join(tmp, "wh.duckdb"),
      report: join(tmp, "report.json"),
      encoding: options.encoding,
      onStage: options.onStage,
      onWarehouse: async (conn) => {
        validated = performance.now();
        if (options.rejects) writeFileSync(partial(options.rejects), await rejectsCsv(conn));
        result = await scoreContacts(conn, scorer, dict, partial(options.out), options.onScored);
      },
    });
    if (!result) throw new Error("internal error: the validated contacts were never scored");
    // Both files appear together, or neither.
    renameSync(partial(options.out), options.out);
    if (options.rejects) renameSync(partial(options.rejects), options.rejects);
    return {
      scored: result.scored,
      read: report.read,
      rejected: report.rejected,
      rejectedByRule: report.rejectedByRule,
      duplicates: report.duplicates.total,
      seconds: (performance.now() - started) / 1000,
      validationSeconds: (validated - started) / 1000,
      stages: result.stages,
    };
  } finally {
    for (const file of [options.out, options.rejects]) if (file) rmSync(partial(file), {force: true});
    rmSync(tmp, {recursive: true, force: true});
    scorer.dispose();
  }
}

/** The quarantine of the warehouse open on `conn` (its `rejects`, which hold no values) as CSV. */
async function rejectsCsv(conn: DuckDBConnection): Promise<string> {
  const rows = await queryRows(
    conn,
    `SELECT file, "row", "column", rule, detail FROM rejects ORDER BY file, "row", "column", rule, detail`,
  );
  // Text cells through csvCell, which escapes formulas (the row number, a positive integer, passes unchanged).
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return [
    csvLine(["file", "row", "column", "rule", "detail"]),
    ...rows.map((r) => csvLine([r.file, r.row, r.column, r.rule, r.detail].map(text))),
  ]
    .join("\n")
    .concat("\n");
}

/**
 * Scores every contact of the warehouse open on `conn`, writing the CSV to `out`: the rows exactly as
 * training reads them (same SQL, same order: time, then id; no label), through the shared scorer.
 */
async function scoreContacts(
  conn: DuckDBConnection,
  scorer: Scorer,
  dict: Dictionary,
  out: string,
  onScored?: ScoreOptions["onScored"],
): Promise<{scored: number; stages: ScoreSummary["stages"]}> {
  const t0 = performance.now();
  const vars = dict.variables.filter((v) => scorer.variables.includes(v.name));
  const rows = (await queryRows(conn, datasetSql(dict, vars, {_label: "NULL"}))) as Row[];
  const t1 = performance.now();
  const scored = scorer.score(rows, onScored);
  const t2 = performance.now();
  writeFileSync(out, scoresCsv(scored, scorer.baseline, dict.roles.record));
  return {scored: rows.length, stages: {read: (t1 - t0) / 1000, score: (t2 - t1) / 1000, write: (performance.now() - t2) / 1000}};
}

/**
 * The scores file: the record key, then SCORE_COLUMNS. Text cells (the record key's name and values,
 * factor names) through csvCell, which escapes formulas; numbers as written; three factors, left
 * empty where a contact has fewer non-zero contributions.
 */
export function scoresCsv(scored: Scored[], baseline: number, record: string): string {
  const baseText = baseline.toFixed(4);
  const lines = [csvLine([record, ...SCORE_COLUMNS])];
  for (const s of scored) {
    let factors = "";
    for (let k = 0; k < 3; k++) factors += s.factors[k] ? `,${csvCell(s.factors[k].name)},${s.factors[k].contribution.toFixed(4)}` : ",,";
    lines.push(`${csvCell(s.id)},${s.probability.toFixed(6)},${s.band},${baseText}${factors}`);
  }
  return lines.join("\n") + "\n";
}
