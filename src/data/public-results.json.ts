// Public performance, calibration and fairness aggregates of the published model, computed from its
// test predictions and passed through src/lib/disclosure.ts (loaders/public/results.ts).
import {loadDictionary} from "../../loaders/dictionary.ts";
import {publicResults, scoredTestContacts} from "../../loaders/public/results.ts";
import {readMetrics} from "../../loaders/registry.ts";
import {ensurePublicModel, publicDisclosure} from "../../loaders/public/settings.ts";

const dir = await ensurePublicModel();
const dict = loadDictionary();
const metrics = readMetrics(dir);
const results = publicResults(await scoredTestContacts(dir, dict), metrics, dict, publicDisclosure());
process.stdout.write(JSON.stringify({...results, auc: metrics.test.auc, guessAuc: metrics.baselines.prevalence.auc, baselineAuc: metrics.baselines.oneVariable?.auc ?? null, baselineLabel: metrics.baselines.oneVariable?.label ?? null, target: metrics.target, definition: metrics.definition}));
