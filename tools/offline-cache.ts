/**
 * Fills Observable Framework's npm cache from node_modules, so that
 * `observable build` and `observable preview` never reach for the CDN.
 *
 * Framework turns `npm:` imports and its implicit libraries (Plot, d3, Inputs,
 * DuckDB, Arquero, Parquet…) into jsDelivr downloads. It skips a download when
 * `<root>/.observablehq/cache/_npm/<name>@<version>/<file>` already exists and
 * skips the registry version look-up when a `<name>@<version>` folder is there.
 * This module writes those files itself, the way jsDelivr's `+esm` bundles look
 * after Framework has rewritten them:
 *
 * - every package becomes its own browser ESM bundle (esbuild, minified);
 * - an import of another ES-module package stays an import, rewritten to the
 *   sibling cache file (`../apache-arrow@17.0.0/_esm.js`), so shared libraries
 *   (apache-arrow, tfjs-core, d3-*) exist once and Framework can follow the
 *   graph; CommonJS dependencies are inlined (esbuild's interop gets them right);
 * - sub-path imports (`@tensorflow/tfjs-core/dist/io/io_utils`) become extra
 *   entries of that package's bundle (`dist/io/io_utils._esm.js`), with code
 *   splitting so a package's module state is never duplicated;
 * - the wasm and worker files Framework asks for are copied as they are.
 *
 * Run as `tsx tools/offline-cache.ts [--root src] [--force]` (`npm run
 * offline-cache`, also run by predev/prebuild). Logs go to stderr only.
 */
import {createHash} from "node:crypto";
import {constants, existsSync, readFileSync, readdirSync} from "node:fs";
import {copyFile, mkdir, readFile, readdir, rm, stat, writeFile} from "node:fs/promises";
import {dirname, extname, join, posix, relative, resolve, sep} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {build, version as esbuildVersion, type Plugin} from "esbuild";
import {cacheDir} from "../loaders/page-cache.ts";

export {cacheDir};

/** A library Framework may request, with the non-JavaScript files it needs beside the bundle. */
export interface CachedLibrary {
  /** npm package name, as installed in node_modules. */
  name: string;
  /** Why Framework asks for it (shown in errors). */
  usedBy: string;
  /** Extra entry points besides the package root, as import sub-paths (e.g. "dist/foo"). */
  subpaths?: readonly string[];
  /** Files copied verbatim: paths relative to the package folder; `*` matches within one folder. */
  assets?: readonly string[];
  /** The exact version Framework hard-codes for this package, if it does. */
  requiredVersion?: string;
}

const FRAMEWORK_DIR = fileURLToPath(new URL("../node_modules/@observablehq/framework/", import.meta.url));

/**
 * The DuckDB-wasm version Framework hard-codes (it requests exactly this one).
 * Read from Framework's source so an upgrade of Framework is noticed.
 */
export function frameworkDuckDBWasmVersion(frameworkDir: string = FRAMEWORK_DIR): string {
  const source = readFileSync(join(frameworkDir, "dist", "duckdb.js"), "utf-8");
  const match = /\bDUCKDB_WASM_VERSION\s*=\s*"([^"]+)"/.exec(source);
  if (!match) throw new Error(`offline-cache: cannot find DUCKDB_WASM_VERSION in ${join(frameworkDir, "dist", "duckdb.js")}`);
  return match[1];
}

/**
 * The libraries the workbench's pages may use, i.e. Framework's implicit
 * imports (libraries.js, stdlib/*.js) plus what pages import with `npm:`.
 * Their dependencies (d3-*, interval-tree-1d, flatbuffers, tfjs-core…) are
 * found by following imports and cached too.
 */
export const CACHED_LIBRARIES: readonly CachedLibrary[] = [
  {name: "@observablehq/plot", usedBy: "Plot"},
  {name: "d3", usedBy: "d3"},
  {name: "d3-dsv", usedBy: "FileAttachment(…).csv() / .tsv()"},
  {name: "htl", usedBy: "html, svg, htl and Inputs"},
  {name: "isoformat", usedBy: "Inputs and Plot"},
  {name: "apache-arrow", usedBy: "Arrow, FileAttachment(…).arrow() / .parquet(), DuckDB"},
  {name: "arquero", usedBy: "aq, FileAttachment(…).arquero()"},
  {name: "parquet-wasm", usedBy: "FileAttachment(…).parquet()", assets: ["esm/parquet_wasm_bg.wasm"]},
  {
    name: "@duckdb/duckdb-wasm",
    usedBy: "sql, DuckDBClient, duckdb",
    assets: ["dist/*.wasm", "dist/*.worker.js"],
    requiredVersion: frameworkDuckDBWasmVersion(),
  },
  {name: "@tensorflow/tfjs", usedBy: "npm:@tensorflow/tfjs (training in the browser)"},
  {name: "@tensorflow/tfjs-backend-wasm", usedBy: "npm:@tensorflow/tfjs-backend-wasm", assets: ["dist/*.wasm"]},
];

/** Options of {@link fillNpmCache}. */
export interface FillOptions {
  /** The Framework source root (config `root`); the cache is `<root>/.observablehq/cache`. */
  root?: string;
  /** The folder that holds node_modules (default: this project). */
  projectDir?: string;
  /** Libraries to cache (default: {@link CACHED_LIBRARIES}). */
  libraries?: readonly CachedLibrary[];
  /** Rebuild even when the stamp says the cache is up to date. */
  force?: boolean;
  /** Progress messages (default: stderr). */
  log?: (message: string) => void;
}

/** What {@link fillNpmCache} did. */
export interface FillResult {
  /** true when the stamp matched and nothing was written. */
  upToDate: boolean;
  /** `<name>@<version>` folders in the cache that this tool owns. */
  packages: string[];
  /** Files written (relative to the `_npm` folder). */
  files: string[];
  elapsedMs: number;
}

interface Stamp {
  key: string;
  packages: string[];
  files: string[];
}

/** One package bundle to produce: its installed folder and the entries other bundles import. */
interface PackageJob {
  name: string;
  version: string;
  dir: string;
  /** output name (without .js, relative to the package folder) → absolute source file */
  entries: Map<string, string>;
  built: boolean;
}

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));
const STAMP_FILE = ".offline-cache.json";
const MARKER = "offline-cache-npm:/";
const TARGET = ["es2022", "chrome96", "firefox96", "safari16"];

/**
 * Makes sure every library in `libraries` (and everything they import) is in
 * Framework's npm cache under `<root>/.observablehq/cache/_npm`, built from
 * node_modules. Idempotent: a stamp of the installed versions, this script and
 * esbuild lets a second run return in milliseconds. Throws with a clear
 * message when a package is not installed or has the wrong version.
 *
 * @example await fillNpmCache({root: "src"});
 */
export async function fillNpmCache(options: FillOptions = {}): Promise<FillResult> {
  const start = performance.now();
  const projectDir = resolve(options.projectDir ?? PROJECT_DIR);
  const root = resolve(projectDir, options.root ?? "src");
  const libraries = options.libraries ?? CACHED_LIBRARIES;
  const log = options.log ?? ((message: string) => process.stderr.write(`offline-cache: ${message}\n`));
  const npmDir = join(cacheDir(root), "_npm");
  const stampPath = join(cacheDir(root), STAMP_FILE);

  const installed = libraries.map((library) => findInstalled(library, projectDir));
  const key = stampKey(projectDir, libraries, installed);
  const previous = readStamp(stampPath);
  if (!options.force && previous?.key === key && previous.files.every((file) => existsSync(join(npmDir, file)))) {
    return {upToDate: true, packages: previous.packages, files: previous.files, elapsedMs: performance.now() - start};
  }

  const {packages, outputs} = await planAndBundle(installed, log);

  // Remove what we wrote last time and the folders we are about to write, so
  // no stale chunk survives; leave any other cache entry alone.
  await rm(stampPath, {force: true});
  for (const folder of new Set([...(previous?.packages ?? []), ...packages])) {
    await rm(join(npmDir, folder), {recursive: true, force: true});
  }
  for (const [file, contents] of outputs) {
    const path = join(npmDir, file);
    await mkdir(dirname(path), {recursive: true});
    await writeFile(path, contents);
  }
  const copied: string[] = [];
  for (const {library, dir, version} of installed) {
    for (const asset of expandAssets(dir, library)) {
      const file = posix.join(`${library.name}@${version}`, asset);
      const target = join(npmDir, file);
      await mkdir(dirname(target), {recursive: true});
      await copyFile(join(dir, asset), target, constants.COPYFILE_FICLONE);
      copied.push(file);
    }
  }
  // Framework's client bundle names many optional libraries (react-dom,
  // lodash, echarts…) and resolves each one's version while bundling, even
  // when no page uses it. A `<name>@<version>` folder answers that look-up
  // offline. The version says what happened: a page that really uses one of
  // these fails the build loudly ("unable to fetch …@0.0.0-not-cached").
  for (const name of frameworkClientLibraries()) {
    if (packages.some((p) => p.startsWith(`${name}@`))) continue;
    const folder = `${name}@${PLACEHOLDER_VERSION}`;
    const file = posix.join(folder, "NOT-CACHED.txt");
    await mkdir(join(npmDir, folder), {recursive: true});
    await writeFile(
      join(npmDir, file),
      `${name} is not in the offline cache: this folder only lets Framework bundle its client offline.\n` +
        `To use ${name} in a page, add it to package.json and to CACHED_LIBRARIES in tools/offline-cache.ts.\n`,
    );
    packages.push(folder);
    copied.push(file);
  }
  packages.sort();
  const files = [...outputs.keys(), ...copied].sort();
  await writeFile(stampPath, JSON.stringify({key, packages, files} satisfies Stamp, null, 2));
  const elapsedMs = performance.now() - start;
  log(`cached ${packages.length} packages (${files.length} files) in ${(elapsedMs / 1000).toFixed(1)} s → ${relative(projectDir, npmDir)}`);
  return {upToDate: false, packages, files, elapsedMs};
}

interface Installed {
  library: CachedLibrary;
  dir: string;
  version: string;
}

/** Finds a library in node_modules and checks its version; throws a message saying what to do. */
function findInstalled(library: CachedLibrary, projectDir: string): Installed {
  const dir = findPackageDir(library.name, projectDir);
  if (!dir) {
    throw new Error(
      `offline-cache: package "${library.name}" is not installed in ${join(projectDir, "node_modules")} ` +
        `(pages need it for ${library.usedBy}). Add it to package.json dependencies and run \`npm ci\`.`,
    );
  }
  const pkg = readPackageJson(dir);
  if (library.requiredVersion && pkg.version !== library.requiredVersion) {
    throw new Error(
      `offline-cache: ${library.name}@${pkg.version} is installed, but Observable Framework requests exactly ` +
        `${library.name}@${library.requiredVersion}. Pin "${library.name}": "${library.requiredVersion}" in package.json and run \`npm ci\`.`,
    );
  }
  return {library, dir, version: pkg.version};
}

/** Locates `node_modules/<name>` by walking up from `fromDir`, like Node does. */
function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

interface PackageJson {
  name?: string;
  version: string;
  type?: string;
  module?: string;
  exports?: unknown;
}

const packageJsonCache = new Map<string, PackageJson>();
function readPackageJson(dir: string): PackageJson {
  let pkg = packageJsonCache.get(dir);
  if (!pkg) packageJsonCache.set(dir, (pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf-8")) as PackageJson));
  return pkg;
}

/** The package folder (`…/node_modules/<name>` or `…/node_modules/@scope/<name>`) holding a file. */
function packageDirOf(file: string): string | undefined {
  const parts = file.split(sep);
  const i = parts.lastIndexOf("node_modules");
  if (i < 0 || i + 1 >= parts.length) return undefined;
  const end = parts[i + 1].startsWith("@") ? i + 3 : i + 2;
  return parts.slice(0, end).join(sep);
}

function packageNameOf(dir: string): string {
  const parts = dir.split(sep);
  const i = parts.lastIndexOf("node_modules");
  return parts.slice(i + 1).join("/");
}

/** Whether a resolved file is an ES module (so it can be shared as its own cache entry). */
function isEsModule(file: string, pkgDir: string): boolean {
  const ext = extname(file);
  if (ext === ".mjs") return true;
  if (ext === ".cjs") return false;
  for (let dir = dirname(file); dir.startsWith(pkgDir); dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (existsSync(path)) {
      const type = (JSON.parse(readFileSync(path, "utf-8")) as {type?: string}).type;
      if (type === "module") return true;
      if (type === "commonjs") break;
    }
    if (dir === pkgDir) break;
  }
  // Packages without "type" that publish an ES build name it in "module".
  return typeof readPackageJson(pkgDir).module === "string";
}

/**
 * Framework's file name for an import sub-path (npm.js resolveNpmImport):
 * "" → "_esm.js"; "dist/foo" → "dist/foo._esm.js"; "dist/foo.js" stays.
 */
export function cacheFileName(subpath: string): string {
  if (subpath === "") return "_esm.js";
  if (extname(subpath)) return subpath;
  return `${subpath}._esm.js`;
}

function splitSpecifier(specifier: string): {name: string; subpath: string} {
  const parts = specifier.split("/");
  const n = specifier.startsWith("@") ? 2 : 1;
  return {name: parts.slice(0, n).join("/"), subpath: parts.slice(n).join("/")};
}

interface Planned {
  packages: string[];
  outputs: Map<string, Uint8Array | string>;
}

/**
 * Bundles each package, following imports of other ES-module packages to
 * decide which further packages (and sub-path entries) are needed. A package
 * is bundled again when another bundle turns out to import a new sub-path of it.
 */
async function planAndBundle(installed: Installed[], log: (message: string) => void): Promise<Planned> {
  const jobs = new Map<string, PackageJob>();
  const jobFor = (dir: string): PackageJob => {
    const pkg = readPackageJson(dir);
    const name = pkg.name ?? packageNameOf(dir);
    const key = `${name}@${pkg.version}`;
    let job = jobs.get(key);
    if (!job) jobs.set(key, (job = {name, version: pkg.version, dir, entries: new Map(), built: false}));
    return job;
  };
  for (const {library, dir} of installed) {
    const job = jobFor(dir);
    for (const subpath of ["", ...(library.subpaths ?? [])]) {
      const file = await resolveEntry(library.name + (subpath ? `/${subpath}` : ""), dir);
      addEntry(job, subpath, file);
    }
  }
  const outputs = new Map<string, Uint8Array | string>();
  for (let pending = [...jobs.values()].filter((j) => !j.built); pending.length; pending = [...jobs.values()].filter((j) => !j.built)) {
    for (const job of pending) {
      const key = `${job.name}@${job.version}`;
      for (const file of [...outputs.keys()]) if (file.startsWith(`${key}/`)) outputs.delete(file);
      const files = await bundlePackage(job, (dir, subpath, file) => {
        const dep = jobFor(dir);
        if (addEntry(dep, subpath, file)) dep.built = false;
        return `${dep.name}@${dep.version}`;
      });
      for (const [file, contents] of files) outputs.set(`${key}/${file}`, contents);
      job.built = true;
    }
  }
  log(`bundled ${jobs.size} packages with esbuild ${esbuildVersion}`);
  return {packages: [...jobs.keys()], outputs};
}

/** Adds an entry to a job; returns whether it was new. */
function addEntry(job: PackageJob, subpath: string, file: string): boolean {
  const name = cacheFileName(subpath);
  if (!name.endsWith(".js")) {
    throw new Error(`offline-cache: cannot cache "${job.name}/${subpath}": only .js sub-paths (or none) are supported`);
  }
  const out = name.slice(0, -".js".length);
  const existing = job.entries.get(out);
  if (existing === file) return false;
  if (existing) throw new Error(`offline-cache: "${job.name}/${subpath}" resolves to both ${existing} and ${file}`);
  job.entries.set(out, file);
  return true;
}

/** Resolves a bare specifier the way esbuild does for the browser, from a package's folder. */
async function resolveEntry(specifier: string, pkgDir: string): Promise<string> {
  let resolved: string | undefined;
  let failure: string | undefined;
  await build({
    stdin: {contents: "", resolveDir: dirname(pkgDir)},
    write: false,
    logLevel: "silent",
    platform: "browser",
    plugins: [
      {
        name: "resolve-entry",
        setup(b) {
          b.onStart(async () => {
            const result = await b.resolve(specifier, {kind: "import-statement", resolveDir: dirname(pkgDir)});
            if (result.errors.length) failure = result.errors.map((e) => e.text).join("; ");
            else resolved = result.path;
          });
        },
      },
    ],
  });
  if (!resolved) throw new Error(`offline-cache: cannot resolve "${specifier}" for the browser: ${failure ?? "no file"}`);
  return resolved;
}

/**
 * Bundles one package (all its entries, code-split) for the browser. Imports
 * of other ES-module packages stay external and are rewritten to relative
 * paths of their cache files; `onExternal` registers them as further work.
 */
async function bundlePackage(
  job: PackageJob,
  onExternal: (dir: string, subpath: string, file: string) => string,
): Promise<Map<string, Uint8Array | string>> {
  const external: Plugin = {
    name: "offline-cache-externals",
    setup(b) {
      b.onResolve({filter: /^[^./]/}, async (args) => {
        if (args.kind === "entry-point" || args.pluginData?.offlineCache) return undefined;
        if (/^[a-z]+:/i.test(args.path) || !(args.kind === "import-statement" || args.kind === "dynamic-import")) return undefined;
        const result = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: {offlineCache: true},
        });
        if (result.errors.length || result.external || result.namespace !== "file" || !result.path) return undefined;
        const depDir = packageDirOf(result.path);
        if (!depDir || depDir === job.dir || !isEsModule(result.path, depDir)) return undefined;
        const {subpath} = splitSpecifier(args.path);
        const key = onExternal(depDir, subpath, result.path);
        return {path: `${MARKER}${key}/${cacheFileName(subpath)}`, external: true};
      });
    },
  };
  const outdir = join("/", "offline-cache", job.name);
  const result = await build({
    entryPoints: Object.fromEntries(job.entries),
    bundle: true,
    splitting: job.entries.size > 1,
    format: "esm",
    platform: "browser",
    target: TARGET,
    minify: true,
    write: false,
    outdir,
    absWorkingDir: job.dir,
    logLevel: "silent",
    legalComments: "none",
    plugins: [external],
  }).catch((error: unknown) => {
    throw new Error(
      `offline-cache: esbuild failed on ${job.name}@${job.version}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const files = new Map<string, Uint8Array | string>();
  for (const output of result.outputFiles) {
    const file = relative(outdir, output.path).split(sep).join("/");
    if (!file.endsWith(".js")) continue; // no source maps, no CSS side files
    const fromDir = posix.dirname(posix.join(`${job.name}@${job.version}`, file));
    const text = output.text.replace(/(["'`])offline-cache-npm:\/([^"'`]+)\1/g, (_, quote: string, target: string) => {
      let path = posix.relative(fromDir, target);
      if (!path.startsWith(".")) path = `./${path}`;
      return `${quote}${path}${quote}`;
    });
    if (text.includes(MARKER)) throw new Error(`offline-cache: unrewritten import left in ${job.name}/${file}`);
    files.set(file, text);
  }
  return files;
}

/** The version of the placeholder folders for Framework client libraries that are not cached. */
export const PLACEHOLDER_VERSION = "0.0.0-not-cached";

/**
 * Package names that Framework's client code imports as `npm:…` (stdlib,
 * recommended libraries, sample data sets). Framework resolves their versions
 * whenever it bundles its client, whether or not a page uses them.
 */
export function frameworkClientLibraries(frameworkDir: string = FRAMEWORK_DIR): string[] {
  const names = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".js")) {
        for (const match of readFileSync(path, "utf-8").matchAll(/["']npm:([^"']+)["']/g)) names.add(splitSpecifier(match[1]).name);
      }
    }
  };
  visit(join(frameworkDir, "dist", "client"));
  return [...names].sort();
}

/** Lists a library's asset files (relative to its folder) matching its `assets` patterns. */
function expandAssets(dir: string, library: CachedLibrary): string[] {
  const files: string[] = [];
  for (const pattern of library.assets ?? []) {
    const folder = posix.dirname(pattern);
    const base = posix.basename(pattern);
    if (!base.includes("*")) {
      if (!existsSync(join(dir, pattern)))
        throw new Error(`offline-cache: ${library.name} has no ${pattern} (needed for ${library.usedBy})`);
      files.push(pattern);
      continue;
    }
    const re = new RegExp(`^${base.split("*").map(escapeRegExp).join("[^/]*")}$`);
    const matches = readdirSync(join(dir, folder))
      .filter((name) => re.test(name))
      .map((name) => posix.join(folder, name));
    if (!matches.length) throw new Error(`offline-cache: ${library.name} has no files matching ${pattern} (needed for ${library.usedBy})`);
    files.push(...matches);
  }
  return files.sort();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The stamp key: changes when installed packages (npm's lock of the installed
 * tree), this script, esbuild or Framework change.
 */
function stampKey(projectDir: string, libraries: readonly CachedLibrary[], installed: Installed[]): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(esbuildVersion);
  hash.update(JSON.stringify(libraries));
  for (const {dir, version} of installed) hash.update(`${dir}@${version}\n`);
  const lock = [join(projectDir, "node_modules", ".package-lock.json"), join(projectDir, "package-lock.json")].find((p) => existsSync(p));
  if (lock) hash.update(readFileSync(lock));
  hash.update(readFileSync(join(projectDir, "node_modules", "@observablehq", "framework", "package.json")));
  return hash.digest("hex");
}

function readStamp(path: string): Stamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(path, "utf-8")) as Partial<Stamp>;
    if (typeof stamp.key === "string" && Array.isArray(stamp.packages) && Array.isArray(stamp.files)) return stamp as Stamp;
  } catch {
    // missing or unreadable: treat as no stamp
  }
  return undefined;
}

function parseArgs(argv: readonly string[]): {root: string; force: boolean} {
  let root = "src";
  let force = false;
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === "--force") force = true;
    else if (arg === "--root") root = argv[++i] ?? "";
    else if (arg.startsWith("--root=")) root = arg.slice("--root=".length);
    else throw new Error(`offline-cache: unknown argument "${arg}" (usage: offline-cache [--root <dir>] [--force])`);
  }
  if (!root) throw new Error("offline-cache: --root needs a folder");
  return {root, force};
}

async function main(): Promise<void> {
  const {root, force} = parseArgs(process.argv.slice(2));
  const result = await fillNpmCache({root: resolve(process.cwd(), root), projectDir: PROJECT_DIR, force});
  if (result.upToDate)
    process.stderr.write(`offline-cache: up to date (${result.packages.length} packages) in ${Math.round(result.elapsedMs)} ms\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
