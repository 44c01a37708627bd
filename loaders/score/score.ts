/**
 * Scoring new contacts with a registered model, for the MASH platform: the extract
 * is validated exactly as ingest does (same refusals, same quarantine), encoded
 * with the model's features.json, and each accepted contact gets a probability, a
 * 1–20 band (ventiles of the training scores) and its top contributing factors
 * (exact signed log-odds for the logistic model; exact integrated gradients from
 * the average training contact for the MLP). The rows validation rejects are
 * listed in a rejects file when asked (ingest's quarantine: where and which rule,
 * no values), so no contact goes missing unseen.
 *
 * After validation nothing is held per contact but typed arrays: the encoded
 * matrix comes out of DuckDB column-wise (loaders/score/matrix.ts), the model
 * predicts a block of rows at a time, the explanations and CSV lines are made
 * per block (loaders/score/lines.ts; in worker threads for an MLP, pool.ts) and
 * streamed to a temporary file that is renamed at the end (a refused or failed
 * run leaves no output).
 */
import {closeSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {ingest} from "../ingest/ingest.ts";
import {loadDictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import type {DuckDBConnection} from "@duckdb/node-api";
import {historyFeatures, type Target} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {codedMembers, columnTypes, forEachMatrixBlock, matrixLayout, scoringSql} from "./matrix.ts";
import {blockWriter, csvField, explainedWriter, format, HEADER, Lines, type ExplainSpec} from "./lines.ts";
import {ExplainPool, sharedFloats} from "./pool.ts";
import type {Encoding} from "../../src/lib/features.ts";
import {denseLayers, integratedGradients, predict} from "../../src/lib/models.ts";
import {baselineLogit} from "../../src/lib/contributions.ts";

export interface ScoreOptions {
  model: string;
  extract: string[];
  out: string;
  /**
   * Where to write the rows that were not scored because validation rejected them, one line per rule
   * broken: file, row, column, rule and a detail that prints no value (ingest's quarantine). Not
   * written when absent; header only when nothing was rejected.
   */
  rejects?: string;
  dictionary?: string;
  encoding?: string;
  /** validation's progress: stages done of total (ingest's stages) */
  onStage?: (stage: string, done: number, total: number) => void;
  /** scoring's progress: contacts handed on to be explained and written, of the total */
  onScored?: (done: number, total: number) => void;
}

export interface ScoreSummary {
  scored: number;
  read: number;
  rejected: number;
  /** rejected rows by rule (a row breaking several rules counts under each) */
  rejectedByRule: Record<string, number>;
  duplicates: number;
  /** wall-clock seconds in all */
  seconds: number;
  /** of which validating the extract (ingest into a temporary warehouse) */
  validationSeconds: number;
  /** and of which the rest, by stage: reading + encoding, predicting, explaining + writing */
  stages: {encode: number; predict: number; explainAndWrite: number};
}

type Features = Encoding & {means: number[]; target: Target; model: string; dictionaryVersion: string};

/** Refuses a model whose dictionary version or feature codes do not match the dictionary in use, or whose features.json is incomplete. */
export function checkCompatible(features: Features, dictionaryPath: string): void {
  if (!Array.isArray(features.means) || features.means.length !== features.columns.length || typeof features.model !== "string") {
    throw new Error("the model's features.json has no training means or model type (it was trained by an older version of the workbench): retrain it with `workbench train`");
  }
  const dict = loadDictionary(dictionaryPath);
  if (dict.version !== features.dictionaryVersion) {
    throw new Error(`the model was trained with dictionary version ${features.dictionaryVersion}, but ${dictionaryPath} is version ${dict.version}: retrain the model or score with the matching dictionary`);
  }
  const history = new Set(historyFeatures().map((h) => h.name));
  for (const c of features.columns) {
    const v = dict.variables.find((x) => x.name === c.variable);
    if (!v && !history.has(c.variable)) throw new Error(`the model uses "${c.variable}", which neither the dictionary nor the history features define`);
    if (v && (c.kind === "one-hot" || c.kind === "multi-hot") && !(v.codes ?? []).some((k) => k.code === c.code)) {
      throw new Error(`the model uses code "${c.code}" of ${c.variable}, which the dictionary no longer lists`);
    }
  }
}

/**
 * Rows explained and written per block: bounds the memory of the explanations (block × columns
 * doubles). Small blocks keep the explanation workers busy from the first rows to the last (they
 * start sooner, warm up sooner, and the last blocks end closer together): with the MLP, after
 * validation, 32,768 → 4,096 rows took 1M contacts 7.04 → 6.59 s (medians of 8 interleaved runs,
 * faster in each pair) and the default sample 1.75 → 1.47 s (4 runs); the logistic model, written
 * on the main thread, was the same within noise (1M 3.90 / 3.83 s, sample 0.72 / 0.72 s).
 */
const BLOCK = 4096;
/** Fewer contacts than this are explained on the main thread: starting workers (bundling their code, ~0.1 s each) would cost more. */
const WORKERS_FROM = 32768;

export async function scoreExtract(options: ScoreOptions, tuning: ScoreTuning = {}): Promise<ScoreSummary> {
  const started = performance.now();
  // Where the files go is checked first, not after the whole extract has been validated.
  for (const file of [options.out, options.rejects]) {
    if (file && !statSync(dirname(resolve(file)), {throwIfNoEntry: false})?.isDirectory()) throw new Error(`cannot write ${file}: its folder ${dirname(resolve(file))} does not exist`);
  }
  const dictionary = options.dictionary ?? "data/dictionary.yaml";
  const {features, ventiles} = readModelFiles(options.model, dictionary);
  await useWasmBackend();
  const dir = mkdtempSync(join(tmpdir(), "score-"));
  try {
    // Validated exactly as ingest does, into a warehouse kept in memory and scored there.
    let validated = 0;
    let result: Awaited<ReturnType<typeof scoreOn>> | undefined;
    const report = await ingest({
      files: options.extract, dictionary, db: join(dir, "wh.duckdb"), report: join(dir, "report.json"), encoding: options.encoding, onStage: options.onStage,
      onWarehouse: async (conn) => {
        validated = performance.now();
        // The rejects are written beside the scores, and both appear only if both were written.
        const partial = options.rejects && `${options.rejects}.partial-${process.pid}`;
        try {
          if (partial) await writeRejects(conn, partial);
          result = await scoreOn(conn, {model: options.model, out: options.out, dictionary, onScored: options.onScored}, {features, ventiles}, tuning);
          if (partial) renameSync(partial, options.rejects!);
        } finally {
          if (partial) rmSync(partial, {force: true});
        }
      },
    });
    if (!result) throw new Error("internal error: the validated contacts were never scored");
    const {scored, stages} = result;
    return {
      scored, read: report.read, rejected: report.rejected, rejectedByRule: report.rejectedByRule, duplicates: report.duplicates.total,
      seconds: (performance.now() - started) / 1000, validationSeconds: (validated - started) / 1000, stages,
    };
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The quarantine of the warehouse open on `conn` (its `rejects`, which hold no values) as CSV. */
async function writeRejects(conn: DuckDBConnection, path: string): Promise<void> {
  const rows = await queryRows(conn, `SELECT file, "row", "column", rule, detail FROM rejects ORDER BY file, "row", "column", rule, detail`);
  const field = (v: unknown) => (v === null || v === undefined ? "" : csvField(String(v)));
  const lines = rows.map((r) => [r.file, r.row, r.column, r.rule, r.detail].map(field).join(","));
  writeFileSync(path, ["file,row,column,rule,detail", ...lines].join("\n") + "\n");
}

function readModelFiles(model: string, dictionary: string): {features: Features; ventiles: number[]} {
  const features = JSON.parse(readFileSync(join(model, "features.json"), "utf8")) as Features;
  const {ventiles} = JSON.parse(readFileSync(join(model, "metrics.json"), "utf8")) as {ventiles: number[]};
  checkCompatible(features, dictionary);
  return {features, ventiles};
}

/** How scoring is run (for tests): rows per block, and explanation workers (0: on the main thread). */
export interface ScoreTuning {
  blockRows?: number;
  workers?: number;
}

/**
 * Explanation workers for `total` contacts: one per core (at most 4) for a dense network, whose
 * exact explanations are most of the work (1M contacts: 22 → 17 s here with 2 workers); none for
 * the logistic model, whose lines cost less to write (~0.9 s per million) than workers add in
 * start-up, copying and contention on this 2-core machine; none for a single block or a small extract
 * (WORKERS_FROM), or for a model only tfjs can explain.
 */
function workerCount(total: number, blockRows: number, spec: ExplainSpec | null, asked?: number): number {
  if (!spec) return 0;
  if (asked !== undefined) return asked;
  return spec.kind === "dense" && total > Math.max(blockRows, WORKERS_FROM) ? Math.min(4, availableParallelism()) : 0;
}

/** Scores every contact of the warehouse open on `conn` (its `contacts`), writing the CSV to `options.out`. */
async function scoreOn(
  conn: DuckDBConnection,
  options: {model: string; out: string; dictionary?: string; onScored?: ScoreOptions["onScored"]},
  loaded: {features: Features; ventiles: number[]},
  tuning: ScoreTuning = {},
): Promise<{scored: number; stages: ScoreSummary["stages"]}> {
  const {features, ventiles} = loaded;
  const blockRows = tuning.blockRows ?? BLOCK;
  const dict = loadDictionary(options.dictionary ?? "data/dictionary.yaml");
  const partial = `${options.out}.partial-${process.pid}`;
  try {
    const layout = matrixLayout(features);
    const p = features.columns.length;
    const model = await loadModel(options.model);
    let n = 0;
    const time = {encode: 0, predict: 0, explainAndWrite: 0};
    try {
      // Explanations on the log-odds scale from the average training contact, for a block of rows.
      const shown = {names: features.columns.map((c) => csvField(c.name)), rawNames: features.columns.map((c) => c.name), means: features.means, ventiles};
      let spec: ExplainSpec | null = null;
      let baseText: string;
      if (features.model === "logistic") {
        const [kernel, bias] = model.getWeights().map((w) => w.dataSync() as Float32Array);
        baseText = baselineLogit(bias[0], kernel, features.means).toFixed(4);
        spec = {...shown, kind: "logistic", kernel, baseText};
      } else {
        const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
        baseText = Math.log(pb / (1 - pb)).toFixed(4);
        const layers = denseLayers(model);
        if (layers) spec = {...shown, kind: "dense", layers, baseText};
      }
      const fmt = format({...shown, baseText});
      // Any other architecture is explained by tfjs (the 16-step Riemann sum), on this thread.
      const write = spec ? blockWriter(spec, fmt) : explainedWriter(fmt, (X, m) => integratedGradients(tf, model, X.subarray(0, m * p), m, p, features.means, 16));
      const [{total}] = await queryRows(conn, "SELECT count(*) AS total FROM contacts");
      const count = workerCount(Number(total), blockRows, spec, tuning.workers);
      const fd = openSync(partial, "w");
      const out = new Lines(1 << 22, (bytes) => writeSync(fd, bytes));
      let pool: ExplainPool | undefined;
      let starting: Promise<ExplainPool> | undefined;
      try {
        out.write(HEADER.join(",") + "\n");
        out.flush();
        // Started while DuckDB runs the scoring query (the workers' start-up overlaps it).
        starting = spec && count > 0 ? ExplainPool.start(spec, count, (bytes) => writeSync(fd, bytes)) : undefined;
        starting?.catch(() => {}); // awaited below, where a failure to start is reported
        // The matrix is read, scored, explained and written a block at a time (memory of a few blocks).
        let mark = performance.now();
        let done = 0;
        options.onScored?.(0, Number(total));
        n = await forEachMatrixBlock(conn, scoringSql(features, dict, await columnTypes(conn), await codedMembers(conn)), layout, blockRows, async (ids, X, m) => {
          const t0 = performance.now();
          time.encode += t0 - mark;
          const scores = predict(tf, model, X, m, p);
          const t1 = performance.now();
          time.predict += t1 - t0;
          if (starting) {
            pool ??= await starting;
            await pool.send(ids, scores, X, m); // X goes to a worker; the next block gets another buffer
          } else write(ids, scores, X, m, out);
          done += m;
          options.onScored?.(done, Number(total));
          mark = performance.now();
          time.explainAndWrite += mark - t1;
        }, starting ? (length) => pool?.buffer(length) ?? sharedFloats(length) : undefined);
        if (n !== Number(total)) throw new Error(`the scoring query returned ${n} of ${total} contacts`);
        time.encode += performance.now() - mark;
        const t2 = performance.now();
        if (starting) await (pool ??= await starting).close();
        time.explainAndWrite += performance.now() - t2;
      } finally {
        if (starting && !pool) pool = await starting.catch(() => undefined);
        await pool?.terminate(); // no block is written after this
        try {
          out.flush();
        } finally {
          closeSync(fd);
        }
      }
    } finally {
      model.dispose(); // only now: the fallback explanation still runs the model
    }
    renameSync(partial, options.out);
    return {scored: n, stages: {encode: time.encode / 1000, predict: time.predict / 1000, explainAndWrite: time.explainAndWrite / 1000}};
  } finally {
    rmSync(partial, {force: true});
  }
}
