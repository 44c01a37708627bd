// CSV formula injection (issue 19): contact ids and file names that a spreadsheet would run as formulas go
// through ingest, training, a review session and scoring; every CSV the workbench writes is opened, parsed
// (RFC 4180) and checked: no text cell starts with = + - @ tab or CR, only numbers the program wrote may start
// with "-", and every reader of those files gives the original text back.
import {afterAll, beforeAll, expect, it} from "vitest";
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train, type TrainResult} from "../../../loaders/train/train.ts";
import {scoreExtract, SCORE_COLUMNS} from "../../../loaders/score/score.ts";
import {evaluateModel} from "../../../loaders/evaluate/evaluate.ts";
import {modelRoc} from "../../../loaders/pages/training.ts";
import {NOT_RECORDED, scoredTestContacts} from "../../../loaders/public/results.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {pathLiteral, unescapeCsvSql} from "../../../loaders/sql.ts";
import {csvRecords, unescapeCsvCell} from "../../../src/lib/csv.ts";
import {toCsv} from "../../../src/lib/reviews.ts";
import {rocArea} from "../../../src/lib/roc.ts";

/** Issue 19's corpus, and a text that already starts with a quote before "=" (the escape must not swallow it). */
const CORPUS = ['=HYPERLINK("http://x","y")', "+1+2", "@SUM(1,2)", "=cmd|' /C calc'!A0", "-2+3", "'=1"];
/** Marked a data error in a review session, so training must find it in the warehouse and leave it out. */
const DATA_ERROR = "+1+2";
const SPLIT = {validFrom: "2016-07-01", testFrom: "2016-10-01", pilotFrom: "2016-12-01", pilotTo: "2016-12-31"};

/** A cell a spreadsheet would run as a formula (as parsed, quotes removed). */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell);
/** A number as the program writes it (toFixed or String of a number). */
const isNumber = (cell: string) => /^-?\d+(\.\d+)?(e-?\d+)?$/.test(cell);
const parse = (file: string) => csvRecords(readFileSync(file, "utf8")).map((r) => r.fields);

let dir: string;
let dict: ReturnType<typeof loadDictionary>;
let wh: string;
let model: TrainResult;
let trainingCsv: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "formula-injection-"));
  dict = loadDictionary("data/dictionary.yaml");
  await generateExtract({
    seed: 4,
    start: "2016-01-01",
    months: 12,
    contacts: 4000,
    messiness: 0,
    pilotStart: "2016-12-01",
    pilotEnd: "2016-12-31",
    out: join(dir, "x"),
  });
  // The corpus as contact ids of October contacts of children seen once (so in the test split), quoted as a raw extract would.
  const lines = readFileSync(join(dir, "x", "contacts.csv"), "utf8")
    .trimEnd()
    .split("\n");
  const columns = lines[0].split(",");
  const [idCol, personCol, timeCol] = [dict.roles.record, dict.roles.person!, dict.roles.event_time].map((r) => columns.indexOf(r));
  expect(idCol).toBe(0);
  const contacts = new Map<string, number>();
  for (const l of lines.slice(1)) contacts.set(l.split(",")[personCol], (contacts.get(l.split(",")[personCol]) ?? 0) + 1);
  let k = 0;
  const out = lines.map((l, i) => {
    const f = l.split(",");
    if (i === 0 || k >= CORPUS.length || !f[timeCol].startsWith("2016-10") || contacts.get(f[personCol]) !== 1) return l;
    return `"${CORPUS[k++].replace(/"/g, '""')}"${l.slice(l.indexOf(","))}`;
  });
  expect(k).toBe(CORPUS.length);
  // The file name is a formula too: it is a cell of the rejects file.
  trainingCsv = join(dir, "-2+3.csv");
  writeFileSync(trainingCsv, out.join("\n") + "\n");
  wh = join(dir, "wh.duckdb");
  const report = await ingest({files: [trainingCsv], dictionary: "data/dictionary.yaml", db: wh, report: join(dir, "r.json")});
  expect(report.rejected).toBe(0); // every id of the corpus is accepted
  // A working session's file (what the Cross-check page downloads) marking one of them a data error.
  const reviews = join(dir, "reviews");
  mkdirSync(reviews);
  writeFileSync(
    join(reviews, "2026-11-26-a.csv"),
    toCsv([
      {
        session_date: "2026-11-26",
        reviewer_roles: ["analyst"],
        record_id: DATA_ERROR,
        verdict: "data_error",
        reason: "recording_error",
        variable: "",
        note: '=HYPERLINK("http://x","y") was typed into the note',
        recorded_at: "2026-11-26T10:00:00Z",
      },
    ]),
  );
  model = await train({...DEFAULT_CONFIG, split: SPLIT}, {db: wh, modelsDir: join(dir, "models"), reviews});
}, 240_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("a review session's data error with a formula-like id is found in the warehouse and left out of training", () => {
  const split = (model.metrics as {split: {excludedDataErrors: number}}).split;
  expect(split.excludedDataErrors).toBe(1);
});

it("predictions.internal.csv escapes the ids, and every reader gives them back", async () => {
  const file = join(model.dir, "predictions.internal.csv");
  const [header, ...rows] = parse(file);
  expect(header).toEqual(["id", "split", "y", "score"]);
  for (const row of rows) {
    expect(row).toHaveLength(4);
    expect(runnable(row[0]), row[0]).toBe(false);
    expect(isNumber(row[2]) && isNumber(row[3]), row.join("|")).toBe(true);
  }
  const ids = rows.map((r) => unescapeCsvCell(r[0]));
  for (const id of CORPUS) expect(ids.includes(id), id).toBe(id !== DATA_ERROR);
  expect(readFileSync(file, "utf8")).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);

  // Evaluation's registry check matches every test contact by id (an id not found would give NaN).
  const e = await withDuckDB((db) => evaluateModel(model.dir, db, dict), wh, {readOnly: true});
  expect(e.registryMaxDiff).toBe(0);
  // The Training page rebuilds the ROC curve from the file: quoted ids with commas do not shift the columns.
  const roc = modelRoc(model.dir, {});
  const auc = (model.metrics as {test: {auc: {value: number}}}).test.auc.value;
  expect(Math.abs(rocArea(roc) - auc)).toBeLessThan(0.01);
  // DuckDB: unescapeCsvSql mirrors unescapeCsvCell, so every test contact joins to the warehouse.
  await withDuckDB(
    async (db) => {
      const joined = await queryRows(
        db,
        `SELECT ${unescapeCsvSql("p.id")} AS id, c.contact_id IS NOT NULL AS found
         FROM read_csv(${pathLiteral(file)}, header = true, delim = ',', quote = '"', escape = '"', columns = {'id': 'VARCHAR', 'split': 'VARCHAR', 'y': 'INTEGER', 'score': 'DOUBLE'}) p
         LEFT JOIN contacts c ON c.contact_id = ${unescapeCsvSql("p.id")}`,
      );
      expect(joined.map((r) => String(r.id)).sort()).toEqual([...ids].sort());
      expect(joined.every((r) => r.found)).toBe(true);
    },
    wh,
    {readOnly: true},
  );
  // The public results' join: a contact whose attribute is recorded is never counted as "not recorded".
  const protectedVar = dict.variables.find((v) => v.role === "protected")!;
  const missing = new Set(
    (
      await withDuckDB((db) => queryRows(db, `SELECT contact_id FROM contacts WHERE "${protectedVar.name}" IS NULL`), wh, {
        readOnly: true,
      })
    ).map((r) => String(r.contact_id)),
  );
  const scored = await scoredTestContacts(model.dir, dict, wh);
  expect(scored).toHaveLength(rows.length);
  expect(scored.filter((s) => s.groups[protectedVar.name] === NOT_RECORDED).length).toBe(ids.filter((id) => missing.has(id)).length);
}, 120_000);

it("the scores and rejects files escape every text cell (ids, factor names, file names); numbers stay numbers", async () => {
  // The training extract again (ids of the corpus) and a messy one named as a formula (so that rows are rejected).
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
  const messy = join(dir, "@SUM(1,2).csv");
  copyFileSync(join(dir, "new", "contacts.csv"), messy);
  const out = join(dir, "scores.csv");
  const rejectsFile = join(dir, "scores.rejects.csv");
  const s = await scoreExtract({model: model.dir, extract: [trainingCsv, messy], out, rejects: rejectsFile});

  const [header, ...rows] = parse(out);
  expect(header).toEqual([dict.roles.record, ...SCORE_COLUMNS]);
  expect(rows).toHaveLength(s.scored);
  const numeric = new Set(SCORE_COLUMNS.filter((c) => !c.startsWith("factor_")));
  let negatives = 0;
  for (const row of rows) {
    expect(row).toHaveLength(header.length);
    row.forEach((cell, c) => {
      if (numeric.has(header[c])) {
        expect(cell === "" || isNumber(cell), `${header[c]}: ${cell}`).toBe(true);
        if (cell.startsWith("-")) negatives++;
      } else expect(runnable(cell), `${header[c]}: ${cell}`).toBe(false);
    });
  }
  expect(negatives).toBeGreaterThan(0); // negative contributions are written as numbers, not escaped
  const ids = rows.map((r) => unescapeCsvCell(r[0]));
  for (const id of CORPUS) expect(ids, id).toContain(id);
  expect(readFileSync(out, "utf8")).toContain(`"'=cmd|' /C calc'!A0",`);

  // The rejects file: where and which rule, no values; the file name is escaped, the row a plain number.
  expect(s.rejected).toBeGreaterThan(0);
  const [rejectsHeader, ...rejects] = parse(rejectsFile);
  expect(rejectsHeader).toEqual(["file", "row", "column", "rule", "detail"]);
  expect(rejects.length).toBeGreaterThan(0);
  for (const row of rejects) {
    expect(row).toHaveLength(5);
    for (const cell of row) expect(runnable(cell), row.join("|")).toBe(false);
    expect(row[1]).toMatch(/^[1-9]\d*$/);
  }
  expect(new Set(rejects.map((r) => unescapeCsvCell(r[0])))).toEqual(new Set(["@SUM(1,2).csv"]));
  expect(rejects[0][0]).toBe("'@SUM(1,2).csv");
}, 180_000);
