/**
 * Which extract files the workbench reads by default: those the project file lists, else data/raw
 * if it holds any, else the synthetic sample.
 */
import {existsSync, readdirSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {PROJECT, RAW_DIR, ROOT, SAMPLE_DIR} from "./paths.ts";

/** The extracts in data/raw (CSV or text files), in name order; none when the folder is empty or missing. */
export function rawExtracts(dir = RAW_DIR): string[] {
  return existsSync(dir) ? expandExtracts([dir]) : [];
}

/** Expands folders to the CSV or text files inside them, in name order. */
export function expandExtracts(paths: string[]): string[] {
  return paths.flatMap((p) =>
    existsSync(p) && statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /\.(csv|tsv|txt)$/i.test(f))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

/** Whether the default extracts are the synthetic sample: the project lists none and data/raw holds none. */
export function usesSample(): boolean {
  return PROJECT.extracts.length === 0 && rawExtracts().length === 0;
}

export function defaultExtracts(): string[] {
  if (PROJECT.extracts.length) return expandExtracts(PROJECT.extracts.map((p) => resolve(ROOT, p)));
  const raw = rawExtracts();
  if (raw.length) return raw;
  const sample = join(SAMPLE_DIR, "contacts.csv");
  if (!existsSync(sample))
    throw new Error(`no extract: data/raw holds no CSV file and ${sample} does not exist (run \`npx workbench generate\`)`);
  return [sample];
}
