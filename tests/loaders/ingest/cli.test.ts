// The real `workbench ingest` command in a child process (node --import tsx
// loaders/cli.ts, from the project root) on cases of the bad-extract corpus:
// exit codes, messages on stderr only, no value echoed, and the report written.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {spawn} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import type {IngestReport} from "../../../loaders/ingest/ingest.ts";
import type {Expected} from "../../fixtures/make-bad-extracts.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CORPUS = join(ROOT, "tests/fixtures/bad-extracts");

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-cli-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  db: string;
  report: string;
  expected: Expected;
}

/** Runs `workbench ingest` on a corpus case with a warehouse and report in a temporary folder. */
function ingestCase(name: string): Promise<Run> {
  const expected = JSON.parse(readFileSync(join(CORPUS, name, "expected.json"), "utf8")) as Expected;
  const db = join(work, name, "warehouse.duckdb");
  const report = join(work, name, "report.json");
  const args = [
    "--import",
    "tsx",
    "loaders/cli.ts",
    "ingest",
    "--extract",
    ...expected.files.map((f) => join(CORPUS, name, f)),
    "--dictionary",
    expected.dictionary ? join(CORPUS, name, expected.dictionary) : "data/dictionary.yaml",
    "--db",
    db,
    "--report",
    report,
    ...(expected.encoding ? ["--encoding", expected.encoding] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {cwd: ROOT, stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({code, stdout, stderr, db, report, expected}));
  });
}

describe("workbench ingest", () => {
  it("refuses an extract with NHS numbers: exit code 2, stderr names the column and kind, never a value, no warehouse", async () => {
    const r = await ingestCase("identifier-nhs-numbers");
    expect(r.code).toBe(2);
    expect(r.expected.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('column "ref_number"');
    expect(r.stderr).toContain("nhs number");
    expect(r.stderr).toContain("contacts.csv");
    const planted = r.expected.secrets.filter((s) => /^\d{3} ?\d{3} ?\d{4}$/.test(s));
    expect(planted.length).toBe(10);
    for (const s of [...planted, ...planted.map((p) => p.replace(/ /g, ""))])
      expect(r.stderr.includes(s), "a planted NHS number is echoed").toBe(false);
    expect(r.expected.secrets.filter((s) => r.stderr.includes(s))).toEqual([]);
    expect(existsSync(r.db)).toBe(false);
    const rep = JSON.parse(readFileSync(r.report, "utf8")) as IngestReport;
    expect(rep.refusal?.findings.map((f) => [f.column, f.kind])).toEqual([["ref_number", "nhs_number"]]);
  }, 60_000);

  it("ingests a clean extract: exit code 0, the report written with the counts, a summary on stderr", async () => {
    const r = await ingestCase("utf8-bom");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const rep = JSON.parse(readFileSync(r.report, "utf8")) as IngestReport;
    const c = r.expected.counts!;
    expect({read: rep.read, accepted: rep.accepted, rejected: rep.rejected}).toEqual({
      read: c.read,
      accepted: c.accepted,
      rejected: c.rejected,
    });
    expect(rep.refusal).toBeNull();
    expect(existsSync(r.db)).toBe(true);
    expect(r.stderr).toContain(`${c.read} rows read = ${c.accepted} accepted + ${c.rejected} rejected`);
    expect(r.expected.secrets.filter((s) => r.stderr.includes(s))).toEqual([]);
  }, 60_000);

  it("refuses an empty file: exit code 1, the file named", async () => {
    const r = await ingestCase("empty-file");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/refused contacts\.csv: the file is empty/);
    expect(existsSync(r.db)).toBe(false);
  }, 60_000);
});
