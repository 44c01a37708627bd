/**
 * `npm run build:public`: builds only the public pages into dist-public/ and
 * scans the result, failing when the scan finds anything.
 *
 * 1. stage the public pages, their modules and the output of their public-*
 *    loaders (each run once) with a generated config (stage.ts); the pages are
 *    rendered there with their numbers and tables written in;
 * 2. fill the staging root's npm cache from node_modules (loaders/offline-cache.ts;
 *    copied from src/ when that one is current), so nothing is fetched;
 * 3. `observable build --config .tmp/public-site/observablehq.config.js`
 *    (data loaders run from the project root, as in the internal build);
 * 4. check size (no page over 2 MB with what it loads, the whole output under 10 MB)
 *    and run the scan (scan.ts) with the configured threshold.
 * Logs go to stderr. Exit 1 on any failure.
 */
import {spawnSync} from "node:child_process";
import {cpSync, existsSync, rmSync} from "node:fs";
import {join, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import config from "../../observablehq.config.ts";
import {cacheDir, fillNpmCache} from "../../tools/offline-cache.ts";
import {publicDisclosure} from "./settings.ts";
import {scanPublicSite} from "./scan.ts";
import {siteSizes, SIZE_LIMITS} from "./size.ts";
import {PUBLIC_OUTPUT, STAGING_DIR, stagePublicSite, type ConfigPage} from "./stage.ts";

const log = (message: string) => process.stderr.write(`build:public: ${message}\n`);

export async function buildPublic({output = PUBLIC_OUTPUT, staging = STAGING_DIR} = {}): Promise<number> {
  const {threshold} = publicDisclosure(); // refuses a bad threshold before any work
  const {configPath, stagedRoot, files, synthetic} = await stagePublicSite(
    config as {title?: string; footer?: string; head?: string; pages: ConfigPage[]},
    {staging, output},
  );
  log(`staged ${files.length} files (${files.filter((f) => f.endsWith(".md")).length} pages) in ${stagedRoot}`);
  log(synthetic ? "the data are the generated sample: every page says so at the top" : "the data are not the generated sample");

  // Reuse the internal root's npm cache when present (same node_modules, same stamp); fill otherwise.
  const npm = join(cacheDir(stagedRoot), "_npm");
  const srcCache = cacheDir("src");
  if (!existsSync(npm) && existsSync(join(srcCache, "_npm")) && existsSync(join(srcCache, ".offline-cache.json"))) {
    cpSync(join(srcCache, "_npm"), npm, {recursive: true});
    cpSync(join(srcCache, ".offline-cache.json"), join(cacheDir(stagedRoot), ".offline-cache.json"));
  }
  await fillNpmCache({root: resolve(stagedRoot), log});
  // Loader outputs are never reused: the registry and the warehouse may have changed (the public
  // loaders ran during staging; this clears anything an earlier build left).
  for (const entry of ["data", "_file"]) rmSync(join(cacheDir(stagedRoot), entry), {recursive: true, force: true});

  rmSync(output, {recursive: true, force: true});
  const bin = resolve("node_modules", ".bin", "observable");
  const run = spawnSync(bin, ["build", "--config", configPath], {
    stdio: ["ignore", 2, 2],
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "1"},
  });
  if (run.status !== 0) {
    log(`observable build failed (exit ${run.status})`);
    return 1;
  }

  const sizes = siteSizes(output);
  for (const p of sizes.pages) log(`page ${p.path}: ${(p.bytes / 1024).toFixed(0)} kB with what it loads`);
  log(`output ${(sizes.totalBytes / 1024 / 1024).toFixed(2)} MB in ${sizes.files} files`);
  const heavy = sizes.pages.filter((p) => p.bytes > SIZE_LIMITS.pageBytes);
  if (heavy.length || sizes.totalBytes > SIZE_LIMITS.totalBytes) {
    log(`too heavy: ${heavy.map((p) => p.path).join(", ") || "the whole output"} (limits: 2 MB a page, 10 MB in all)`);
    return 1;
  }

  const scan = await scanPublicSite(output, {threshold});
  for (const f of scan.findings) log(`SCAN FAILED ${f.rule}: ${f.file}: ${f.detail}`);
  if (scan.findings.length) return 1;
  log(
    `scan passed: ${scan.files} files, none holds any of ${scan.ids.toLocaleString("en-GB")} warehouse ids, a record-level table, a count of 1..${threshold} or DuckDB-wasm`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildPublic().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      log(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
