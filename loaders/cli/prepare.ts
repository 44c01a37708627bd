/**
 * `workbench prepare`: what `npm run dev` and `npm run build` need first. Generates
 * the sample when it is missing or was made by another generator version, ingests
 * the default extracts when the warehouse is missing or older than the extracts or
 * the dictionary, and clears Framework's cached loader outputs when any input
 * changed (Framework itself only notices edits to the loader files).
 */
import {Command} from "commander";
import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {runGenerate} from "./generate.ts";
import {runIngest} from "./ingest.ts";
import {withRefusals} from "./refusals.ts";
import {reportStatus} from "../ingest/report.ts";
import {refreshPageData} from "../page-cache.ts";
import {INGEST_REPORT, WAREHOUSE} from "../paths.ts";
import {defaults, pilot} from "../synth/params.ts";
import {GENERATOR_VERSION} from "../synth/write.ts";
import {defaultExtracts, usesSample} from "../extracts.ts";
import {DICTIONARY, SAMPLE_DIR} from "../paths.ts";
import {trainDefaultModels} from "../train/train.ts";
import {listModels} from "../registry.ts";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function sampleIsCurrent(): boolean {
  const manifest = join(SAMPLE_DIR, "manifest.json");
  if (!existsSync(manifest) || !existsSync(join(SAMPLE_DIR, "contacts.csv"))) return false;
  return JSON.parse(readFileSync(manifest, "utf8")).generator === GENERATOR_VERSION;
}

/** True when the warehouse was built from exactly these extracts and this dictionary (and the last ingest was not refused). */
export function warehouseIsCurrent(files: string[], report = INGEST_REPORT, db = WAREHOUSE, dictionary = DICTIONARY): boolean {
  if (!existsSync(db) || !existsSync(report)) return false;
  const r = JSON.parse(readFileSync(report, "utf8"));
  if (reportStatus(r) !== "accepted" || r.dictionary?.sha256 !== sha256(dictionary)) return false;
  const had = new Map<string, string>((r.files ?? []).map((f: {file: string; sha256: string}) => [f.file, f.sha256]));
  return had.size === files.length && files.every((f) => had.get(basename(f)) === sha256(f));
}

export async function prepare(): Promise<void> {
  if (usesSample() && !sampleIsCurrent()) {
    process.stderr.write("generating the synthetic sample in data/sample …\n");
    await runGenerate({...defaults, pilotStart: pilot.start, pilotEnd: pilot.end, out: SAMPLE_DIR});
  }
  const files = defaultExtracts();
  if (!warehouseIsCurrent(files)) {
    process.stderr.write("ingesting the extracts into the warehouse …\n");
    await runIngest({files, dictionary: DICTIONARY, db: WAREHOUSE, report: INGEST_REPORT});
  }
  // The evaluation pages need a registered model: train the default pair once.
  if (listModels().length === 0) await trainDefaultModels();
  await refreshPageData();
}

export function prepareCommand(): Command {
  return new Command("prepare")
    .description(
      "before dev or build: generate the sample if needed, ingest if the warehouse is stale, train the default models if none is registered, clear stale page data",
    )
    .action(() => withRefusals("prepare", prepare));
}
