// tools/trim-site.mjs on a folder shaped like Framework's output: DuckDB-wasm's MVP build goes, the rest stays.
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, expect, it} from "vitest";

let dir = "";
afterEach(() => rmSync(dir, {recursive: true, force: true}));

it("removes the MVP wasm and its hashed worker, keeps the exception-handling build and every other file", () => {
  dir = mkdtempSync(join(tmpdir(), "trim-site-"));
  const duck = join(dir, "_npm", "@duckdb", "duckdb-wasm@1.29.0", "dist");
  mkdirSync(duck, {recursive: true});
  const files = ["duckdb-mvp.wasm", "duckdb-browser-mvp.worker.c85d2c10.js", "duckdb-eh.wasm", "duckdb-browser-eh.worker.32845a78.js"];
  for (const f of files) writeFileSync(join(duck, f), "x");
  writeFileSync(join(dir, "index.html"), "<p>page</p>");
  const out = execFileSync(process.execPath, ["tools/trim-site.mjs", dir], {encoding: "utf8", stdio: ["ignore", "pipe", "pipe"]});
  expect(out).toBe("");
  expect(readdirSync(duck).sort()).toEqual(["duckdb-browser-eh.worker.32845a78.js", "duckdb-eh.wasm"]);
  expect(existsSync(join(dir, "index.html"))).toBe(true);
});

it("leaves a site without DuckDB-wasm alone", () => {
  dir = mkdtempSync(join(tmpdir(), "trim-site-"));
  writeFileSync(join(dir, "index.html"), "<p>page</p>");
  execFileSync(process.execPath, ["tools/trim-site.mjs", dir]);
  expect(readdirSync(dir)).toEqual(["index.html"]);
});
