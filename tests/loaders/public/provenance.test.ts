// Whether the public site's numbers come from the generated sample: every file the warehouse
// was built from must be one the generator made (its SHA-256 in data/sample/manifest.json).
// Checked on the real warehouse against manifests made here: one listing its files, one missing
// a file, none at all.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {withWarehouse} from "../../../loaders/db.ts";
import {warehouseReport} from "../../../loaders/ingest/runs.ts";
import {INGEST_REPORT} from "../../../loaders/paths.ts";
import {isSynthetic, sampleHashes, warehouseIsSynthetic} from "../../../loaders/public/provenance.ts";

let dir: string;
let hashes: string[];
const manifest = (name: string, files: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({generator: "test", files: Object.fromEntries(files.map((h, i) => [`f${i}.csv`, {sha256: h}]))}));
  return path;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "provenance-"));
  // The warehouse's own report; a warehouse written before it kept one falls back to the report file.
  const report = (await withWarehouse((db) => warehouseReport(db))) ?? JSON.parse(readFileSync(INGEST_REPORT, "utf8"));
  hashes = (report.files as {sha256: string}[]).map((f) => f.sha256);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("is synthetic only when there are files and every one is the generator's", () => {
  const made = new Set(["a", "b"]);
  expect(isSynthetic([{sha256: "a"}], made)).toBe(true);
  expect(isSynthetic([{sha256: "a"}, {sha256: "b"}], made)).toBe(true);
  expect(isSynthetic([{sha256: "a"}, {sha256: "real"}], made)).toBe(false);
  expect(isSynthetic([], made)).toBe(false);
  expect(sampleHashes(join(dir, "none.json")).size).toBe(0);
});

it("reads the warehouse's own record of the files it was built from", async () => {
  expect(hashes.length).toBeGreaterThan(0);
  expect(await warehouseIsSynthetic({manifestPath: manifest("all.json", [...hashes, "other"])})).toBe(true);
  expect(await warehouseIsSynthetic({manifestPath: manifest("missing.json", hashes.slice(1))})).toBe(false);
  expect(await warehouseIsSynthetic({manifestPath: join(dir, "no-manifest.json")})).toBe(false);
});
