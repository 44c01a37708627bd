// The report at --report always describes the last run (issue 19, item 4): an accepted ingest, then a
// refused one with the same --report and --db, for each kind of refusal (encoding, header, empty file,
// missing required column: exit 1; identifiers: exit 2). The report then says refused, why (the
// message the command prints) and when, names the files and dictionary, and holds no value from the
// data; the warehouse is still the accepted one and carries that ingest's report, which the Data
// quality page shows under the refusal; prepare sees the warehouse as stale. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {spawn} from "node:child_process";
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {ingest, type IngestReport} from "../../../loaders/ingest/ingest.ts";
import {FAILED, refusalOf, reportStatus, writeReport} from "../../../loaders/ingest/report.ts";
import {warehouseReport} from "../../../loaders/ingest/runs.ts";
import {queryRows, withDuckDB, withWarehouse} from "../../../loaders/db.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {qualityData} from "../../../loaders/pages/quality.ts";
import {warehouseIsCurrent} from "../../../loaders/cli/prepare.ts";
import type {Expected} from "../../fixtures/make-bad-extracts.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CORPUS = join(ROOT, "tests/fixtures/bad-extracts");
const DICTIONARY = join(ROOT, "data/dictionary.yaml");
/** The accepted run before each refusal: a clean extract of the corpus. */
const ACCEPTED = "utf8-bom";

const expectedOf = (name: string): Expected => JSON.parse(readFileSync(join(CORPUS, name, "expected.json"), "utf8"));
const filesOf = (name: string) => expectedOf(name).files.map((f) => join(CORPUS, name, f));
/** A round trip through JSON, as the report file holds it. */
const asJson = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const readReport = (path: string) => JSON.parse(readFileSync(path, "utf8")) as IngestReport;

const CASES = [
  {
    kind: "an undeclared encoding",
    name: "windows-1252-undeclared",
    exitCode: 1,
    reason: /^the file is not valid UTF-8 and no other encoding was declared/,
  },
  {kind: "a duplicated header", name: "duplicated-header", exitCode: 1, reason: /^header names "District" twice \(columns \d+ and \d+\)/},
  {kind: "an empty file", name: "empty-file", exitCode: 1, reason: /^the file is empty \(not even a header row\)$/},
  {
    kind: "a missing required column",
    name: "missing-required-column",
    exitCode: 1,
    reason: /^required column missing from the header: contact_datetime$/,
  },
  {kind: "NHS numbers", name: "identifier-nhs-numbers", exitCode: 2, reason: /^direct identifiers$/},
] as const;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-refusal-report-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** An accepted ingest of the clean case into `dir` (warehouse.duckdb, report.json). */
async function acceptedInto(dir: string) {
  mkdirSync(dir, {recursive: true});
  const paths = {db: join(dir, "warehouse.duckdb"), report: join(dir, "report.json")};
  const accepted = await ingest({files: filesOf(ACCEPTED), dictionary: DICTIONARY, ...paths});
  return {...paths, accepted: asJson(accepted)};
}

describe.each(CASES)("after an accepted ingest, a refusal for $kind ($name)", ({name, exitCode, reason}) => {
  const e = expectedOf(name);
  let run: Awaited<ReturnType<typeof acceptedInto>>;
  let error: unknown;
  let report: IngestReport;
  let text: string;
  let currentBefore: boolean;

  beforeAll(async () => {
    run = await acceptedInto(join(work, name));
    currentBefore = warehouseIsCurrent(filesOf(ACCEPTED), run.report, run.db, DICTIONARY);
    error = await ingest({files: filesOf(name), dictionary: DICTIONARY, db: run.db, report: run.report, encoding: e.encoding}).then(
      () => null,
      (x: unknown) => x,
    );
    text = readFileSync(run.report, "utf8");
    report = JSON.parse(text);
  }, 60_000);

  it("is refused with the expected exit code", () => {
    expect(run.accepted.status).toBe("accepted");
    expect(refusalOf(error)?.exitCode).toBe(exitCode);
    expect(e.exitCode).toBe(exitCode);
  });

  it("replaces the report: refused, the rule in the words the command prints, nothing counted", () => {
    expect(report.status).toBe("refused");
    expect(reportStatus(report)).toBe("refused");
    expect(report.refusal!.reason).toMatch(reason);
    expect(report.refusal!.message).toBe(refusalOf(error)!.message);
    for (const part of e.refused!.messageIncludes) expect(report.refusal!.message).toContain(part);
    expect(report.refusal!.exitCode).toBe(exitCode);
    expect(report.refusal!.file).toBe(exitCode === 1 ? "contacts.csv" : null);
    expect(report.refusal!.findings.map((f) => [f.column, f.kind])).toEqual(exitCode === 2 ? [["ref_number", "nhs_number"]] : []);
    expect({
      read: report.read,
      accepted: report.accepted,
      rejected: report.rejected,
      files: report.files,
      ingestId: report.ingestId,
    }).toEqual({
      read: 0,
      accepted: 0,
      rejected: 0,
      files: [],
      ingestId: "",
    });
    expect(run.accepted.accepted).toBeGreaterThan(0);
  });

  it("says when, with which files and which dictionary", () => {
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    expect(report.startedAt).toMatch(iso);
    expect(report.finishedAt).toMatch(iso);
    expect(report.startedAt >= run.accepted.finishedAt).toBe(true);
    expect(report.finishedAt >= report.startedAt).toBe(true);
    expect(report.refusal!.files).toEqual(e.files);
    expect(report.dictionary).toEqual(run.accepted.dictionary);
  });

  it("holds no value from either extract", () => {
    const secrets = [...e.secrets, ...expectedOf(ACCEPTED).secrets];
    expect(secrets.length).toBeGreaterThan(90);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
  });

  it("leaves the accepted warehouse as it was, carrying that ingest's report, and nothing else beside it", async () => {
    const [meta, contacts, kept] = await withWarehouse(
      async (db) => [
        await queryRows(db, "SELECT ingest_id FROM meta"),
        await queryRows(db, "SELECT count(*) AS n FROM contacts"),
        await warehouseReport(db),
      ],
      run.db,
    );
    expect(meta).toEqual([{ingest_id: run.accepted.ingestId}]);
    expect(contacts).toEqual([{n: run.accepted.accepted}]);
    expect(kept).toEqual(run.accepted);
    expect(readdirSync(join(work, name)).sort()).toEqual(["report.json", "warehouse.duckdb"]);
  });

  it("makes prepare ingest again", () => {
    expect(currentBefore).toBe(true);
    expect(warehouseIsCurrent(filesOf(ACCEPTED), run.report, run.db, DICTIONARY)).toBe(false);
  });

  it("shows on the Data quality page as the last run, over the warehouse's own accounting", async () => {
    const q = await qualityData(loadDictionary(DICTIONARY), run.report, run.db);
    expect(q.lastRun).toEqual({
      status: "refused",
      reason: report.refusal!.reason,
      message: report.refusal!.message,
      at: report.finishedAt,
      files: e.files,
    });
    expect(q.report).toEqual(run.accepted);
    expect(q.runs.map((r) => r.ingest_id)).toEqual([run.accepted.ingestId]);
  });
});

describe("a run that fails for another reason than a refusal", () => {
  it("still replaces the report: failed, without the error's own message, and the warehouse stays", async () => {
    const run = await acceptedInto(join(work, "failed"));
    const broken = join(work, "failed", "dictionary.yaml");
    writeFileSync(broken, "variables: [unclosed\n");
    const error = await ingest({files: filesOf(ACCEPTED), dictionary: broken, db: run.db, report: run.report}).then(
      () => null,
      (x: unknown) => x,
    );
    expect(error).toBeInstanceOf(Error);
    expect(refusalOf(error)).toBeNull();
    const report = readReport(run.report);
    expect(report.status).toBe("failed");
    expect(report.refusal).toMatchObject({reason: FAILED, message: FAILED, exitCode: 1, file: null, files: ["contacts.csv"]});
    expect(report.dictionary).toEqual({path: broken, version: "", sha256: ""});
    expect(report.accepted).toBe(0);
    const [meta] = await withWarehouse((db) => queryRows(db, "SELECT ingest_id FROM meta"), run.db);
    expect(meta.ingest_id).toBe(run.accepted.ingestId);
  }, 60_000);
});

describe("reading reports", () => {
  it("a report written before status existed is accepted unless it holds a refusal", () => {
    expect(reportStatus({refusal: null})).toBe("accepted");
    expect(reportStatus({refusal: {reason: "direct identifiers", message: "", exitCode: 2, file: null, files: [], findings: []}})).toBe(
      "refused",
    );
    expect(reportStatus({status: "failed", refusal: null})).toBe("failed");
  });

  it("a warehouse written before ingest_report existed has no report of its own", async () => {
    const old = join(work, "old.duckdb");
    await withDuckDB((db) => db.run("CREATE TABLE meta AS SELECT 'x' AS ingest_id"), old);
    expect(await withWarehouse(warehouseReport, old)).toBeNull();
  });

  it("writeReport writes whole files only: into a new folder, with no temporary file left", () => {
    const path = join(work, "new", "folder", "report.json");
    const report = {status: "accepted", refusal: null} as unknown as IngestReport;
    writeReport(path, report);
    writeReport(path, {...report, status: "refused"});
    expect(readReport(path).status).toBe("refused");
    expect(readdirSync(join(work, "new", "folder"))).toEqual(["report.json"]);
  });
});

/** Runs `workbench ingest` (node --import tsx loaders/cli.ts) on a corpus case into an existing warehouse and report. */
function cli(name: string, db: string, report: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  const args = [
    "--import",
    "tsx",
    "loaders/cli.ts",
    "ingest",
    "--extract",
    ...filesOf(name),
    "--dictionary",
    DICTIONARY,
    "--db",
    db,
    "--report",
    report,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {cwd: ROOT, stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({code, stdout, stderr}));
  });
}

describe("workbench ingest", () => {
  it.each([
    ["missing-required-column", 1],
    ["identifier-nhs-numbers", 2],
  ] as const)(
    "refusing %s (exit %i) prints the message the report records",
    async (name, code) => {
      const run = await acceptedInto(join(work, `cli-${name}`));
      const r = await cli(name, run.db, run.report);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout).toBe("");
      const report = readReport(run.report);
      expect(report.status).toBe("refused");
      expect(r.stderr).toContain(`workbench ingest: ${report.refusal!.message}\n`);
      expect(expectedOf(name).secrets.filter((s) => r.stderr.includes(s) || JSON.stringify(report).includes(s))).toEqual([]);
    },
    60_000,
  );
});
