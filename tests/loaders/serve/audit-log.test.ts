// The audit log on real files: appends settle after fsync, one file a day and a new one past the size
// limit, a torn last line skipped by the reader and cut off before the next append, never an earlier line lost.
import {afterEach, beforeEach, expect, it} from "vitest";
import {appendFileSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {AuditLog, auditFiles, readAuditLog, type ScoreRecord} from "../../../loaders/serve/audit-log.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-log-"));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const record = (i: number): ScoreRecord => ({
  kind: "score",
  time: new Date(0).toISOString(),
  source: "pilot",
  model: "m1",
  contact: `C${i}`,
  band: 1 + (i % 20),
});

it("writes every appended record before its promise settles, in order, across concurrent appends", async () => {
  const log = await AuditLog.open(dir);
  await Promise.all(Array.from({length: 50}, (_, i) => log.append([record(2 * i), record(2 * i + 1)])));
  const {records, torn} = readAuditLog(dir);
  expect(torn).toBe(0);
  expect(records.map((r) => (r as ScoreRecord).contact)).toEqual(Array.from({length: 100}, (_, i) => `C${i}`));
  await log.close();
  await expect(log.append([record(1)])).rejects.toThrow(/closed/);
});

it("starts a new file past the size limit, and reads the files back in order", async () => {
  const log = await AuditLog.open(dir, {maxBytes: 1000});
  for (let i = 0; i < 40; i++) await log.append([record(i)]);
  await log.close();
  const files = auditFiles(dir);
  expect(files.length).toBeGreaterThan(2);
  for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(1000);
  expect(readAuditLog(dir).records.map((r) => (r as ScoreRecord).contact)).toEqual(Array.from({length: 40}, (_, i) => `C${i}`));
});

it("skips a torn last line, cuts it off before appending again, and refuses a damaged earlier line", async () => {
  let log = await AuditLog.open(dir);
  await log.append([record(1), record(2)]);
  await log.close();
  const file = join(dir, auditFiles(dir)[0]);
  appendFileSync(file, '{"kind":"score","time":"2026-'); // a crash mid-write
  expect(readAuditLog(dir)).toMatchObject({torn: 1, records: [{contact: "C1"}, {contact: "C2"}]});
  log = await AuditLog.open(dir);
  await log.append([record(3)]);
  await log.close();
  expect(readAuditLog(dir)).toMatchObject({torn: 0, records: [{contact: "C1"}, {contact: "C2"}, {contact: "C3"}]});
  appendFileSync(file, "not json\n");
  appendFileSync(file, JSON.stringify(record(4)) + "\n");
  expect(() => readAuditLog(dir)).toThrow(/line 4 is not a JSON record/);
});
