// Child process of the benchmark: one of DuckDB's bare CSV → Parquet copies of a
// file, or the workbench's full ingest; prints time and peak memory as JSON.
//   bare-default  COPY (SELECT * FROM read_csv(file)) TO … : the reference, literally
//                 (DuckDB's defaults: dialect and types sniffed). DuckDB may refuse a messy file.
//   bare-ignore   read_csv(file, ignore_errors = true): the defaults, with unparseable rows skipped
//   bare-varchar  read_csv(file, all_varchar = true, ignore_errors = true): no type sniffing
//   ingest        the workbench's ingest (validation, screening, warehouse)
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {withDuckDB} from "../../loaders/db.ts";
import {ingest} from "../../loaders/ingest/ingest.ts";
import {literal} from "../../loaders/sql.ts";

const BARE_OPTIONS: Record<string, string> = {
  "bare-default": "",
  "bare-ignore": ", ignore_errors = true",
  "bare-varchar": ", all_varchar = true, ignore_errors = true",
};

const [mode, file] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "bench-ingest-"));
const started = performance.now();
try {
  if (mode in BARE_OPTIONS) {
    await withDuckDB((db) =>
      db
        .run(`COPY (SELECT * FROM read_csv(${literal(file)}${BARE_OPTIONS[mode]})) TO ${literal(join(dir, "x.parquet"))} (FORMAT parquet)`)
        .then(() => undefined),
    );
  } else if (mode === "ingest") {
    await ingest({files: [file], dictionary: "data/dictionary.yaml", db: join(dir, "wh.duckdb"), report: join(dir, "report.json")});
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({seconds, maxRssMB: process.resourceUsage().maxRSS / 1024}));
} catch (error) {
  // A refusal is a result here (DuckDB's sniffer refuses some messy files): report its first line.
  process.stdout.write(JSON.stringify({failed: String(error instanceof Error ? error.message : error).split("\n")[0]}));
} finally {
  rmSync(dir, {recursive: true, force: true});
}
