// A verdict "data error" in a review file changes the next training run as stated:
// the contacts are left out (and counted), so the data hash and the model id change.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train} from "../../../loaders/train/train.ts";
import {toCsv} from "../../../src/lib/reviews.ts";

let dir: string;
const split = {validFrom: "2016-07-01", testFrom: "2016-10-01", pilotFrom: "2016-12-01", pilotTo: "2016-12-31"};
const config = {...DEFAULT_CONFIG, split};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "exclusion-"));
  await generateExtract({
    seed: 5,
    start: "2016-01-01",
    months: 12,
    contacts: 6000,
    messiness: 0,
    pilotStart: "2016-12-01",
    pilotEnd: "2016-12-31",
    out: join(dir, "x"),
  });
  await ingest({
    files: [join(dir, "x", "contacts.csv")],
    dictionary: "data/dictionary.yaml",
    db: join(dir, "wh.duckdb"),
    report: join(dir, "r.json"),
  });
}, 120_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("data errors from review files", () => {
  it("are left out of the next training run, counted, and change the model id", async () => {
    const none = join(dir, "no-reviews");
    mkdirSync(none);
    const before = await train(config, {db: join(dir, "wh.duckdb"), modelsDir: join(dir, "m0"), reviews: none});
    const split0 = (before.metrics as {split: Record<string, number>}).split;
    expect(split0.excludedDataErrors).toBe(0);
    // Two test contacts (labelled) marked as data errors, and one id the warehouse does not hold.
    const testIds = readFileSync(join(before.dir, "predictions.internal.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1, 3)
      .map((l) => l.split(",")[0]);
    const reviews = join(dir, "reviews");
    mkdirSync(reviews);
    const row = (record_id: string) => ({
      session_date: "2026-11-26",
      reviewer_roles: ["analyst"],
      record_id,
      verdict: "data_error" as const,
      reason: "recording_error" as const,
      variable: "",
      note: "",
      recorded_at: "t",
    });
    writeFileSync(join(reviews, "2026-11-26-a.csv"), toCsv([...testIds.map(row), row("NOT-IN-WAREHOUSE")]));
    const after = await train(config, {db: join(dir, "wh.duckdb"), modelsDir: join(dir, "m1"), reviews});
    const split1 = (after.metrics as {split: Record<string, number>}).split;
    expect(split1.excludedDataErrors).toBe(2);
    expect(split1.test).toBe(split0.test - 2);
    expect(after.id).not.toBe(before.id);
    const predicted = readFileSync(join(after.dir, "predictions.internal.csv"), "utf8");
    for (const id of testIds) expect(predicted).not.toContain(id);
  });
});
