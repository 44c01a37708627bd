// Scoring: same validation as ingest, the same encoding and scores as training, probabilities with
// bands, factors that add up to the score, rejects listed without values, progress reported.
import {afterAll, beforeAll, expect, it} from "vitest";
import {execFileSync, spawnSync} from "node:child_process";
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train} from "../../../loaders/train/train.ts";
import {scoreExtract} from "../../../loaders/score/score.ts";

let dir: string;
let modelDir: string;
let mlpDir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "score-test-"));
  await generateExtract({
    seed: 4,
    start: "2016-01-01",
    months: 12,
    contacts: 8000,
    messiness: 0,
    pilotStart: "2016-12-01",
    pilotEnd: "2016-12-31",
    out: join(dir, "x"),
  });
  await generateExtract({
    seed: 5,
    start: "2017-01-01",
    months: 2,
    contacts: 1500,
    messiness: 8,
    pilotStart: "2017-12-01",
    pilotEnd: "2017-12-31",
    out: join(dir, "new"),
  });
  const db = join(dir, "wh.duckdb");
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: "data/dictionary.yaml", db, report: join(dir, "r.json")});
  const r = await train(
    {...DEFAULT_CONFIG, split: {validFrom: "2016-07-01", testFrom: "2016-10-01"}},
    {db, modelsDir: join(dir, "models")},
  );
  modelDir = r.dir;
  const mlp = {...DEFAULT_CONFIG.mlp, epochs: 2, hidden: [8, 4], batchSize: 128, learningRate: 0.01};
  mlpDir = (
    await train(
      {...DEFAULT_CONFIG, model: "mlp", mlp, split: {validFrom: "2016-07-01", testFrom: "2016-10-01"}},
      {db, modelsDir: join(dir, "mlp-models")},
    )
  ).dir;
}, 240_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const logit = (p: number) => Math.log(p / (1 - p));

/** Scores the training extract with a model: each test contact gets the probability training recorded for it (same rows, same encoding). */
async function expectTrainingScores(model: string, name: string) {
  const out = join(dir, `${name}-train.csv`);
  await scoreExtract({model, extract: [join(dir, "x", "contacts.csv")], out});
  const scored = new Map(
    readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
      .map((f) => [f[0], f[1]]),
  );
  const recorded = readFileSync(join(model, "predictions.internal.csv"), "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  expect(recorded.length).toBeGreaterThan(500);
  for (const [id, , , score] of recorded) expect(scored.get(id), id).toBe(Number(score).toFixed(6));
}

it("scores every accepted contact with a probability, a 1–20 band and factors that sum to the score", async () => {
  const out = join(dir, "scores.csv");
  const s = await scoreExtract({model: modelDir, extract: [join(dir, "new", "contacts.csv")], out, rejects: join(dir, "rejects.csv")});
  const [header, ...lines] = readFileSync(out, "utf8").trimEnd().split("\n");
  expect(header.split(",")).toEqual([
    "contact_id",
    "probability",
    "band",
    "baseline_log_odds",
    "factor_1",
    "contribution_1",
    "factor_2",
    "contribution_2",
    "factor_3",
    "contribution_3",
  ]);
  expect(lines.length).toBe(s.scored);
  expect(s.scored + s.rejected + s.duplicates).toBe(s.read);
  expect(s.rejected).toBeGreaterThan(0); // messiness 8 plants malformed rows: quarantined, not scored
  // Every row not scored is in the rejects file, by file, row and rule, with no value of the row.
  const [rejectsHeader, ...rejected] = readFileSync(join(dir, "rejects.csv"), "utf8").trimEnd().split("\n");
  expect(rejectsHeader).toBe("file,row,column,rule,detail");
  const rejectedRows = new Set(rejected.map((l) => l.split(",").slice(0, 2).join(",")));
  expect(rejectedRows.size).toBe(s.rejected);
  expect(Object.values(s.rejectedByRule).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(s.rejected);
  const extractLines = readFileSync(join(dir, "new", "contacts.csv"), "utf8").split("\n");
  const scoredIds = new Set(lines.map((l) => l.split(",")[0]));
  let located = 0;
  for (const l of rejected) {
    const [file, row, , rule] = l.split(",");
    expect(file).toBe("contacts.csv");
    const id = extractLines[Number(row) - 1].split(",")[0];
    if (rule !== "row_shape" && rule !== "duplicate_id" && /^C[0-9A-F]{8}$/.test(id)) {
      expect(scoredIds.has(id)).toBe(false); // the row at that line is the one left out
      expect(l).not.toContain(id);
      located++;
    }
  }
  expect(located).toBeGreaterThan(0);
  const bands = new Set<number>();
  for (const l of lines) {
    const f = l.split(",");
    const p = Number(f[1]);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    bands.add(Number(f[2]));
    expect(Number(f[2])).toBeGreaterThanOrEqual(1);
    expect(Number(f[2])).toBeLessThanOrEqual(20);
  }
  expect(bands.size).toBeGreaterThan(10);
  // The breakdown the CLI reports: validation, then the rest by stage.
  expect(s.validationSeconds).toBeGreaterThan(0);
  expect(s.validationSeconds + s.stages.read + s.stages.score + s.stages.write).toBeLessThanOrEqual(s.seconds + 1e-6);
  expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
  // With every factor the contributions sum exactly to logit(p) − baseline; the top three carry most of it.
  const top = lines.slice(0, 200).map((l) => l.split(","));
  const explained = top.map(
    (f) => Math.abs(Number(f[5]) + Number(f[7]) + Number(f[9])) / Math.max(1e-9, Math.abs(logit(Number(f[1])) - Number(f[3]))),
  );
  expect(explained.filter((x) => x > 0.3).length).toBeGreaterThan(100);

  // Progress: validation's stages, then the contacts scored a block of 1,000 at a time, rising to the total.
  const again = join(dir, "scores-again.csv");
  const stages: number[] = [];
  const scoredSoFar: number[] = [];
  await scoreExtract({
    model: modelDir,
    extract: [join(dir, "new", "contacts.csv")],
    out: again,
    onStage: (_s, done) => stages.push(done),
    onScored: (done, total) => {
      expect(total).toBe(s.scored);
      scoredSoFar.push(done);
    },
  });
  expect(stages.length).toBeGreaterThan(2);
  expect(s.scored).toBeGreaterThan(1000);
  expect(scoredSoFar).toEqual([0, 1000, s.scored]);
  expect(readFileSync(again, "utf8")).toBe(readFileSync(out, "utf8")); // and the same bytes again
}, 120_000);

it("refuses an extract with identifiers as ingest does (exit 2, no values printed), and a model from another dictionary version", async () => {
  const corpus = "tests/fixtures/bad-extracts";
  const idCase = readdirSync(corpus).find(
    (c) => c.includes("nhs") && JSON.parse(readFileSync(join(corpus, c, "expected.json"), "utf8")).exitCode === 2,
  )!;
  const file = readdirSync(join(corpus, idCase)).find((f) => f.endsWith(".csv"))!;
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "loaders/cli.ts",
      "score",
      "--model",
      modelDir,
      "--extract",
      join(corpus, idCase, file),
      "--out",
      join(dir, "refused.csv"),
    ],
    {encoding: "utf8"},
  );
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/nhs number/);
  expect(r.stderr).not.toMatch(/\d{3} ?\d{3} ?\d{4}/);
  expect(existsSync(join(dir, "refused.csv"))).toBe(false);
  expect(existsSync(join(dir, "refused.rejects.csv"))).toBe(false); // nor a rejects file beside it
  // An output folder that does not exist: said at once, before any validation.
  await expect(
    scoreExtract({model: modelDir, extract: [join(dir, "new", "contacts.csv")], out: join(dir, "no-such-folder", "x.csv")}),
  ).rejects.toThrow(/its folder .*no-such-folder does not exist/);

  const other = join(dir, "dict-v2.yaml");
  writeFileSync(other, readFileSync("data/dictionary.yaml", "utf8").replace(/^version: .*$/m, "version: 9.9.9"));
  await expect(
    scoreExtract({model: modelDir, extract: [join(dir, "new", "contacts.csv")], out: join(dir, "v2.csv"), dictionary: other}),
  ).rejects.toThrow(/dictionary version 1\.0\.0, but .* is version 9\.9\.9/);

  // A features.json from before the training means were recorded: refused, not explained from nothing.
  const old = join(dir, "old-model");
  cpSync(modelDir, old, {recursive: true});
  const f = JSON.parse(readFileSync(join(old, "features.json"), "utf8"));
  delete f.means;
  writeFileSync(join(old, "features.json"), JSON.stringify(f));
  await expect(scoreExtract({model: old, extract: [join(dir, "new", "contacts.csv")], out: join(dir, "old.csv")})).rejects.toThrow(
    /no training means .* retrain/,
  );
  expect(existsSync(join(dir, "old.csv"))).toBe(false);
}, 120_000);

it("encodes and predicts a contact exactly as training did (logistic and MLP)", async () => {
  await expectTrainingScores(modelDir, "logistic");
  await expectTrainingScores(mlpDir, "mlp");
}, 180_000);

it("has --help", () => {
  expect(execFileSync(process.execPath, ["--import", "tsx", "loaders/cli.ts", "score", "--help"], {encoding: "utf8"})).toMatch(
    /--model <dir>/,
  );
});

it("explains MLP scores by integrated gradients: factors named, signed, on the log-odds scale", async () => {
  const out = join(dir, "mlp-scores.csv");
  await scoreExtract({model: mlpDir, extract: [join(dir, "new", "contacts.csv")], out});
  const rows = readFileSync(out, "utf8")
    .trimEnd()
    .split("\n")
    .slice(1, 101)
    .map((l) => l.split(","));
  for (const f of rows) {
    expect(f[4]).not.toBe("");
    expect(Number(f[3])).toBeCloseTo(Number(rows[0][3]), 12); // one baseline: the average training contact
    expect(Number.isFinite(Number(f[5]))).toBe(true);
    expect(Math.abs(Number(f[5]))).toBeGreaterThanOrEqual(Math.abs(Number(f[7])));
  }
}, 120_000);

it("on every case of the bad-extract corpus, score refuses what ingest refuses, scores exactly what ingest accepts and lists what it quarantines", async () => {
  const corpus = "tests/fixtures/bad-extracts";
  const cases = readdirSync(corpus).filter((c) => existsSync(join(corpus, c, "expected.json")));
  expect(cases.length).toBeGreaterThanOrEqual(18);
  let checked = 0;
  for (const c of cases) {
    const e = JSON.parse(readFileSync(join(corpus, c, "expected.json"), "utf8"));
    if (e.dictionary) continue; // cases that need their own dictionary copy are ingest's business
    const out = join(dir, `corpus-${c}.csv`);
    const rejects = join(dir, `corpus-${c}.rejects.csv`);
    const run = scoreExtract({
      model: modelDir,
      extract: e.files.map((f: string) => join(corpus, c, f)),
      out,
      rejects,
      encoding: e.encoding,
    });
    if (e.exitCode === 0) {
      const s = await run;
      expect(s.scored, c).toBe(e.counts.accepted);
      expect(readFileSync(out, "utf8").trimEnd().split("\n").length - 1, c).toBe(e.counts.accepted);
      // The rows not scored are ingest's quarantine, rule for rule, and the file holds none of the case's values.
      const text = readFileSync(rejects, "utf8");
      const listed = text
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((l) => {
          const [file, row, column, rule] = l.split(",");
          return JSON.stringify({file, row: Number(row), column: column || null, rule});
        });
      const expected = (e.rejects as {file: string; row: number; column: string | null; rule: string}[]).map(({file, row, column, rule}) =>
        JSON.stringify({file, row, column, rule}),
      );
      expect(listed.sort(), c).toEqual(expected.sort());
      for (const secret of e.secrets ?? []) expect(text.includes(secret), `${c}: ${secret}`).toBe(false);
    } else {
      await expect(run, c).rejects.toThrow();
      expect(existsSync(out), c).toBe(false);
      expect(existsSync(rejects), c).toBe(false);
    }
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(18);
}, 300_000);
