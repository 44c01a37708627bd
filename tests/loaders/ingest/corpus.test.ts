// Ingest on the corpus of bad extracts (tests/fixtures/bad-extracts, written by
// tests/fixtures/make-bad-extracts.ts): every case's outcome against its
// expected.json, and for every ingested case the accounting invariant, the
// warehouse against the report, the rejects table's shape, and that no planted
// identifier or free-text value is echoed anywhere. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {ingest, IdentifierRefusal, type IngestReport} from "../../../loaders/ingest/ingest.ts";
import {RefusedFile} from "../../../loaders/ingest/encoding.ts";
import {RULES} from "../../../loaders/ingest/validate.ts";
import {queryRows, withDuckDB, type Row} from "../../../loaders/db.ts";
import {ident, literal} from "../../../loaders/sql.ts";
import type {Expected} from "../../fixtures/make-bad-extracts.ts";

const CORPUS = fileURLToPath(new URL("../../fixtures/bad-extracts/", import.meta.url));
const DICTIONARY = fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url));
const cases = readdirSync(CORPUS, {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const expectedOf = (name: string): Expected => JSON.parse(readFileSync(join(CORPUS, name, "expected.json"), "utf8"));

/** Parallel ingests (each opens its own DuckDB, which uses every core): CI machines have two. */
const PARALLEL = Number(process.env.INGEST_TEST_PARALLEL ?? 2);
/** Every case's ingest, started once for the whole file. */
const outcomes = new Map<string, Promise<Outcome>>();
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-corpus-"));
  const queue = [...cases];
  const settle = new Map<string, (o: Outcome) => void>();
  for (const c of cases) outcomes.set(c, new Promise((resolve) => settle.set(c, resolve)));
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) settle.get(c)!(await run(c, expectedOf(c)));
  };
  for (let k = 0; k < PARALLEL; k++) void worker();
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

interface Outcome {
  report?: IngestReport;
  error?: unknown;
  db: string;
  reportPath: string;
}

/** Ingests a case into `out` (warehouse.duckdb, report.json there); never throws, returns the error instead. */
async function run(name: string, e: Expected, out = join(work, name)): Promise<Outcome> {
  const db = join(out, "warehouse.duckdb");
  const reportPath = join(out, "report.json");
  const dir = join(CORPUS, name);
  try {
    const report = await ingest({
      files: e.files.map((f) => join(dir, f)),
      dictionary: e.dictionary ? join(dir, e.dictionary) : DICTIONARY,
      db,
      report: reportPath,
      encoding: e.encoding,
    });
    return {report, db, reportPath};
  } catch (error) {
    return {error, db, reportPath};
  }
}

/** Files ingest left beside the warehouse other than the warehouse and the report (temporary copies, half-built databases). */
const leftovers = (out: Outcome) => readdirSync(dirname(out.db)).filter((f) => f !== basename(out.db) && f !== basename(out.reportPath));
/** Every planted value found in `text` (should be none). */
const leaked = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));
const byKey = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * Product bugs in loaders/ingest found by this corpus: the named checks of these
 * cases are expected to fail (it.fails) until the bug is fixed; then vitest
 * reports them as unexpectedly passing and the entry must go.
 */
const KNOWN_BUGS: Record<string, {checks: string[]; bug: string}> = {};

/** An it() for one check of a case: it.fails when the case's check is a known bug. */
function check(name: string, key: string, title: string, fn: () => unknown): void {
  const bug = KNOWN_BUGS[name]?.checks.includes(key) ? KNOWN_BUGS[name].bug : null;
  if (bug) it.fails(`${title} — known bug: ${bug}`, fn);
  else it(title, fn);
}

describe("the corpus", () => {
  it("holds at least 18 cases, each with an expected.json naming files that exist; known bugs name real cases", () => {
    for (const name of Object.keys(KNOWN_BUGS)) expect(cases).toContain(name); // none open at the moment
    expect(cases.length).toBeGreaterThanOrEqual(18);
    for (const name of cases) {
      const e = expectedOf(name);
      expect(e.case).toBe(name);
      for (const f of e.files) expect(existsSync(join(CORPUS, name, f)), `${name}/${f}`).toBe(true);
      expect(e.exitCode === 0, name).toBe(e.refused === null);
    }
  });

  it("covers refusals for files, refusals for identifiers and every validation rule", () => {
    const all = cases.map(expectedOf);
    expect(all.filter((e) => e.exitCode === 1).length).toBeGreaterThanOrEqual(4);
    expect(new Set(all.flatMap((e) => e.refused?.findings?.map((f) => f.kind) ?? []))).toEqual(
      new Set(["person_name", "nhs_number", "postcode", "email", "phone", "date_of_birth"]),
    );
    expect(new Set(all.flatMap((e) => Object.keys(e.counts?.rejectedByRule ?? {})))).toEqual(new Set(RULES));
  });
});

describe.each(cases)("%s", (name) => {
  const e = expectedOf(name);
  let out: Outcome;
  beforeAll(async () => {
    out = await outcomes.get(name)!;
  }, 60_000);

  if (e.refused) {
    const refused = e.refused;
    it(`is refused (${refused.error}, exit code ${e.exitCode}) and leaves no warehouse`, () => {
      expect(out.report).toBeUndefined();
      const cls = refused.error === "RefusedFile" ? RefusedFile : IdentifierRefusal;
      expect(out.error).toBeInstanceOf(cls);
      expect(e.exitCode).toBe(refused.error === "RefusedFile" ? 1 : 2);
      const message = (out.error as Error).message;
      for (const part of refused.messageIncludes) expect(message).toContain(part);
      expect(existsSync(out.db)).toBe(false);
      expect(leftovers(out)).toEqual([]);
    });
    if (refused.findings) {
      it("names exactly the planted columns and kinds, in the error and in the refusal report", () => {
        const err = out.error as IdentifierRefusal;
        const strip = (fs: {column: string; kind: string; by: string; count: number}[]) =>
          byKey(fs.map(({column, kind, by, count}) => ({column, kind, by, count})));
        expect(strip(err.findings)).toEqual(strip(refused.findings!));
        const rep = JSON.parse(readFileSync(out.reportPath, "utf8")) as IngestReport;
        expect(rep.refusal?.reason).toBe("direct identifiers");
        expect(strip(rep.refusal!.findings)).toEqual(strip(refused.findings!));
        expect(rep.read).toBe(0);
      });
    }
    it("echoes no planted value in the error or the report", () => {
      const message = out.error instanceof Error ? `${out.error.message}\n${out.error.stack ?? ""}` : String(out.error);
      expect(leaked(message, e.secrets)).toEqual([]);
      if (existsSync(out.reportPath)) expect(leaked(readFileSync(out.reportPath, "utf8"), e.secrets)).toEqual([]);
    });
    return;
  }

  check(name, "counts", "is ingested with the expected counts", () => {
    if (out.error) throw out.error;
    const r = out.report!;
    expect({read: r.read, accepted: r.accepted, rejected: r.rejected, duplicates: r.duplicates, rejectedByRule: r.rejectedByRule}).toEqual(
      e.counts,
    );
    expect(r.files.length).toBe(e.perFile!.length);
    e.perFile!.forEach((f, i) => expect(r.files[i]).toMatchObject(f));
    expect(r.refusal).toBeNull();
  });

  check(name, "accounting", "accounts for every row: read = accepted + rejected + duplicates, in total and per file", () => {
    if (out.error) throw out.error;
    const r = out.report!;
    expect(r.accepted + r.rejected + r.duplicates.total).toBe(r.read);
    expect(r.duplicates.exactCopies + r.duplicates.superseded).toBe(r.duplicates.total);
    for (const f of r.files) expect(f.accepted + f.rejected + f.duplicates, f.file).toBe(f.read);
    for (const k of ["read", "accepted", "rejected"] as const)
      expect(
        r.files.reduce((a, f) => a + f[k], 0),
        k,
      ).toBe(r[k]);
    expect(r.files.reduce((a, f) => a + f.duplicates, 0)).toBe(r.duplicates.total);
  });

  check(name, "report file", "writes the report file it returns", () => {
    if (out.error) throw out.error;
    expect(JSON.parse(readFileSync(out.reportPath, "utf8"))).toEqual(JSON.parse(JSON.stringify(out.report)));
  });

  check(name, "codes", "reports the expected mapped and unknown spellings", () => {
    if (out.error) throw out.error;
    const r = out.report!;
    expect(byKey(r.mappedCodes.map((m) => ({...m, n: Number(m.n)})))).toEqual(byKey(e.mappedCodes ?? []));
    expect(byKey(r.unknownCodes.map((u) => ({...u, n: Number(u.n)})))).toEqual(byKey(e.unknownCodes ?? []));
  });

  const inWarehouse = (fn: (db: Parameters<Parameters<typeof withDuckDB>[0]>[0], r: IngestReport) => Promise<void>) => async () => {
    if (out.error) throw out.error;
    await withDuckDB((db) => fn(db, out.report!), out.db);
  };

  check(
    name,
    "warehouse",
    "holds as many contacts as were accepted, and the run in ingest_runs and ingest_files",
    inWarehouse(async (db, r) => {
      const [{n}] = await queryRows(db, "SELECT count(*) AS n FROM contacts");
      expect(n).toBe(r.accepted);
      const files = await queryRows(db, `SELECT file, "read", accepted, rejected, duplicates FROM ingest_files`);
      expect(files).toEqual(r.files.map(({file, read, accepted, rejected, duplicates}) => ({file, read, accepted, rejected, duplicates})));
      const runs = await queryRows(db, `SELECT ingest_id, "read", accepted FROM ingest_runs`);
      expect(runs).toEqual([{ingest_id: r.ingestId, read: r.read, accepted: r.accepted}]);
      expect(leftovers(out)).toEqual([]);
    }),
  );

  check(
    name,
    "rejects shape",
    "gives every reject a file, row, rule and detail, and counts them as the report does",
    inWarehouse(async (db, r) => {
      const rejects = await queryRows(db, `SELECT file, "row", "column", rule, detail FROM rejects`);
      for (const x of rejects) {
        expect(e.files).toContain(x.file);
        expect(Number.isInteger(x.row) && (x.row as number) >= 2, `row ${x.row}`).toBe(true);
        expect(RULES as readonly unknown[]).toContain(x.rule);
        expect(typeof x.detail === "string" && x.detail.trim().length > 0, `detail of ${JSON.stringify(x)}`).toBe(true);
        if (x.rule !== "row_shape") expect(typeof x.column === "string" && x.column !== "", `column of ${JSON.stringify(x)}`).toBe(true);
      }
      const byRule: Record<string, number> = {};
      for (const rule of new Set(rejects.map((x) => String(x.rule))))
        byRule[rule] = new Set(rejects.filter((x) => x.rule === rule).map((x) => `${x.file}:${x.row}`)).size;
      expect(byRule).toEqual(r.rejectedByRule);
      expect(new Set(rejects.map((x) => `${x.file}:${x.row}`)).size).toBe(r.rejected);
    }),
  );

  check(
    name,
    "rejects",
    "rejects exactly the planted rows (file, line, column, rule)",
    inWarehouse(async (db) => {
      const rejects = await queryRows(db, `SELECT file, "row", "column", rule FROM rejects`);
      expect(byKey(rejects)).toEqual(byKey(e.rejects!));
    }),
  );

  check(
    name,
    "code tables",
    "counts mapped and unknown spellings in code_mappings and unknown_codes",
    inWarehouse(async (db) => {
      const mappings = await queryRows(
        db,
        "SELECT variable, kind, spelling, code, CAST(sum(n) AS INTEGER) AS n FROM code_mappings GROUP BY ALL",
      );
      expect(byKey(mappings)).toEqual(byKey(e.mappedCodes ?? []));
      const unknown = await queryRows(db, "SELECT variable, spelling, CAST(n AS INTEGER) AS n FROM unknown_codes");
      expect(byKey(unknown)).toEqual(byKey(e.unknownCodes ?? []));
    }),
  );

  if (e.values?.length) {
    check(
      name,
      "values",
      "stores the expected typed values",
      inWarehouse(async (db) => {
        for (const v of e.values!) {
          const rows = await queryRows(
            db,
            `SELECT CAST(${ident(v.column)} AS VARCHAR) AS value FROM contacts WHERE contact_id = ${literal(v.contact_id)}`,
          );
          expect(rows.length, `contact ${v.contact_id}`).toBe(1);
          expect(rows[0].value, `${v.column} of ${v.contact_id}`).toBe(v.value === null ? null : String(v.value));
        }
      }),
    );
  }

  check(name, "secrets", "echoes no identifier or free-text value in the report or the rejects table", async () => {
    if (out.error) throw out.error;
    expect(e.secrets.length > 0 || e.counts!.read === 0).toBe(true);
    expect(leaked(JSON.stringify(out.report), e.secrets)).toEqual([]);
    expect(leaked(readFileSync(out.reportPath, "utf8"), e.secrets)).toEqual([]);
    const text = await withDuckDB(async (db) => {
      const rows: Row[] = await queryRows(db, `SELECT * FROM rejects`);
      const meta = await queryRows(db, `SELECT * FROM ingest_files`);
      return JSON.stringify([rows, meta]);
    }, out.db);
    expect(leaked(text, e.secrets)).toEqual([]);
  });
});

describe("a refused ingest", () => {
  it("leaves the previous warehouse as it was", async () => {
    const dir = join(work, "kept");
    const db = join(dir, "warehouse.duckdb");
    const first = await run("utf8-bom", expectedOf("utf8-bom"), dir);
    if (first.error) throw first.error;
    for (const name of ["identifier-nhs-numbers", "empty-file"]) {
      const refused = await run(name, expectedOf(name), dir);
      expect(refused.error, name).toBeInstanceOf(Error);
    }
    await withDuckDB(async (c) => {
      const [{n}] = await queryRows(c, "SELECT count(*) AS n FROM contacts");
      expect(n).toBe(first.report!.accepted);
      expect(await queryRows(c, "SELECT ingest_id FROM ingest_runs")).toEqual([{ingest_id: first.report!.ingestId}]);
    }, db);
  });
});
