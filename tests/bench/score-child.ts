// Child process of the benchmark: scores an extract with a registered model
// (validation exactly as ingest, encoding, model, factors, CSV) and reports the
// time by stage, and the CPU time of all its threads, as JSON.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {scoreExtract} from "../../loaders/score/score.ts";

const [model, extract] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "bench-score-"));
try {
  const before = process.cpuUsage();
  const s = await scoreExtract({model, extract: [extract], out: join(dir, "scores.csv")});
  const used = process.cpuUsage(before); // every thread of the process
  process.stdout.write(JSON.stringify({scored: s.scored, seconds: s.seconds, validationSeconds: s.validationSeconds, rate: s.scored / s.seconds, cpuSeconds: (used.user + used.system) / 1e6}));
} finally {
  rmSync(dir, {recursive: true, force: true});
}
