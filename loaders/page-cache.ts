/**
 * Framework's cached data-loader outputs, kept in step with their inputs:
 * Framework reuses a loader's cached output while the loader file is older
 * than it, so a new extract or a rebuilt warehouse would not show up.
 * {@link fingerprintFiles} tells when the inputs changed and
 * {@link clearStaleLoaderCache} drops the stale outputs.
 */
import {createHash} from "node:crypto";
import {mkdir, readFile, readdir, rm, stat, writeFile} from "node:fs/promises";
import {join, posix, resolve} from "node:path";
import {DICTIONARY, MODELS_DIR, PROJECT, PROJECT_FILE, ROOT, reviewsDir} from "./paths.ts";

/** The cache folder Framework reads for a given source root. */
export function cacheDir(root: string): string {
  return join(root, ".observablehq", "cache");
}

/** Top-level cache entries that are not data-loader outputs (kept by {@link clearStaleLoaderCache}). */
const NON_LOADER_ENTRIES = new Set(["_npm", "_jsr", "_node", "_duckdb", "_observablehq"]);
const FINGERPRINT_FILE = ".inputs-fingerprint.json";

/** What {@link clearStaleLoaderCache} did. */
export interface ClearResult {
  /** true when the fingerprint changed and cached loader outputs were removed. */
  cleared: boolean;
  /** Removed top-level cache entries (relative to the cache folder). */
  removed: string[];
}

/**
 * Removes Framework's cached data-loader outputs when the data inputs changed.
 *
 * Framework reuses a loader's cached output as long as the loader file is
 * older than it (and `observable build` even uses stale output), so a new
 * extract or a rebuilt warehouse would not show up. Call this after preparing
 * data with a fingerprint of the inputs: when it differs from the last one
 * (kept in `<root>/.observablehq/cache/.inputs-fingerprint.json`), every
 * cached loader output is deleted; npm/jsr/node/duckdb caches are kept.
 *
 * @example await clearStaleLoaderCache(await fingerprintFiles(["data/sample/manifest.json", "data/processed"]));
 */
export async function clearStaleLoaderCache(fingerprint: string, options: {root?: string; projectDir?: string} = {}): Promise<ClearResult> {
  const projectDir = resolve(options.projectDir ?? ROOT);
  const dir = cacheDir(resolve(projectDir, options.root ?? "src"));
  const stampPath = join(dir, FINGERPRINT_FILE);
  let previous: string | undefined;
  try {
    previous = (JSON.parse(await readFile(stampPath, "utf-8")) as {fingerprint?: string}).fingerprint;
  } catch {
    previous = undefined;
  }
  if (previous === fingerprint) return {cleared: false, removed: []};
  const removed: string[] = [];
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (NON_LOADER_ENTRIES.has(entry) || entry.startsWith(".")) continue;
    await rm(join(dir, entry), {recursive: true, force: true});
    removed.push(entry);
  }
  await mkdir(dir, {recursive: true});
  await writeFile(stampPath, JSON.stringify({fingerprint}, null, 2));
  return {cleared: true, removed: removed.sort()};
}

/**
 * A fingerprint of files and folders (recursively): relative path, size and
 * modification time of every file, hashed. Cheap on a large warehouse, and a
 * rewritten file always changes it (a false "changed" only costs a re-run of
 * the loaders). Missing paths count as "missing", so creating them changes it.
 *
 * @example const fp = await fingerprintFiles(["data/sample/manifest.json", "data/processed"]);
 */
export async function fingerprintFiles(paths: readonly string[], projectDir: string = ROOT): Promise<string> {
  const hash = createHash("sha256");
  const visit = async (path: string): Promise<void> => {
    const absolute = resolve(projectDir, path);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      hash.update(`${path}\0missing\n`);
      return;
    }
    if (info.isDirectory()) {
      for (const entry of (await readdir(absolute)).sort()) await visit(posix.join(path, entry));
    } else {
      hash.update(`${path}\0${info.size}\0${Math.floor(info.mtimeMs)}\n`);
    }
  };
  for (const path of paths) await visit(path);
  return hash.digest("hex");
}

/** Inputs of the site's data loaders: when any changes, cached page data is dropped. */
export const PAGE_INPUTS = [
  PROJECT_FILE,
  DICTIONARY,
  ...PROJECT.extracts,
  "data/processed",
  "data/raw",
  "data/sample/manifest.json",
  reviewsDir(),
  MODELS_DIR,
  "src/data",
  "loaders",
  // The shared code the loaders compute with (src/lib): a change to the encoding or the scoring changes their output (the what-if sample among it).
  "src/lib",
];

/** Clears Framework's cached loader outputs if any page input changed since the last time. */
export async function refreshPageData(): Promise<void> {
  await clearStaleLoaderCache(await fingerprintFiles(PAGE_INPUTS));
}
