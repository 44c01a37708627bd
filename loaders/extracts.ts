/** Which extract files the workbench reads by default: data/raw if it holds any, else the synthetic sample. */
import {existsSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {RAW_DIR, SAMPLE_DIR} from "./paths.ts";

export function defaultExtracts(): string[] {
  const raw = existsSync(RAW_DIR) ? readdirSync(RAW_DIR).filter((f) => /\.(csv|tsv|txt)$/i.test(f)).sort() : [];
  if (raw.length) return raw.map((f) => join(RAW_DIR, f));
  const sample = join(SAMPLE_DIR, "contacts.csv");
  if (!existsSync(sample)) throw new Error(`no extract: data/raw holds no CSV file and ${sample} does not exist (run \`npx workbench generate\`)`);
  return [sample];
}
