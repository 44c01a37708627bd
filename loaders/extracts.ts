/** Which extract files the workbench reads by default: data/raw if it holds any, else the synthetic sample. */
import {existsSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {RAW_DIR, SAMPLE_DIR} from "./paths.ts";

/** The extracts in data/raw (CSV or text files), in name order; none when the folder is empty or missing. */
export function rawExtracts(dir = RAW_DIR): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.(csv|tsv|txt)$/i.test(f))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

export function defaultExtracts(): string[] {
  const raw = rawExtracts();
  if (raw.length) return raw;
  const sample = join(SAMPLE_DIR, "contacts.csv");
  if (!existsSync(sample))
    throw new Error(`no extract: data/raw holds no CSV file and ${sample} does not exist (run \`npx workbench generate\`)`);
  return [sample];
}
