// The home page's aggregates, computed by DuckDB from a small extract made by the generator.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../loaders/synth/write.ts";
import {overview} from "../../loaders/overview.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "overview-"));
  await generateExtract({
    seed: 3,
    start: "2016-01-01",
    months: 6,
    contacts: 3000,
    messiness: 3,
    pilotStart: "2016-05-01",
    pilotEnd: "2016-06-30",
    out: dir,
  });
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("counts every row, maps variants to codes, and keeps unreadable dates and unknown codes visible", async () => {
  const o = await overview([join(dir, "contacts.csv")]);
  const lines = readFileSync(join(dir, "contacts.csv"), "utf8").trimEnd().split("\n").slice(1);
  const truth = JSON.parse(readFileSync(join(dir, "truth", "truth.json"), "utf8"));
  expect(o.rows).toBe(lines.length);
  const badDates = truth.messiness.malformed.filter((m: {kind: string}) => m.kind === "bad_datetime").length;
  expect(o.unreadableTime).toBe(badDates);
  const monthlyTotal = o.monthly.reduce((a, d) => a + d.n, 0);
  expect(monthlyTotal + o.unreadableTime).toBe(o.rows);
  expect(new Set(o.monthly.map((d) => d.month)).size).toBe(6);
  const codes = new Set(o.monthly.map((d) => d.code));
  expect(codes.has("police")).toBe(true);
  for (const c of codes) expect(c === "(unrecognised)" || c === "(missing)" || o.by.codes.some((k) => k.code === c), c).toBe(true);
  // Police spelled any way (Police, POLICE, Suffolk Constabulary, stray spaces) is counted as police.
  const policeLines = lines.filter((l) => /^(police|suffolk constabulary)$/i.test((l.split(",")[4] ?? "").trim())).length;
  const policeMonthly = o.monthly.filter((d) => d.code === "police").reduce((a, d) => a + d.n, 0);
  expect(policeMonthly).toBeLessThanOrEqual(policeLines);
  expect(policeLines - policeMonthly).toBeLessThanOrEqual(badDates);
  expect(o.decisions.reduce((a, d) => a + d.n, 0)).toBe(o.rows);
});
