/**
 * One scoring of the warehouse per registered model: every labelled modelling row's
 * record key, time, outcome, split and score, computed once (encoded and scored in
 * blocks) and kept under .tmp/scored/ by a fingerprint of the model's files, the
 * warehouse's content, the dictionary and this code. The Consistency, Cross-check,
 * What-if and Impact loaders read it instead of each loading, encoding and scoring
 * every contact again; the few rows they show in full come from `modellingRows`.
 * Record keys stay in Node (the cache is under .tmp/, never published).
 *
 * @example const s = await scoredRows(db, dict, "models/info_sharing-mlp-…"); s.score[s.id.indexOf(key)]
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {fingerprintFiles} from "../page-cache.ts";
import {loadDataset, warehouseContent, type Target} from "../train/dataset.ts";
import type {Row} from "../../src/lib/features.ts";
import {openModelDir} from "../registry.ts";
import {openRegistered} from "./registered.ts";

export interface ScoredRows {
  /** record keys (roles.record), in the modelling table's order (time, then key) */
  id: string[];
  /** event time, YYYY-MM-DD HH:MM:SS */
  time: string[];
  /** the target's label, 0 or 1 */
  y: Float64Array;
  /** the split the model was trained with: train, valid, test, pilot or excluded */
  split: string[];
  /** the model's probability */
  score: Float64Array;
}

/** Rows encoded and scored at a time: a million at once would hold gigabytes of matrix and tensors. */
const BLOCK = 50000;
const CACHE_DIR = ".tmp/scored";
/** The code a cached scoring depends on. */
const CODE = ["loaders/evaluate/scored.ts", "loaders/evaluate/registered.ts", "loaders/train/dataset.ts", "src/lib"];

/** What a scoring depends on: the model's files, the warehouse's extracts and dictionary, the dictionary given, the code. */
async function cacheKey(db: DuckDBConnection, dict: Dictionary, dir: string): Promise<string> {
  return createHash("sha256")
    .update([await fingerprintFiles([dir, ...CODE]), await warehouseContent(db), JSON.stringify(dict)].join("\n"))
    .digest("hex")
    .slice(0, 24);
}

/** Every labelled modelling row of the model in `dir`, scored: from the cache when nothing it depends on changed. */
export async function scoredRows(db: DuckDBConnection, dict: Dictionary, dir: string): Promise<ScoredRows> {
  const key = await cacheKey(db, dict, dir);
  const file = join(CACHE_DIR, `${key}.json`),
    scores = join(CACHE_DIR, `${key}.f64`);
  if (existsSync(file) && existsSync(scores)) {
    const {id, time, y, split} = JSON.parse(readFileSync(file, "utf8")) as {id: string[]; time: string[]; y: string; split: string[]};
    const buffer = readFileSync(scores);
    return {
      id,
      time,
      split,
      y: Float64Array.from(y, (c) => Number(c)),
      score: new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8).slice(),
    };
  }
  const m = await openRegistered(db, dict, dir);
  try {
    return await storeScored(db, dict, dir, m.data.rows, m.split.splits, scoreInBlocks(m));
  } finally {
    m.dispose();
  }
}

/** Every row's score, encoded and scored `BLOCK` rows at a time; rows whose score is already known (`known[i]` a number) are skipped. */
export function scoreInBlocks(m: Awaited<ReturnType<typeof openRegistered>>, known?: Float64Array): Float64Array {
  const rows = m.data.rows;
  const score = known ?? new Float64Array(rows.length).fill(NaN);
  const todo = rows.flatMap((_, i) => (Number.isNaN(score[i]) ? [i] : []));
  for (let start = 0; start < todo.length; start += BLOCK) {
    const block = todo.slice(start, start + BLOCK);
    const {scores} = m.score(block.map((i) => rows[i]));
    block.forEach((i, k) => (score[i] = scores[k]));
  }
  return score;
}

/**
 * Keeps a model's scoring of every labelled modelling row for the other pages (the evaluation, which
 * has the rows open anyway, calls it too) and returns it.
 */
export async function storeScored(
  db: DuckDBConnection,
  dict: Dictionary,
  dir: string,
  rows: Row[],
  splits: ArrayLike<string>,
  score: Float64Array,
): Promise<ScoredRows> {
  const out: ScoredRows = {
    id: rows.map((r) => String(r._id)),
    time: rows.map((r) => String(r._time)),
    y: Float64Array.from(rows, (r) => Number(r._y)),
    split: Array.from(splits),
    score,
  };
  const key = await cacheKey(db, dict, dir);
  const file = join(CACHE_DIR, `${key}.json`),
    scores = join(CACHE_DIR, `${key}.f64`);
  // Written under temporary names, then renamed: a loader running beside this one never reads half a file.
  mkdirSync(CACHE_DIR, {recursive: true});
  const partial = `.${process.pid}.partial`;
  writeFileSync(scores + partial, Buffer.from(out.score.buffer, out.score.byteOffset, out.score.byteLength));
  writeFileSync(file + partial, JSON.stringify({id: out.id, time: out.time, y: Array.from(out.y).join(""), split: out.split}));
  renameSync(scores + partial, scores);
  renameSync(file + partial, file);
  return out;
}

/**
 * The modelling rows (as training reads them: features, history counts, label) of the given record
 * keys only, in the order given; the history counts are computed over the whole table as in training.
 *
 * @example const [row] = await modellingRows(db, dict, dir, ["C000123"]); row.hist_person_records_12m
 */
export async function modellingRows(db: DuckDBConnection, dict: Dictionary, dir: string, ids: string[]): Promise<Row[]> {
  if (!ids.length) return [];
  const {card} = openModelDir(dir);
  const data = await loadDataset(db, dict, card.target as Target, {
    includeProtected: card.config.includeProtected,
    exclude: card.dataErrorsLeftOut ?? [],
    only: ids,
  });
  const byId = new Map(data.rows.map((r) => [String(r._id), r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`a scored record is missing from the modelling table (the warehouse changed while the page data was built)`);
    return row;
  });
}
