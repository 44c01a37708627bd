// Child process of the benchmark: either DuckDB's bare CSV → Parquet copy of a file
// ("bare") or the workbench's full ingest ("ingest"); prints time and peak memory.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {withDuckDB} from "../../loaders/db.ts";
import {ingest} from "../../loaders/ingest/ingest.ts";
import {literal} from "../../loaders/sql.ts";

const [mode, file] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "bench-ingest-"));
const started = performance.now();
if (mode === "bare") {
  await withDuckDB((db) => db.run(`COPY (SELECT * FROM read_csv(${literal(file)}, all_varchar = true, ignore_errors = true)) TO ${literal(join(dir, "x.parquet"))} (FORMAT parquet)`).then(() => undefined));
} else {
  await ingest({files: [file], dictionary: "data/dictionary.yaml", db: join(dir, "wh.duckdb"), report: join(dir, "report.json")});
}
const seconds = (performance.now() - started) / 1000;
rmSync(dir, {recursive: true, force: true});
process.stdout.write(JSON.stringify({seconds, maxRssMB: process.resourceUsage().maxRSS / 1024}));
