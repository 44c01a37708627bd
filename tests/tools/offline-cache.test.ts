import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, posix} from "node:path";
import {pathToFileURL} from "node:url";
import {afterAll, describe, expect, it, vi} from "vitest";
import {CACHED_LIBRARIES, PLACEHOLDER_VERSION, cacheFileName, fillNpmCache, frameworkDuckDBWasmVersion} from "../../tools/offline-cache.ts";
import {clearStaleLoaderCache, fingerprintFiles} from "../../loaders/page-cache.ts";

const PROJECT_DIR = join(import.meta.dirname, "..", "..");
const FRAMEWORK_DIST = join(PROJECT_DIR, "node_modules", "@observablehq", "framework", "dist");
const quiet = (): void => {};

const scratch: string[] = [];
function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), "offline-cache-"));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, {recursive: true, force: true});
});

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(PROJECT_DIR, "node_modules", name, "package.json"), "utf-8")) as {version: string}).version;
}

describe("cacheFileName", () => {
  it("names files the way Framework's resolveNpmImport does", () => {
    expect(cacheFileName("")).toBe("_esm.js");
    expect(cacheFileName("dist/shared")).toBe("dist/shared._esm.js");
    expect(cacheFileName("dist/duckdb-mvp.wasm")).toBe("dist/duckdb-mvp.wasm");
    expect(cacheFileName("esm/parquet_wasm.js")).toBe("esm/parquet_wasm.js");
  });
});

describe("fillNpmCache", () => {
  it("bundles installed packages into <name>@<installed version>/_esm.js and is idempotent", async () => {
    const root = tempRoot();
    const libraries = [
      {name: "d3-dsv", usedBy: "test"},
      {name: "htl", usedBy: "test"},
    ];
    const first = await fillNpmCache({root, libraries, log: quiet});
    expect(first.upToDate).toBe(false);
    const npm = join(root, ".observablehq", "cache", "_npm");
    const dsv = join(npm, `d3-dsv@${installedVersion("d3-dsv")}`, "_esm.js");
    expect(readFileSync(dsv, "utf-8")).toMatch(/export\s*\{/);
    expect(existsSync(join(npm, `htl@${installedVersion("htl")}`, "_esm.js"))).toBe(true);
    // optional client libraries get a version folder so Framework needs no registry look-up
    expect(existsSync(join(npm, `react-dom@${PLACEHOLDER_VERSION}`))).toBe(true);

    const second = await fillNpmCache({root, libraries, log: quiet});
    expect(second.upToDate).toBe(true);
    expect(second.elapsedMs).toBeLessThan(500);

    rmSync(dsv);
    const third = await fillNpmCache({root, libraries, log: quiet});
    expect(third.upToDate).toBe(false);
    expect(existsSync(dsv)).toBe(true);
  });

  it("keeps a shared dependency as one module imported by relative path", async () => {
    const root = tempRoot();
    const libraries = [{name: "@duckdb/duckdb-wasm", usedBy: "test"}];
    await fillNpmCache({root, libraries, log: quiet});
    const npm = join(root, ".observablehq", "cache", "_npm");
    const arrow = `apache-arrow@${installedVersion("apache-arrow")}`;
    const duckdb = readFileSync(join(npm, `@duckdb/duckdb-wasm@${installedVersion("@duckdb/duckdb-wasm")}`, "_esm.js"), "utf-8");
    expect(duckdb).toContain(`"../../${arrow}/_esm.js"`);
    expect(existsSync(join(npm, arrow, "_esm.js"))).toBe(true);
  });

  it("fails loudly when a package is missing or has the wrong version", async () => {
    const root = tempRoot();
    await expect(fillNpmCache({root, libraries: [{name: "no-such-package-here", usedBy: "a test"}], log: quiet})).rejects.toThrow(
      /package "no-such-package-here" is not installed .*npm ci/,
    );
    await expect(fillNpmCache({root, libraries: [{name: "htl", usedBy: "a test", requiredVersion: "0.0.1"}], log: quiet})).rejects.toThrow(
      /requests exactly htl@0\.0\.1/,
    );
  });

  it("pins DuckDB-wasm to the version Framework hard-codes", () => {
    expect(installedVersion("@duckdb/duckdb-wasm")).toBe(frameworkDuckDBWasmVersion());
  });
});

// Framework's own resolver, run on the project's real cache: every file it
// would request for the workbench's libraries (and everything those files
// import) must exist, so `observable build` never fetches. fetch is stubbed
// to throw, so a cache miss that leads to a download fails this test.
describe("the project cache answers every request Framework makes", () => {
  type Import = {name: string; type: "local" | "global"; method: string};
  interface Framework {
    resolveNpmImport(root: string, specifier: string): Promise<string>;
    parseImports(root: string, path: string): Promise<Import[]>;
    builtins: Map<string, string>;
    getImplicitInputImports(inputs: Iterable<string>): Set<string>;
    getImplicitFileImports(methods: Iterable<string>): Set<string>;
    getImplicitDependencies(imports: Iterable<string>): Set<string>;
    getImplicitDownloads(imports: Iterable<string>, duckdb: unknown): Set<string>;
  }
  const load = async (file: string): Promise<Record<string, unknown>> =>
    (await import(pathToFileURL(join(FRAMEWORK_DIST, file)).href)) as Record<string, unknown>;

  it("resolves implicit imports, downloads and their imports to cached files", {timeout: 180_000}, async () => {
    const root = join(PROJECT_DIR, "src");
    await fillNpmCache({root, log: quiet});
    const framework = {
      ...(await load("npm.js")),
      ...(await load("javascript/imports.js")),
      ...(await load("resolvers.js")),
      ...(await load("libraries.js")),
    } as unknown as Framework;
    vi.stubGlobal("fetch", () => Promise.reject(new Error("test: Framework tried to fetch")));
    const warn = vi.spyOn(console, "warn");
    try {
      const imports = new Set<string>([
        ...framework.getImplicitInputImports([
          "Plot",
          "d3",
          "Inputs",
          "htl",
          "html",
          "svg",
          "aq",
          "Arrow",
          "duckdb",
          "DuckDBClient",
          "sql",
        ]),
        ...framework.getImplicitFileImports(["csv", "tsv", "arrow", "arquero", "arquero-parquet", "parquet"]),
        "npm:htl", // Inputs (bundled into Framework's stdlib) imports it
        "npm:@tensorflow/tfjs",
        "npm:@tensorflow/tfjs-backend-wasm",
        ...CACHED_LIBRARIES.flatMap((library) =>
          (library.assets ?? []).filter((asset) => !asset.includes("*")).map((asset) => `npm:${library.name}/${asset}`),
        ),
      ]);
      for (const i of framework.getImplicitDependencies(imports)) imports.add(i);
      for (const i of framework.getImplicitDownloads(imports, {extensions: {}, platforms: {mvp: true, eh: true}})) imports.add(i);
      for (const wasm of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
        imports.add(`npm:@tensorflow/tfjs-backend-wasm/dist/${wasm}`);
      }
      const paths = new Set<string>();
      for (const i of imports) {
        if (framework.builtins.has(i) || !i.startsWith("npm:")) continue;
        paths.add(await framework.resolveNpmImport(root, i.slice("npm:".length)));
      }
      const cache = join(root, ".observablehq", "cache");
      const missing: string[] = [];
      for (const path of paths) {
        if (!existsSync(join(cache, path))) missing.push(path);
        for (const i of await framework.parseImports(cache, path)) {
          if (i.type === "local") paths.add(posix.join(posix.dirname(path), i.name));
          else if (!/^(npm|observablehq):/.test(i.name)) missing.push(`${path} imports unresolved "${i.name}"`);
        }
      }
      expect(missing).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      // the versions Framework picks are the installed ones
      expect([...paths]).toContain(`/_npm/@observablehq/plot@${installedVersion("@observablehq/plot")}/_esm.js`);
      expect([...paths]).toContain(`/_npm/@duckdb/duckdb-wasm@${frameworkDuckDBWasmVersion()}/dist/duckdb-eh.wasm`);
      expect([...paths]).toContain(`/_npm/@tensorflow/tfjs-core@${installedVersion("@tensorflow/tfjs-core")}/_esm.js`);
    } finally {
      vi.unstubAllGlobals();
      warn.mockRestore();
    }
  });
});

describe("clearStaleLoaderCache", () => {
  it("removes cached loader outputs when the inputs fingerprint changes, and only then", async () => {
    const projectDir = tempRoot();
    const cache = join(projectDir, "src", ".observablehq", "cache");
    const seed = (): void => {
      mkdirSync(join(cache, "data"), {recursive: true});
      mkdirSync(join(cache, "_npm", "htl@1.0.0"), {recursive: true});
      writeFileSync(join(cache, "data", "contacts.parquet"), "old");
      writeFileSync(join(cache, ".offline-cache.json"), "{}");
    };
    seed();
    expect(await clearStaleLoaderCache("a", {projectDir})).toEqual({cleared: true, removed: ["data"]});
    expect(existsSync(join(cache, "_npm", "htl@1.0.0"))).toBe(true);
    expect(existsSync(join(cache, ".offline-cache.json"))).toBe(true);

    seed();
    expect(await clearStaleLoaderCache("a", {projectDir})).toEqual({cleared: false, removed: []});
    expect(existsSync(join(cache, "data", "contacts.parquet"))).toBe(true);

    expect(await clearStaleLoaderCache("b", {projectDir})).toEqual({cleared: true, removed: ["data"]});
    expect(existsSync(join(cache, "data"))).toBe(false);
  });
});

describe("fingerprintFiles", () => {
  it("changes when a file under the given paths changes, appears or disappears", async () => {
    const projectDir = tempRoot();
    mkdirSync(join(projectDir, "data", "processed"), {recursive: true});
    writeFileSync(join(projectDir, "data", "manifest.json"), "{}");
    const paths = ["data/manifest.json", "data/processed"];
    const a = await fingerprintFiles(paths, projectDir);
    expect(await fingerprintFiles(paths, projectDir)).toBe(a);
    writeFileSync(join(projectDir, "data", "processed", "warehouse.duckdb"), "x");
    const b = await fingerprintFiles(paths, projectDir);
    expect(b).not.toBe(a);
    utimesSync(join(projectDir, "data", "processed", "warehouse.duckdb"), 1, 1);
    expect(await fingerprintFiles(paths, projectDir)).not.toBe(b);
    rmSync(join(projectDir, "data", "manifest.json"));
    expect(await fingerprintFiles(paths, projectDir)).not.toBe(a);
  });
});
