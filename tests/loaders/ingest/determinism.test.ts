// Same extract → same warehouse: two ingests of a generated messy extract (rejects,
// exact copies, mapped spellings) hold the same tables, row for row and in the same
// order, and contacts keep the file's order. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest, type IngestReport} from "../../../loaders/ingest/ingest.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";

const DICTIONARY = fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url));
/** Tables that depend only on the extract and the dictionary (ingest_runs and the rest record when). */
const TABLES = ["contacts_coded", "contacts", "contact_concerns", "rejects", "code_mappings", "unknown_codes"];

let work: string;
const reports: IngestReport[] = [];
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ingest-determinism-"));
  await generateExtract({
    seed: 7,
    start: "2018-01-01",
    months: 6,
    contacts: 20_000,
    messiness: 3,
    pilotStart: "2018-05-01",
    pilotEnd: "2018-06-30",
    out: join(work, "x"),
  });
  for (const k of [1, 2]) {
    reports.push(
      await ingest({
        files: [join(work, "x", "contacts.csv")],
        dictionary: DICTIONARY,
        db: join(work, `${k}.duckdb`),
        report: join(work, `${k}.json`),
      }),
    );
  }
}, 120_000);
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** A table's rows in stored order (a view's in the order it reads them), each as text. */
const rowsOf = (db: string, table: string) =>
  withDuckDB(async (c) => {
    const [{view}] = await queryRows(c, `SELECT count(*) > 0 AS view FROM duckdb_views() WHERE view_name = '${table}'`);
    const sql = view
      ? `SELECT CAST(x AS VARCHAR) AS r FROM ${table} x`
      : `SELECT CAST(x AS VARCHAR) AS r FROM (SELECT rowid AS _k, x FROM ${table} x) ORDER BY _k`;
    return (await queryRows(c, sql)).map((r) => String(r.r));
  }, db);

describe("ingest is deterministic", () => {
  it("the extract exercises rejects, exact copies and mapped spellings", () => {
    expect(reports[0].rejected).toBeGreaterThan(0);
    expect(reports[0].duplicates.exactCopies).toBeGreaterThan(0);
    expect(reports[0].mappedCodes.length).toBeGreaterThan(0);
  });

  it.each(TABLES)("%s: the same rows in the same order on a second ingest", async (table) => {
    const [a, b] = [await rowsOf(join(work, "1.duckdb"), table), await rowsOf(join(work, "2.duckdb"), table)];
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it("the reports agree but for when they ran", () => {
    const when = ({ingestId, startedAt, finishedAt, ...rest}: IngestReport) => (void [ingestId, startedAt, finishedAt], rest);
    expect(when(reports[1])).toEqual(when(reports[0]));
  });

  it("contacts are stored in the file's order, and contact_concerns in the order of contacts", async () => {
    await withDuckDB(
      async (c) => {
        const [{n}] = await queryRows(
          c,
          `SELECT count(*) FILTER (WHERE source_row <= prev) AS n FROM (SELECT source_row, lag(source_row) OVER (ORDER BY rowid) AS prev FROM contacts_coded)`,
        );
        expect(n).toBe(0);
        // The view reads the stored table in its order, as text.
        const [{same: sameContacts}] = await queryRows(
          c,
          `SELECT (SELECT list(source_row) FROM contacts) = (SELECT list(source_row ORDER BY rowid) FROM contacts_coded) AS same`,
        );
        expect(sameContacts).toBe(true);
        // The concerns' contacts, first appearances in the order read, are the contacts in stored order.
        const [{same}] = await queryRows(
          c,
          `SELECT (SELECT list(contact_id ORDER BY k) FROM (SELECT contact_id, min(k) AS k FROM (SELECT contact_id, row_number() OVER () AS k FROM contact_concerns) GROUP BY contact_id))
        = (SELECT list(contact_id ORDER BY rowid) FROM contacts_coded WHERE len(concerns) > 0) AS same`,
        );
        expect(same).toBe(true);
      },
      join(work, "1.duckdb"),
    );
  });
});
