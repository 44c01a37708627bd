/** Where things live, relative to the project root (the working directory of every command and loader). */
import {resolve} from "node:path";

export const ROOT = process.cwd();
export const SAMPLE_DIR = resolve(ROOT, "data/sample");
export const RAW_DIR = resolve(ROOT, "data/raw");
export const PROCESSED_DIR = resolve(ROOT, "data/processed");
export const DICTIONARY = resolve(ROOT, "data/dictionary.yaml");
