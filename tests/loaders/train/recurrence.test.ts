// A target with a follow-up window (recontact_12m: contacted again within 365 days), end to end on
// a generated extract of 51 months: the warehouse's labels against a count done here from the
// contacts themselves, and training with the defaults: a split derived from the data's end and the
// window, in which no training or validation label uses follow-up past the next period's start.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train, type TrainConfig} from "../../../loaders/train/train.ts";
import {loadDataset} from "../../../loaders/train/dataset.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {ident} from "../../../loaders/sql.ts";
import {assignSplits, deriveSplit} from "../../../src/lib/splits.ts";

const DAY = 86_400_000;
const WINDOW = 365;
const TARGET = "recontact_12m";
let dir: string;
let db: string;
const dict = loadDictionary("data/dictionary.yaml");
const ms = (time: string) => Date.parse(`${time.replace(" ", "T")}Z`);
const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({...DEFAULT_CONFIG, target: TARGET, ...over});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "recurrence-"));
  await generateExtract({
    seed: 11,
    start: "2015-01-01",
    months: 51,
    contacts: 24000,
    messiness: 0,
    pilotStart: "2019-01-01",
    pilotEnd: "2019-03-31",
    out: join(dir, "x"),
  });
  db = join(dir, "wh.duckdb");
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: "data/dictionary.yaml", db, report: join(dir, "r.json")});
}, 180_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("recurrence labels", () => {
  it("count a later contact of the same child only within the window, and only where the window is inside the data", async () => {
    const {rows, contacts} = await withDuckDB(
      async (conn) => ({
        rows: (await loadDataset(conn, dict, TARGET, {labelledOnly: false})).rows,
        contacts: await queryRows(
          conn,
          `SELECT ${ident(dict.roles.record)} AS id, ${ident(dict.roles.person!)} AS person,
            strftime(${ident(dict.roles.event_time)}, '%Y-%m-%d %H:%M:%S') AS time FROM contacts`,
        ),
      }),
      db,
      {readOnly: true},
    );
    // Each child's contact times, sorted, and the extract's last time: the label worked out here.
    const times = new Map<string, number[]>();
    for (const c of contacts) times.set(String(c.person), [...(times.get(String(c.person)) ?? []), ms(String(c.time))]);
    for (const list of times.values()) list.sort((a, b) => a - b);
    const end = Math.max(...contacts.map((c) => ms(String(c.time))));
    const expected = new Map(
      contacts.map((c) => {
        const t = ms(String(c.time));
        if (t + WINDOW * DAY > end) return [String(c.id), null];
        const again = times.get(String(c.person))!.some((u) => u > t && u <= t + WINDOW * DAY);
        return [String(c.id), again ? 1 : 0];
      }),
    );
    expect(rows).toHaveLength(contacts.length);
    const got = new Map(rows.map((r) => [String(r._id), r._y === null ? null : Number(r._y)]));
    expect(got).toEqual(expected);
    // Both kinds occur, and the last year is censored, never a negative.
    const labels = [...got.values()];
    expect(labels.filter((y) => y === 1).length).toBeGreaterThan(1000);
    expect(labels.filter((y) => y === 0).length).toBeGreaterThan(1000);
    expect(labels.filter((y) => y === null).length).toBeGreaterThan(3000);
  });
});

describe("training a follow-up target with the defaults", () => {
  it("derives the split from the data's end and the window, reports it, and uses no follow-up past a period's start", async () => {
    const r = await train(config(), {db, modelsDir: join(dir, "m")});
    const card = JSON.parse(readFileSync(join(r.dir, "card.json"), "utf8"));
    const metrics = JSON.parse(readFileSync(join(r.dir, "metrics.json"), "utf8"));
    const data = await withDuckDB((conn) => loadDataset(conn, dict, TARGET), db, {readOnly: true});
    const last = data.extractEnd;
    // The dictionary's split (test from 2018-07-01) has no observed follow-up: derived instead, and said so.
    expect(card.split.source).toBe("derived");
    expect(card.split.why).toMatch(/dictionary's split .* leaves 0 test contacts .*365-day follow-up/);
    // Test: the last 6 or more whole months whose follow-up is observed, as few as reach 5,000 test contacts.
    const months = Number(/test the last (\d+) whole months/.exec(card.split.why)?.[1]);
    const first = String(data.rows[0]._time);
    expect(months).toBeGreaterThanOrEqual(6);
    expect(card.config.split).toEqual(deriveSplit(first, last, {followUpDays: WINDOW, testMonths: months}));
    expect(card.split.plan).toEqual(card.config.split);
    expect(r.split).toEqual(card.split);
    // The split as the evaluation pages rebuild it from card.json, checked row by row.
    const plan = card.config.split;
    const split = assignSplits(
      data.rows.map((row) => ({child: String(row._person), time: String(row._time)})),
      plan,
    );
    const days = (from: string, to: string) => (ms(`${to.slice(0, 10)} 00:00:00`) - ms(`${from.slice(0, 10)} 00:00:00`)) / DAY;
    const seen = {train: 0, valid: 0, test: 0};
    data.rows.forEach((row, i) => {
      const t = String(row._time);
      const s = split.splits[i];
      if (s === "train") expect(days(t, plan.validFrom), t).toBeGreaterThan(WINDOW);
      if (s === "valid") expect(days(t, plan.testFrom), t).toBeGreaterThan(WINDOW);
      if (s === "test") expect(ms(t) + WINDOW * DAY).toBeLessThanOrEqual(ms(last));
      if (s === "train" || s === "valid" || s === "test") seen[s]++;
    });
    expect(seen).toEqual({train: card.split.counts.train, valid: card.split.counts.valid, test: card.split.counts.test});
    expect(Math.min(seen.train, seen.valid, seen.test)).toBeGreaterThan(500);
    expect(metrics.test.n).toBe(seen.test);
    expect(metrics.test.auc.n).toBe(seen.test);
    expect(card.split.counts.censoredAtBoundary).toBeGreaterThan(0);
    if (months > 6) {
      // A shorter test period would have held fewer than 5,000.
      const shorter = deriveSplit(first, last, {followUpDays: WINDOW, testMonths: months - 1});
      const counts = assignSplits(
        data.rows.map((row) => ({child: String(row._person), time: String(row._time)})),
        shorter,
      ).counts;
      expect(counts.test).toBeLessThan(5000);
    }
    if (seen.test < 5000) expect(card.split.why).toMatch(/leaves only \d+ test contacts \(fewer than 5,000\)/);
  }, 180_000);

  it("refuses a given split whose follow-up cannot be observed, naming the dates to change", async () => {
    await expect(
      train(config({split: {validFrom: "2018-01-01", testFrom: "2018-07-01"}}), {db, modelsDir: join(dir, "m2")}),
    ).rejects.toThrow(/given split .* leaves \d+ training and 0 test contacts.*on or before 2018-03-3\d.*change validFrom and testFrom/);
  }, 60_000);
});
