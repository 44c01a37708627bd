/**
 * `workbench ingest`: extracts → validated DuckDB warehouse, with a JSON report. A refused extract
 * exits 1 (a file that cannot be ingested) or 2 (identifiers); the report then says refused and why.
 */
import {Command} from "commander";
import {withRefusals} from "./refusals.ts";
import {resolve} from "node:path";
import {ingest, type IngestOptions, type IngestReport} from "../ingest/ingest.ts";
import {refreshPageData} from "../page-cache.ts";
import {defaultExtracts, expandExtracts} from "../extracts.ts";
import {DICTIONARY, INGEST_REPORT, WAREHOUSE} from "../paths.ts";
import {progressBar} from "../progress.ts";

/** Runs an ingest with a progress bar and a short summary on stderr; then page data is refreshed. */
export async function runIngest(options: Omit<IngestOptions, "onStage">): Promise<IngestReport> {
  const bar = progressBar("ingest");
  // Framework only notices edits to loader files: drop cached page data so the new warehouse (or,
  // after a refusal, the report saying so) shows up.
  const refresh = async () => {
    if (resolve(options.db) === WAREHOUSE) await refreshPageData();
  };
  try {
    const r = await ingest({...options, onStage: (_s, d, t) => bar.update(d, t)}).catch(async (error: unknown) => {
      await refresh().catch(() => {}); // the ingest's own error is the one to report
      throw error;
    });
    bar.stop();
    const rules = Object.entries(r.rejectedByRule)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    process.stderr.write(
      `ingested ${r.files.length} file(s): ${r.read} rows read = ${r.accepted} accepted + ${r.rejected} rejected` +
        `${rules ? ` (${rules})` : ""} + ${r.duplicates.total} duplicates (${r.duplicates.exactCopies} exact copies, ${r.duplicates.superseded} superseded by a later file)\n` +
        `${r.mappedCodes.reduce((a, m) => a + m.n, 0)} values mapped to dictionary codes; ${r.unknownCodes.length} unknown spellings. Report: ${options.report}\n`,
    );
    await refresh();
    return r;
  } finally {
    bar.stop();
  }
}

export function ingestCommand(): Command {
  return new Command("ingest")
    .description("validate anonymised extracts against the dictionary and load them into the DuckDB warehouse")
    .option("--extract <path...>", "extract files or folders (default: data/raw if it holds extracts, else data/sample)")
    .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
    .option("--db <file>", "the warehouse", WAREHOUSE)
    .option("--report <file>", "where to write the JSON report (written by every run, refused or not)", INGEST_REPORT)
    .option("--encoding <label>", "declared encoding of the extracts (default UTF-8), e.g. windows-1252")
    .action(async (o) => {
      const files = o.extract ? expandExtracts(o.extract.map((p: string) => resolve(p))) : defaultExtracts();
      await withRefusals("ingest", async () => {
        await runIngest({files, dictionary: o.dictionary, db: o.db, report: o.report, encoding: o.encoding});
      });
    });
}
