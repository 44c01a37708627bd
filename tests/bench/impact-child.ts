// Child processes of the benchmark for the Impact page's data (loaders/pages/impact.ts computeImpact).
//   impact-child.ts prepare N DIR   generates N contacts (the sample's defaults) into DIR, ingests them and
//                                   trains the default logistic model there (the case mix)
//   impact-child.ts time [DIR]      computes the page's data on DIR's warehouse and models (none: the
//                                   project's own) and prints {seconds, peakMB, bytes} as JSON; run in its
//                                   own process so the peak memory is the computation's alone
import {join} from "node:path";
import {generateExtract} from "../../loaders/synth/write.ts";
import {defaults, pilot} from "../../loaders/synth/params.ts";
import {ingest} from "../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train} from "../../loaders/train/train.ts";
import {loadDictionary} from "../../loaders/dictionary.ts";
import {DICTIONARY} from "../../loaders/paths.ts";
import {computeImpact} from "../../loaders/pages/impact.ts";

const [mode, a, b] = process.argv.slice(2);
if (mode === "prepare") {
  const dir = b;
  const year = {seed: defaults.seed, start: defaults.start, months: defaults.months, messiness: defaults.messiness};
  await generateExtract({...year, contacts: Number(a), pilotStart: pilot.start, pilotEnd: pilot.end, out: join(dir, "x")});
  const db = join(dir, "wh.duckdb");
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: DICTIONARY, db, report: join(dir, "report.json")});
  await train({...DEFAULT_CONFIG, model: "logistic"}, {db, modelsDir: join(dir, "models")});
} else if (mode === "time") {
  const t = performance.now();
  const data = a
    ? await computeImpact(loadDictionary(), {modelsDir: join(a, "models")}, join(a, "wh.duckdb"))
    : await computeImpact(loadDictionary());
  const seconds = (performance.now() - t) / 1000;
  if (!data.available) throw new Error(`impact: ${data.reason}`);
  process.stdout.write(JSON.stringify({seconds, peakMB: process.resourceUsage().maxRSS / 1024, bytes: JSON.stringify(data).length}));
} else {
  throw new Error("usage: impact-child.ts prepare N DIR | time [DIR]");
}
