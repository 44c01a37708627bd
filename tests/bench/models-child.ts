// Child process of the benchmark: trains a model on a warehouse and reports the
// training time, the test AUC and, beside it, the Bayes reference AUCs computed
// from the generator's ground truth on the same test contacts (scoring is measured
// in the bench's "score" section).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {DEFAULT_CONFIG, train} from "../../loaders/train/train.ts";
import {auc} from "../../src/lib/metrics.ts";

const [model, db, truthDir, modelsDir] = process.argv.slice(2);
const r = await train({...DEFAULT_CONFIG, model: model as "logistic" | "mlp"}, {db, modelsDir});
const preds = readFileSync(join(r.dir, "predictions.internal.csv"), "utf8")
  .trimEnd()
  .split("\n")
  .slice(1)
  .map((l) => l.split(","));
const truth = new Map<string, {observable: number; oracle: number}>();
const lines = readFileSync(join(truthDir, "contacts_truth.csv"), "utf8").trimEnd().split("\n");
const head = lines[0].split(",");
const [iId, iObs, iStaff] = ["contact_id", "p_share_observable", "p_share_staff"].map((c) => head.indexOf(c));
for (const l of lines.slice(1)) {
  const f = l.split(",");
  truth.set(f[iId], {observable: Number(f[iObs]), oracle: Number(f[iStaff])});
}
const y = preds.map((f) => Number(f[2]));
const bayesObservable = auc(
  preds.map((f) => truth.get(f[0])!.observable),
  y,
);
const bayesOracle = auc(
  preds.map((f) => truth.get(f[0])!.oracle),
  y,
);
const m = r.metrics as {test: {auc: {value: number; lo: number; hi: number; n: number}}};
process.stdout.write(JSON.stringify({seconds: r.seconds, testAuc: m.test.auc, bayesObservable, bayesOracle}));
