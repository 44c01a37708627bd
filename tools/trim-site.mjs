#!/usr/bin/env node
// Runs after `npm run build` (npm's postbuild): removes DuckDB-wasm's MVP build from the internal site.
// Framework 1.13 always copies both of DuckDB-wasm's builds (35.7 MB with WebAssembly exceptions,
// 40.6 MB without); every browser since 2022 (Chrome/Edge 95, Firefox 100, Safari 15.2) loads the
// first, so the second only made the site larger. A browser without WebAssembly exceptions gets
// Explore's "The database did not load" message instead of its SQL box; every other page works.
//
// Plain JavaScript on purpose: no tsx needed.
import {existsSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";

const npm = join(process.argv[2] ?? "dist", "_npm", "@duckdb");
const removed = [];
if (existsSync(npm))
  for (const name of readdirSync(npm, {withFileTypes: true}).filter((d) => d.name.startsWith("duckdb-wasm@"))) {
    // The MVP wasm and its worker (Framework names the worker with a content hash).
    const dist = join(npm, name.name, "dist");
    for (const file of readdirSync(dist).filter((f) => /^duckdb(-browser)?-mvp\./.test(f))) {
      rmSync(join(dist, file));
      removed.push(file);
    }
  }
if (removed.length)
  process.stderr.write(
    `trim-site: removed DuckDB-wasm's MVP build (${removed.length} files); browsers with WebAssembly exceptions load the other\n`,
  );
