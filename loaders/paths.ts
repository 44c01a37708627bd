/** Where things live, relative to the project root (the working directory of every command and loader). */
import {join, resolve} from "node:path";
import {loadProject, projectFile} from "./project.ts";

export const ROOT = process.cwd();
export const SAMPLE_DIR = resolve(ROOT, "data/sample");
export const RAW_DIR = resolve(ROOT, "data/raw");
export const PROCESSED_DIR = resolve(ROOT, "data/processed");
/** The project file (workbench.yaml) as read at start-up. */
export const PROJECT = loadProject();
/** The project file itself (an input of every cached result). */
export const PROJECT_FILE = projectFile();
/** The dictionary the project names. */
export const DICTIONARY = resolve(ROOT, PROJECT.dictionary);
export const WAREHOUSE = join(PROCESSED_DIR, "warehouse.duckdb");
export const INGEST_REPORT = join(PROCESSED_DIR, "ingest-report.json");
/** The model registry: one folder per trained model (read only through loaders/registry.ts). */
export const MODELS_DIR = "models";
/** Where review files live: data/reviews, or MASH_REVIEWS_DIR (used by tests). */
export function reviewsDir(): string {
  return process.env.MASH_REVIEWS_DIR ?? "data/reviews";
}
