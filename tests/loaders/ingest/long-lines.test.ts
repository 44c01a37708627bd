// Long rows and DuckDB's CSV read buffer. Files with only short lines are read with small
// buffers (csvBufferSize), others with DuckDB's default; either way a long row is read
// whole and checked like any other, a row over DuckDB's 2,000,000-byte limit is rejected
// as row_shape, and every row keeps its line number. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {csvBufferSize, linesShorterThan} from "../../../loaders/ingest/file.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";

const DICTIONARY = fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url));
const HEADER =
  "contact_id,child_id,household_id,contact_datetime,referral_source,age_years,gender,ethnicity,disability,district,concerns,primary_concern,da_risk_level,prior_contacts_12m,previous_cp_plan,open_case_status,consent,screener_id,team,decision_datetime,rag_rating,mash_decision,outcome_after_sharing";
const MAX_LINE = 2_000_000; // DuckDB's default max_line_size
const hex = (i: number) => i.toString(16).toUpperCase().padStart(8, "0");
/** A valid row; `team` replaced when given (a long value is an unknown team code). */
const row = (i: number, team = "T4") =>
  `C${hex(i)},P${hex(i * 7 + 3)},H${hex(i * 13 + 5)},2018-01-01 09:13:00,la_services,5,female,white,no,waveney,domestic_abuse;mental_health,physical_abuse,,0,no,none,given,SCR-C3007,${team},2018-01-02 00:52:00,green,info_sharing,cin_assessment`;
/** A quoted value of `n` bytes over lines of 99 characters (a free-text note, say). */
const multiLine = (n: number) =>
  `"${Array.from({length: Math.ceil(n / 100)}, () => "m".repeat(99))
    .join("\n")
    .slice(0, n)}"`;
const ROWS = 40_000; // ~8 MB: several read buffers of either size

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-long-lines-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

async function ingestRows(name: string, long: Map<number, string>) {
  const file = join(work, `${name}.csv`);
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) lines.push(row(i, long.get(i)));
  writeFileSync(file, lines.join("\n") + "\n");
  const db = join(work, `${name}.duckdb`);
  const report = await ingest({files: [file], dictionary: DICTIONARY, db, report: join(work, `${name}.json`)});
  const rejects = await withDuckDB(async (conn) => {
    const rows = await queryRows(conn, `SELECT "row", "column", rule, detail FROM rejects ORDER BY "row", rule`);
    return rows.map((r) => [Number(r.row), r.column === null ? null : String(r.column), String(r.rule), String(r.detail)]);
  }, db);
  return {file, report, rejects};
}

describe("rows near DuckDB's longest line (default buffers)", () => {
  it("reads rows of 1.5 MB and just under the limit whole, rejects the one over it, and keeps line numbers", async () => {
    const {file, report, rejects} = await ingestRows(
      "long",
      new Map([
        [5_000, "y".repeat(1_500_000)],
        [12_000, "z".repeat(MAX_LINE + 500_000)],
        [15_000, `"${"q".repeat(MAX_LINE - 10_000)}"`],
      ]),
    );
    expect(csvBufferSize(file)).toBeUndefined();
    // Row i of the data sits on line i + 2 (after the header).
    expect(rejects.map(([r, c, rule]) => [r, c, rule])).toEqual([
      [5_002, "team", "unknown_code"],
      [12_002, null, "row_shape"],
      [15_002, "team", "unknown_code"],
    ]);
    expect(rejects[1][3]).toBe("the row is longer than 2 MB");
    expect([report.read, report.accepted]).toEqual([ROWS, ROWS - 3]);
  }, 120_000);
});

describe("rows just short enough for small buffers", () => {
  it("reads rows of up to ~60 KB whole, and a quoted 1.9 MB value over many lines, with their own rejects and line numbers", async () => {
    const long = new Map([
      [3_000, "a".repeat(60_000)],
      [9_001, `"${"b".repeat(55_000)}"`],
      [20_000, multiLine(1_900_000)],
      [30_000, "c".repeat(32 * 1024)],
    ]);
    const {file, report, rejects} = await ingestRows("short", long);
    expect(csvBufferSize(file)).toBe(2 * 1024 * 1024);
    // Rows are numbered by record (a value over many lines is one row).
    expect(rejects.map(([r, c, rule]) => [r, c, rule])).toEqual([
      [3_002, "team", "unknown_code"],
      [9_003, "team", "unknown_code"],
      [20_002, "team", "unknown_code"],
      [30_002, "team", "unknown_code"],
    ]);
    expect([report.read, report.accepted]).toEqual([ROWS, ROWS - 4]);
  }, 120_000);
  it("rejects a quoted value of 6 MB over many short lines as one row too long, as DuckDB's default buffers do", async () => {
    // Small buffers split it into thousands of rejects: ingest sees lines unaccounted for and reads the file again.
    const {file, report, rejects} = await ingestRows("huge-value", new Map([[20_000, multiLine(6_000_000)]]));
    expect(csvBufferSize(file)).toBe(2 * 1024 * 1024);
    expect(rejects).toEqual([[20_002, null, "row_shape", "the row is longer than 2 MB"]]);
    expect([report.read, report.accepted, report.rejected]).toEqual([ROWS, ROWS - 1, 1]);
  }, 120_000);
});

describe("linesShorterThan", () => {
  const file = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };
  const line = (n: number) => "x".repeat(n) + "\n";
  it("is true when every line is short, whatever the windows", () => {
    expect(linesShorterThan(file("empty", ""), 16)).toBe(true);
    expect(linesShorterThan(file("short", line(3).repeat(40)), 16)).toBe(true);
    expect(linesShorterThan(file("no-final-break", line(7).repeat(9) + "x".repeat(7)), 16)).toBe(true);
    expect(linesShorterThan(file("crlf", "x".repeat(5) + "\r\n".repeat(1) + line(6).repeat(10)), 16)).toBe(true);
  });
  it("is false when a line is as long as the limit, wherever it lies", () => {
    for (const [name, text] of [
      ["first", line(16) + line(2).repeat(20)],
      ["middle", line(2).repeat(11) + line(16) + line(2).repeat(11)],
      ["last", line(2).repeat(20) + "x".repeat(16)],
    ] as const) {
      expect(linesShorterThan(file(name, text), 16), name).toBe(false);
    }
  });
  it("reads past its first few KiB of a window before giving up", () => {
    const limit = 64 * 1024;
    // Each window of 32 KiB holds a line feed only near its end, beyond the first 4 KiB read.
    const text = ("x".repeat(32 * 1024 - 100) + "\n" + "x".repeat(99)).repeat(6);
    expect(linesShorterThan(file("late-breaks", text), limit)).toBe(true);
    expect(linesShorterThan(file("one-long", "x".repeat(limit) + "\n" + text), limit)).toBe(false);
  });
  it("errs on the safe side for lines ended by a bare carriage return", () => {
    expect(linesShorterThan(file("cr", "abc\r".repeat(20)), 16)).toBe(false);
  });
});
