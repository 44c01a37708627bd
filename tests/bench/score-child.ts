// Child process of the benchmark: scores an extract with a registered model end to end
// (validation exactly as ingest, encoding, model, factors, CSV) and reports, as JSON, the
// contacts scored and the seconds from the call to its return (process start excluded).
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {scoreExtract} from "../../loaders/score/score.ts";

const [model, extract] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "bench-score-"));
try {
  const s = await scoreExtract({model, extract: [extract], out: join(dir, "scores.csv")});
  process.stdout.write(JSON.stringify({scored: s.scored, seconds: s.seconds, validationSeconds: s.validationSeconds}));
} finally {
  rmSync(dir, {recursive: true, force: true});
}
