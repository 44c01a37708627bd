/**
 * Where the public site's numbers come from: the generated sample or a real
 * extract. The warehouse records the files its ingest read, each with its
 * SHA-256 (the ingest report kept in the warehouse); the generator writes the
 * SHA-256 of every file it made into data/sample/manifest.json. The data are
 * synthetic exactly when every file the warehouse was built from is one the
 * generator made (a copy of the sample moved elsewhere still counts, a single
 * real file among them does not).
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {withWarehouse} from "../db.ts";
import {warehouseReport} from "../ingest/runs.ts";
import {INGEST_REPORT, SAMPLE_DIR} from "../paths.ts";

/** The generator's manifest: the files it wrote, with their SHA-256. */
export const SAMPLE_MANIFEST = join(SAMPLE_DIR, "manifest.json");

/** The SHA-256 of every file the generator's manifest lists; empty when there is no manifest. */
export function sampleHashes(manifestPath = SAMPLE_MANIFEST): Set<string> {
  if (!existsSync(manifestPath)) return new Set();
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {files?: Record<string, {sha256?: string}>};
  return new Set(
    Object.values(manifest.files ?? {})
      .map((f) => f.sha256)
      .filter((h): h is string => typeof h === "string"),
  );
}

/**
 * Whether every file an ingest read is one of the generator's: true only when
 * there is at least one file and each file's SHA-256 is in the manifest.
 *
 * @example isSynthetic([{sha256: "b09f…"}], sampleHashes()) // true for the generated sample
 */
export function isSynthetic(files: readonly {sha256: string}[], hashes: ReadonlySet<string>): boolean {
  return files.length > 0 && files.every((f) => hashes.has(f.sha256));
}

/**
 * Whether the warehouse the public pages are built from holds the generated
 * sample: its own ingest report (else the report file) against the manifest.
 */
export async function warehouseIsSynthetic({
  manifestPath = SAMPLE_MANIFEST,
  reportPath = INGEST_REPORT,
  dbPath,
}: {manifestPath?: string; reportPath?: string; dbPath?: string} = {}): Promise<boolean> {
  const hashes = sampleHashes(manifestPath);
  if (!hashes.size) return false;
  const report =
    (await withWarehouse((db) => warehouseReport(db), dbPath)) ??
    (existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, "utf8")) as {files: {sha256: string}[]}) : null);
  return report ? isSynthetic(report.files, hashes) : false;
}
