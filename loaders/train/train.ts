/**
 * `workbench train`: warehouse → dataset → time/child splits → encoding fitted on
 * training rows → model → metrics with intervals and baselines → models/<id>/.
 * The id is derived from the data hash and the config, so the same inputs give the
 * same id (and, on the same backend, bit-identical weights).
 */
import {createHash} from "node:crypto";
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {defaultTarget, loadDictionary, targetDefinition, variable} from "../dictionary.ts";
import {withWarehouse} from "../db.ts";
import {MODELS_DIR} from "../paths.ts";
import {chooseTrainingSplit, loadDataset, targetText, type Target} from "./dataset.ts";
import {dataErrorContacts} from "../reviews/reviews.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {saveModel, tf, useWasmBackend} from "./tf-node.ts";
import {encode, fitEncoding, type Encoding, type Row} from "../../src/lib/features.ts";
import {fitLogistic, predictLogistic} from "../../src/lib/logistic.ts";
import {createLogisticModel, createMlp, predict, trainMlp, trainMlpEarlyStopping, type MlpConfig} from "../../src/lib/models.ts";
import {splitPeriods, type SplitChoice, type SplitPeriods, type SplitPlan} from "../../src/lib/splits.ts";
import {auc, scoreSummary, seedFromText} from "../../src/lib/metrics.ts";
import {summaryKey} from "./summary-key.ts";
import {logLoss, type CurvePoint} from "../../src/lib/live-training.ts";
import {rocPoints} from "../../src/lib/roc.ts";
import {csvCell} from "../../src/lib/csv.ts";

export interface TrainConfig {
  /** a target the dictionary defines (default: its default_target) */
  target?: Target;
  model: "logistic" | "mlp";
  /** ridge penalty of the logistic fit */
  ridge: number;
  mlp: MlpConfig;
  /** default: the dictionary's split, else one derived from the data's date range */
  split?: SplitPlan;
  includeProtected: boolean;
}

export const DEFAULT_CONFIG: TrainConfig = {
  model: "logistic",
  ridge: 1,
  // The MLP runs at most `epochs` epochs and stops once `patience` epochs pass without a lower validation
  // loss, keeping its best epoch's weights; the batch size is the one whose validation curve reached the
  // lowest loss on the default sample among 512, 1024, 2048 and 4096.
  mlp: {hidden: [32, 16], epochs: 30, batchSize: 2048, learningRate: 0.003, l2: 1e-5, seed: 20190331, patience: 2},
  includeProtected: false,
};

/** At most this many training contacts are scored after each epoch for the learning curves. */
const CURVE_SAMPLE = 20000;

export interface TrainResult {
  id: string;
  dir: string;
  metrics: Record<string, unknown>;
  seconds: number;
  /** the split trained with, where it came from and why (also in card.json) */
  split: SplitReport;
}

/** The split a model was trained with, as card.json and the console report it. */
export interface SplitReport {
  source: SplitChoice["source"];
  why: string;
  plan: SplitPlan;
  /** the days each period's usable contacts fall in */
  periods: SplitPeriods;
  counts: Record<string, number>;
}

const canonical = (x: unknown): string =>
  Array.isArray(x)
    ? `[${x.map(canonical).join(",")}]`
    : x && typeof x === "object"
      ? `{${Object.keys(x)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(x);

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {encoding: "utf8", stdio: ["ignore", "pipe", "ignore"]}).trim();
  } catch {
    return "unknown";
  }
}

function matrix(enc: Encoding, rows: Row[]): Float32Array {
  return encode(enc, rows, Float32Array);
}

/**
 * A score's metrics on a set of contacts for metrics.json: the evaluation's own summary
 * (src/lib/metrics.ts scoreSummary), bootstrapped with the model's seed, so the intervals
 * here equal those on the evaluation pages exactly.
 */
function summarise(scores: ArrayLike<number>, labels: ArrayLike<number>, seed: number) {
  return scoreSummary(scores, labels, {seed});
}

export async function train(
  config: TrainConfig,
  {
    modelsDir = MODELS_DIR,
    db,
    onProgress,
    reviews,
    dictionary,
  }: {
    /** the dictionary file (default: the one workbench.yaml names) */
    dictionary?: string;
    modelsDir?: string;
    db?: string;
    onProgress?: (what: string, done: number, total: number) => void;
    /** review folder (default data/reviews or MASH_REVIEWS_DIR) */ reviews?: string;
  } = {},
): Promise<TrainResult> {
  const started = performance.now();
  const dict = loadDictionary(dictionary);
  const target = config.target ?? defaultTarget(dict);
  targetDefinition(dict, target); // an unknown target is refused before any work
  const backend = await useWasmBackend();
  // Contacts a working session marked as data errors (data/reviews/) are left out, and counted.
  const dataErrors = await dataErrorContacts(dict, reviews);
  const {data, excludedDataErrors, choice} = await withWarehouse(async (conn) => {
    const found = dataErrors.length
      ? await queryRows(
          conn,
          `SELECT count(*) AS n FROM contacts WHERE ${ident(dict.roles.record)} IN (${dataErrors.map(literal).join(", ")})`,
        )
      : [{n: 0}];
    const data = await loadDataset(conn, dict, target, {includeProtected: config.includeProtected, exclude: dataErrors});
    return {
      data,
      excludedDataErrors: Number(found[0].n),
      // The given split, else the dictionary's or one derived from the dates; a follow-up target's
      // labels are censored at each period's start (src/lib/splits.ts chooseSplit).
      choice: await chooseTrainingSplit(conn, dict, target, data.rows, config.split),
    };
  }, db);
  const plan = choice.plan;
  // The model records the target and split it was trained with, resolved from the dictionary when not given.
  config = {...config, target, split: plan};
  const id = `${config.target}-${config.model}-${createHash("sha256")
    .update(data.dataHash + canonical(config))
    .digest("hex")
    .slice(0, 12)}`;
  const split = choice.result;
  const splitReport: SplitReport = {
    source: choice.source,
    why: choice.why,
    plan,
    periods: splitPeriods(plan, data.extractEnd),
    counts: {
      ...split.counts,
      excludedSeenChild: split.excludedSeenChild,
      censoredAtBoundary: split.censoredAtBoundary,
      unlabelled: data.censored,
    },
  };
  const part = (name: string) => data.rows.filter((_, i) => split.splits[i] === name);
  const trainRows = part("train"),
    validRows = part("valid"),
    testRows = part("test");
  if (!trainRows.length || !testRows.length)
    throw new Error(
      `the split left ${trainRows.length} training and ${testRows.length} test records: the plan (validation from ${plan.validFrom}, test from ${plan.testFrom}) does not fit the data (${data.rows[0]?._time ?? "no records"} to ${data.rows.at(-1)?._time ?? "no records"}); fix or remove the dictionary's split: (without one it is derived from the data's dates)`,
    );
  const enc = fitEncoding(data.variables, trainRows);
  const p = enc.columns.length;
  const Xtr = matrix(enc, trainRows),
    Xva = matrix(enc, validRows),
    Xte = matrix(enc, testRows);
  const ytr = Float32Array.from(trainRows, (r) => Number(r._y));
  const yva = Float32Array.from(validRows, (r) => Number(r._y));
  const yte = Float32Array.from(testRows, (r) => Number(r._y));

  let model: tf.LayersModel;
  let curve: {epoch: number; loss: number}[] = [];
  let fitInfo: Record<string, unknown> = {};
  // The learning curves the Training page compares: log loss and AUC after each epoch, on the
  // validation contacts and on a fixed sample of training contacts (every k-th, at most CURVE_SAMPLE).
  const history: CurvePoint[] = [];
  const every = Math.max(1, Math.ceil(trainRows.length / CURVE_SAMPLE));
  const sample = Int32Array.from({length: Math.ceil(trainRows.length / every)}, (_, k) => k * every);
  const Xs = new Float32Array(sample.length * p),
    ys = Float32Array.from(sample, (i) => ytr[i]);
  sample.forEach((i, k) => Xs.set(Xtr.subarray(i * p, (i + 1) * p), k * p));
  /** Records both curves' points after an epoch; returns the validation loss (early stopping's yardstick). */
  const record = (epoch: number): number => {
    const ps = predict(tf, model, Xs, sample.length, p),
      pv = predict(tf, model, Xva, validRows.length, p);
    history.push({epoch, set: "training", loss: logLoss(ps, ys), auc: auc(ps, ys)});
    if (!validRows.length) return NaN;
    const loss = logLoss(pv, yva);
    history.push({epoch, set: "validation", loss, auc: auc(pv, yva)});
    return loss;
  };
  if (config.model === "logistic") {
    // The exact penalised fit (Newton–Raphson over each row's nonzero entries, src/lib/logistic.ts) on the
    // same float32 features the saved model scores.
    const fit = fitLogistic(Xtr, ytr, trainRows.length, p, {ridge: config.ridge});
    fitInfo = {iterations: fit.iterations, gradientMax: fit.gradientMax, loss: fit.loss};
    model = createLogisticModel(tf, p, fit.intercept, fit.coefficients);
    record(1); // an exact fit: one point, as on the Training page
  } else {
    model = createMlp(tf, p, config.mlp);
    const epochDone = (log: {epoch: number; loss: number}) => {
      const validationLoss = record(log.epoch);
      onProgress?.(`epoch ${log.epoch}, loss ${log.loss.toFixed(4)}`, log.epoch, config.mlp.epochs);
      return validationLoss;
    };
    const {patience} = config.mlp;
    if (patience && validRows.length) {
      // Early stopping on the validation loss: the epoch budget is config.mlp.epochs at most, the model
      // keeps the weights of its best epoch (the learning curves show every epoch run).
      const run = await trainMlpEarlyStopping(tf, model, Xtr, ytr, trainRows.length, p, {...config.mlp, patience}, epochDone);
      curve = run.logs;
      fitInfo = {...run.stop};
    } else
      curve = await trainMlp(tf, model, Xtr, ytr, trainRows.length, p, config.mlp, (log) => {
        epochDone(log);
      });
  }
  const scoreTest = predict(tf, model, Xte, testRows.length, p);
  const scoreValid = predict(tf, model, Xva, validRows.length, p);
  const scoreTrain = predict(tf, model, Xtr, trainRows.length, p);

  // Baseline: a logistic model of the dictionary's baseline feature alone, fitted the same way.
  const baselineName = dict.roles.baseline_feature;
  const baselineVars = data.variables.filter((v) => v.name === baselineName);
  let oneVariable: Record<string, unknown> | undefined;
  if (baselineVars.length) {
    const sourceEnc = fitEncoding(baselineVars, trainRows);
    const ps = sourceEnc.columns.length;
    const sourceFit = fitLogistic(encode(sourceEnc, trainRows), ytr, trainRows.length, ps, {ridge: config.ridge});
    const sourceTest = predictLogistic(sourceFit, encode(sourceEnc, testRows), testRows.length, ps);
    oneVariable = {...summarise(sourceTest, yte, seedFromText(id)), variable: baselineName, label: variable(dict, baselineName!).label};
  }

  const seed = config.mlp.seed;
  const sortedTrain = Float64Array.from(scoreTrain).sort();
  const ventiles = Array.from({length: 19}, (_, k) => sortedTrain[Math.floor(((k + 1) / 20) * (sortedTrain.length - 1))]);
  const metrics = {
    target,
    definition: targetText(dict, target),
    split: {...split.counts, excludedSeenChild: split.excludedSeenChild, censored: data.censored, excludedDataErrors, plan},
    // One bootstrap seed per model (from its id), as the evaluation uses: the same resamples of the
    // test contacts for the model and its one-variable baseline, and the same intervals on every page.
    test: summarise(scoreTest, yte, seedFromText(id)),
    validation: summarise(scoreValid, yva, seedFromText(id)),
    // What each summary was computed from (scores, labels, seed): the evaluation reuses a summary whose key it matches.
    summaryKeys: {test: summaryKey(scoreTest, yte, seedFromText(id)), validation: summaryKey(scoreValid, yva, seedFromText(id))},
    baselines: {
      prevalence: {auc: 0.5, note: "predicting the training prevalence for everyone"},
      // absent when the dictionary names no baseline feature
      ...(oneVariable ? {oneVariable} : {}),
    },
    ventiles,
    curve,
    history: {sampledTrainingContacts: sample.length, validationContacts: validRows.length, points: history},
    // The test split's ROC curve, thinned so that every point aggregates many contacts.
    roc: rocPoints(scoreTest, yte),
  };
  const dir = join(modelsDir, id);
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  await saveModel(model, dir);
  // Column means over training rows: the reference point of each feature's contribution.
  const means = enc.columns.map((_, j) => {
    let s = 0;
    for (let i = 0; i < trainRows.length; i++) s += Xtr[i * p + j];
    return s / trainRows.length;
  });
  writeFileSync(
    join(dir, "features.json"),
    JSON.stringify(
      {
        ...enc,
        means,
        target,
        model: config.model,
        dictionaryVersion: dict.version,
        history: data.history.map(({name, definition}) => ({name, definition})),
      },
      null,
      2,
    ) + "\n",
  );
  writeFileSync(join(dir, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(
    join(dir, "card.json"),
    JSON.stringify(
      {
        id,
        target,
        model: config.model,
        dataHash: data.dataHash,
        dictionaryVersion: dict.version,
        gitCommit: gitCommit(),
        seed,
        config,
        split: splitReport,
        backend,
        tfjs: tf.version.tfjs,
        fit: fitInfo,
        features: p,
        trainedAt: new Date().toISOString(),
        trainingSeconds: seconds,
        // Internal (models/ is never published): evaluation must leave out the same contacts.
        dataErrorsLeftOut: dataErrors,
      },
      null,
      2,
    ) + "\n",
  );
  // Internal only (never published): the test split's predictions, for evaluation pages. The id is text,
  // escaped by csvCell (readers undo it with unescapeCsvCell or unescapeCsvSql); y and score are numbers.
  const lines = ["id,split,y,score", ...testRows.map((r, i) => `${csvCell(String(r._id))},test,${yte[i]},${scoreTest[i]}`)];
  writeFileSync(join(dir, "predictions.internal.csv"), lines.join("\n") + "\n");
  model.dispose();
  return {id, dir, metrics, seconds, split: splitReport};
}

export {existsSync};

/** The models a fresh clone starts with: the default config as a logistic model and as an MLP. */
export const DEFAULT_MODELS = ["logistic", "mlp"] as const;

/**
 * Trains the default models into `modelsDir` (used when none is registered, by
 * `prepare` and by the public loaders), with a progress bar each on stderr.
 */
export async function trainDefaultModels(modelsDir = MODELS_DIR, why = "no registered model yet"): Promise<TrainResult[]> {
  const {progressBar} = await import("../progress.ts");
  const out: TrainResult[] = [];
  for (const model of DEFAULT_MODELS) {
    process.stderr.write(`${why}: training the default ${model} model …\n`);
    const bar = progressBar(`train ${model}`);
    try {
      out.push(await train({...DEFAULT_CONFIG, model}, {modelsDir, onProgress: (_w, d, t) => bar.update(d, t)}));
    } finally {
      bar.stop();
    }
  }
  return out;
}
