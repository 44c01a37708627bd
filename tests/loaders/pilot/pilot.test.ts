// The pilot's daily run (loaders/pilot/pilot.ts) on a small trained project: the day's contacts are
// scored as `workbench score` scores them, each logged once with key, model, band and time and
// nothing else of the contact; a re-run of the same day logs nothing new; the summary reads it back.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {csvRecords, unescapeCsvCell} from "../../../src/lib/csv.ts";
import {PILOT_SOURCE, pilotLogSummary, runPilotDay} from "../../../loaders/pilot/pilot.ts";
import {readAuditLog} from "../../../loaders/serve/audit-log.ts";
import {servedProject, type ServedProject} from "../serve/fixture.ts";

let p: ServedProject;
beforeAll(async () => {
  p = await servedProject("pilot-test", {contacts: 3000, fresh: 300});
}, 120_000);
afterAll(() => p?.remove());

describe("workbench pilot", () => {
  it("logs each scored contact once: key, model, band, time; a re-run of the day adds nothing", async () => {
    const logDir = join(p.dir, "log");
    const model = join(p.modelsDir, p.models[0]);
    const out = join(p.dir, "day.csv");
    const now = new Date("2019-01-07T08:30:00Z");
    const first = await runPilotDay({model, extract: [p.newCsv], out, logDir, dictionary: "data/dictionary.yaml", now});
    expect(first.model).toBe(p.models[0]);
    expect(first.scored).toBeGreaterThan(200);
    expect(first.logged).toBe(first.scored);

    const [header, ...rows] = csvRecords(readFileSync(out, "utf8")).map((r) => r.fields.map(unescapeCsvCell));
    const band = header.indexOf("band");
    const {records, torn} = readAuditLog(logDir);
    expect(torn).toBe(0);
    expect(records.map((r) => (r.kind === "score" ? [r.contact, r.band] : null))).toEqual(rows.map((r) => [r[0], Number(r[band])]));
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(["band", "contact", "kind", "model", "source", "time"]);
      expect(r).toMatchObject({kind: "score", source: PILOT_SOURCE, model: p.models[0], time: now.toISOString()});
    }
    // nothing else of a contact: none of the extract's other cells (longer than a band) is in the log
    const log = readdirSync(logDir)
      .map((f) => readFileSync(join(logDir, f), "utf8"))
      .join("");
    const extract = readFileSync(p.newCsv, "utf8").trimEnd().split("\n").slice(1, 50);
    const ids = new Set(rows.map((r) => r[0]));
    for (const cell of extract.flatMap((l) => l.split(",")).filter((c) => c.length > 3 && !ids.has(c)))
      expect(log).not.toContain(`"${cell}"`);

    const again = await runPilotDay({model, extract: [p.newCsv], out, logDir, dictionary: "data/dictionary.yaml", now});
    expect(again).toMatchObject({logged: 0, alreadyLogged: first.scored});
    expect(readAuditLog(logDir).records.length).toBe(first.scored);

    const summary = pilotLogSummary(logDir);
    expect(summary).toMatchObject({scores: first.scored, contacts: first.scored, torn: 0});
    expect(summary.byDay).toEqual([{day: "2019-01-07", n: first.scored}]);
    expect(summary.byModel).toEqual([{model: p.models[0], n: first.scored}]);
    expect(summary.bands.reduce((s, b) => s + b.n, 0)).toBe(first.scored);
    expect(summary.bands.every((b) => b.band >= 1 && b.band <= 20)).toBe(true);
  }, 120_000);
});
