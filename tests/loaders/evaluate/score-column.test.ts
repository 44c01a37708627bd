// A score already in the extract (a dictionary variable with role "score") is
// evaluated like a model: here the generator's own observable-risk probability,
// appended as a column and declared in a copy of the dictionary. Its test AUC must
// equal the AUC computed directly from the truth file on the same test contacts.
// The same probability on the log-odds scale (tool_logit) is judged on ranking only.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parse, stringify} from "yaml";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {withDuckDB} from "../../../loaders/db.ts";
import {evaluateScoreColumn, scoreColumns} from "../../../loaders/evaluate/score-column.ts";
import {auc} from "../../../src/lib/metrics.ts";

let dir: string;
const split = {validFrom: "2016-07-01", testFrom: "2016-10-01", pilotFrom: "2016-12-01", pilotTo: "2016-12-31"};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "score-col-"));
  await generateExtract({
    seed: 9,
    start: "2016-01-01",
    months: 12,
    contacts: 6000,
    messiness: 0,
    pilotStart: "2016-12-01",
    pilotEnd: "2016-12-31",
    out: join(dir, "x"),
  });
  const truth = new Map(
    readFileSync(join(dir, "x", "truth", "contacts_truth.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
      .map((f) => [f[0], f[3]]),
  );
  const lines = readFileSync(join(dir, "x", "contacts.csv"), "utf8")
    .replace(/\r\n/g, "\n")
    .trim()
    .split("\n");
  const idCol = lines[0].split(",").indexOf("contact_id");
  const logit = (p: string | undefined) => (p === undefined ? "" : Math.log(Number(p) / (1 - Number(p))).toFixed(6));
  writeFileSync(
    join(dir, "with-score.csv"),
    [
      lines[0] + ",tool_score,tool_logit",
      ...lines.slice(1).map((l) => `${l},${truth.get(l.split(",")[idCol]) ?? ""},${logit(truth.get(l.split(",")[idCol]))}`),
    ].join("\n") + "\n",
  );
  const dict = parse(readFileSync("data/dictionary.yaml", "utf8"));
  dict.variables.push({
    name: "tool_score",
    label: "Existing tool's score",
    group: dict.variables[0].group,
    definition: "A probability from another tool, evaluated as a model is.",
    type: "number",
    range: [0, 1],
    role: "score",
    sensitivity: "none",
  });
  dict.variables.push({
    name: "tool_logit",
    label: "Existing tool's log-odds",
    group: dict.variables[0].group,
    definition: "The same score on the log-odds scale.",
    type: "number",
    role: "score",
    sensitivity: "none",
  });
  writeFileSync(join(dir, "dictionary.yaml"), stringify(dict));
  await ingest({
    files: [join(dir, "with-score.csv")],
    dictionary: join(dir, "dictionary.yaml"),
    db: join(dir, "wh.duckdb"),
    report: join(dir, "r.json"),
  });
}, 120_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("score columns from the dictionary", () => {
  it("are found by role, and evaluated on the test contacts with the same AUC as a direct computation", async () => {
    const dict = loadDictionary(join(dir, "dictionary.yaml"));
    const [col] = scoreColumns(dict);
    expect(scoreColumns(dict).map((v) => v.name)).toEqual(["tool_score", "tool_logit"]);
    expect(col.name).toBe("tool_score");
    const e = await withDuckDB((db) => evaluateScoreColumn(db, dict, col, split), join(dir, "wh.duckdb"), {readOnly: true});
    expect(e.probability).toBe(true);
    const test = e.contacts.split.map((s, i) => (s === "test" ? i : -1)).filter((i) => i >= 0);
    expect(test.length).toBe(e.test.n);
    const truth = new Map(
      readFileSync(join(dir, "x", "truth", "contacts_truth.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","))
        .map((f) => [f[0], Number(f[3])]),
    );
    const direct = auc(
      test.map((i) => truth.get(e.contacts.ids[i])!),
      test.map((i) => e.contacts.y[i]),
    );
    expect(Math.abs(e.test.auc.value - direct)).toBeLessThan(1e-6); // the column went through CSV at 6 decimals
    expect(e.test.auc.lo).toBeLessThan(e.test.auc.value);
    expect(e.test.auc.value).toBeGreaterThan(0.65);
    expect(e.reliability.length).toBe(10);
  });

  it("judges a score on another scale on ranking only, with the same contacts and AUC as the probability it ranks like", async () => {
    const dict = loadDictionary(join(dir, "dictionary.yaml"));
    const [probability, logOdds] = scoreColumns(dict);
    const [p, l] = await withDuckDB(
      async (db) => [await evaluateScoreColumn(db, dict, probability, split), await evaluateScoreColumn(db, dict, logOdds, split)],
      join(dir, "wh.duckdb"),
      {readOnly: true},
    );
    expect(l.probability).toBe(false);
    expect(Object.keys(l.test).sort()).toEqual(["auc", "averagePrecision", "n", "positives", "prevalence"]);
    expect(l.reliability).toEqual([]);
    expect(l.contacts.ids).toEqual(p.contacts.ids);
    expect(l.contacts.split).toEqual(p.contacts.split);
    expect(l.test.n).toBe(p.test.n);
    expect(l.test.auc.value).toBeCloseTo(p.test.auc.value, 6);
    expect(l.contacts.score.some((s) => s < 0 || s > 1)).toBe(true);
    // By quarter: every test and pilot contact once.
    expect(l.byQuarter.reduce((a, q) => a + q.n, 0)).toBe(l.contacts.ids.length);
    expect(l.byQuarter.map((q) => q.quarter)).toEqual(["2016-Q4"]);
    expect(l.id).toBe("score column: tool_logit");
  });

  it("refuses a split whose test period holds fewer than two scored contacts, naming the column", async () => {
    const dict = loadDictionary(join(dir, "dictionary.yaml"));
    const [col] = scoreColumns(dict);
    const late = {...split, testFrom: "2030-01-01", pilotFrom: undefined, pilotTo: undefined};
    await expect(withDuckDB((db) => evaluateScoreColumn(db, dict, col, late), join(dir, "wh.duckdb"), {readOnly: true})).rejects.toThrow(
      /"tool_score" has fewer than 2 values among the test contacts/,
    );
  });
});
