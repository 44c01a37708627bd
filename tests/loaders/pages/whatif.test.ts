// The what-if data (loaders/pages/whatif.ts) on a small project with a logistic model and an
// MLP: test contacts sampled by band, nothing but the inputs and the record id; and the
// what-if scorer (src/lib/whatif.ts) against `workbench score` — contacts edited in one or
// two values, written into the extract in place of the recorded values, scored by the real
// scoreExtract: the same probability (to 1e-6), band, baseline and top factors, and
// contributions that add up to logit − baseline.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, TINY_MLP, type MiniProject} from "../../fixtures/mini-project.ts";
import {DEFAULT_CONFIG} from "../../../loaders/train/train.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {queryRows, withWarehouse} from "../../../loaders/db.ts";
import {scoreExtract} from "../../../loaders/score/score.ts";
import {readMetrics} from "../../../loaders/registry.ts";
import {stratifiedSample, whatIfData} from "../../../loaders/pages/whatif.ts";
import {band, topFactors} from "../../../src/lib/contributions.ts";
import {csvRecords} from "../../../src/lib/csv.ts";
import type {Row} from "../../../src/lib/features.ts";
import {seeded} from "../../../src/lib/random.ts";
import {codeList, whatIfProbe, type FormVariable, type WhatIfData} from "../../../src/lib/whatif.ts";

const PER_BAND = 10;
let project: MiniProject;
let data: WhatIfData;

beforeAll(async () => {
  project = await miniProject({
    ...SMALL_YEAR,
    seed: 23,
    contacts: 4000,
    models: [{model: "logistic"}, {model: "mlp", mlp: {...DEFAULT_CONFIG.mlp, ...TINY_MLP, hidden: [8, 4]}}],
  });
  data = await whatIfData(loadDictionary(project.dictionary), {
    modelsDir: project.modelsDir,
    warehouse: project.warehouse,
    perBand: PER_BAND,
  });
}, 180_000);
afterAll(() => project?.remove());

/** A model's test predictions as training recorded them: id → score. */
function testScores(dir: string): Map<string, number> {
  const [head, ...rows] = csvRecords(readFileSync(join(dir, "predictions.internal.csv"), "utf8")).map((r) => r.fields);
  const [id, split, score] = ["id", "split", "score"].map((c) => head.indexOf(c));
  return new Map(rows.filter((f) => f[split] === "test").map((f) => [f[id], Number(f[score])]));
}

describe("whatIfData", () => {
  it("samples up to the per-band number of each model's test contacts from every band, ordered by score", () => {
    expect(data.models.map((m) => m.model).sort()).toEqual(["logistic", "mlp"]);
    for (const m of data.models) {
      const dir = project.models.find((r) => r.dir.endsWith(m.id))!.dir;
      const scores = testScores(dir);
      expect(m.testN).toBe(scores.size);
      expect(m.ventiles).toEqual(readMetrics(dir).ventiles);
      const ids = m.sample.map((i) => data.contacts.id[i]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(scores.has(id), id).toBe(true);
      const bandOf = (id: string) => band(scores.get(id)!, m.ventiles);
      for (let b = 1; b <= 20; b++) {
        const available = [...scores.keys()].filter((id) => bandOf(id) === b).length;
        expect(ids.filter((id) => bandOf(id) === b).length, `${m.id} band ${b}`).toBe(Math.min(PER_BAND, available));
      }
      const sampled = ids.map((id) => scores.get(id)!);
      expect(sampled).toEqual([...sampled].sort((a, b) => a - b));
    }
  });

  it("ships only the models' inputs and the record id: no child or household id, no date", async () => {
    const inputs = new Set(data.models.flatMap((m) => m.features.variables));
    for (const column of Object.keys(data.contacts.values)) expect(inputs.has(column.replace(/_code$/, "")), column).toBe(true);
    for (const column of Object.values(data.contacts.values)) expect(column).toHaveLength(data.contacts.id.length);
    const others = await withWarehouse(
      (db) => queryRows(db, `SELECT DISTINCT child_id AS v FROM contacts UNION SELECT DISTINCT household_id FROM contacts`),
      project.warehouse,
    );
    const text = JSON.stringify(data);
    expect(others.length).toBeGreaterThan(100);
    expect(others.filter((r) => text.includes(`"${r.v}"`))).toEqual([]);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("draws the same sample for the same seed, another for another", () => {
    const bands = Array.from({length: 300}, (_, i) => 1 + (i % 20));
    const scores = Array.from({length: 300}, (_, i) => i / 300);
    const a = stratifiedSample(bands, scores, 5, 1);
    expect(a).toEqual(stratifiedSample(bands, scores, 5, 1));
    expect(a).not.toEqual(stratifiedSample(bands, scores, 5, 2));
    expect(a).toHaveLength(100);
  });
});

/** The extract's text of a variable's value in a row (codes as the dictionary spells them). */
function cell(v: FormVariable, row: Row, dictCodes: {code: string}[] = v.codes ?? []): string {
  const special = row[`${v.name}_code`];
  if (typeof special === "string" && special) return special;
  const value = row[v.name];
  if (value === null || value === undefined) return "";
  if (v.type === "boolean") return value === true ? dictCodes[0].code : dictCodes[1].code;
  if (v.type === "multi-category") return codeList(value).join(";");
  return String(value);
}

/** Changes one value of the row to another the dictionary allows (seeded). */
function editValue(v: FormVariable, row: Row, rand: () => number): void {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  if (v.type === "category") {
    const options = [...(v.codes ?? []).map((c) => c.code as string | null), ...(v.required ? [] : [null])];
    row[v.name] = pick(options.filter((c) => c !== (row[v.name] ?? null)));
  } else if (v.type === "boolean") {
    row[v.name] = row[v.name] === true ? false : true;
  } else if (v.type === "multi-category") {
    const on = new Set(codeList(row[v.name]));
    const code = pick((v.codes ?? []).map((c) => c.code));
    if (on.has(code) && on.size > 1) on.delete(code);
    else on.add(code);
    row[v.name] = (v.codes ?? [])
      .map((c) => c.code)
      .filter((c) => on.has(c))
      .join(";");
  } else {
    const [lo, hi] = v.range ?? [0, 20];
    if (v.special_codes?.length && !row[`${v.name}_code`] && rand() < 0.2) {
      [row[v.name], row[`${v.name}_code`]] = [null, v.special_codes[0].code];
      return;
    }
    let x = row[v.name];
    while (x === row[v.name]) x = lo + Math.floor(rand() * (Math.min(hi, lo + 30) - lo + 1));
    [row[v.name], row[`${v.name}_code`]] = [x, null];
  }
}

describe("what-if scores against workbench score", () => {
  it("an edited contact scores, bands and is explained as `workbench score` scores the edited row, for the logistic model and the MLP", async () => {
    const header = readFileSync(project.csv, "utf8").split("\n")[0].split(",");
    const idColumn = header.indexOf(loadDictionary(project.dictionary).roles.record);
    const report: string[] = [];
    for (const m of data.models) {
      const dir = project.models.find((r) => r.dir.endsWith(m.id))!.dir;
      const probe = whatIfProbe(data, m);
      const rand = seeded(m.model === "logistic" ? 5 : 6);
      // The extract's own inputs (history counts come from other records, so they are not edited here).
      const editable = probe.variables.filter((v) => !v.history);
      const edits = new Map<string, {row: Row; edited: string[]}>();
      for (const i of probe.rows
        .map((_, k) => k)
        .filter(() => rand() < 0.35)
        .slice(0, 40)) {
        const row = {...probe.rows[i]};
        const names = new Set([Math.floor(rand() * editable.length), Math.floor(rand() * editable.length)].map((k) => editable[k].name));
        for (const name of names)
          editValue(
            editable.find((v) => v.name === name)!,
            row,
            rand,
          );
        edits.set(String(row._id), {row, edited: [...names]});
      }
      expect(edits.size).toBeGreaterThanOrEqual(30);
      // The extract with the edited values written over the recorded ones (every other row and cell as it was).
      const lines = readFileSync(project.csv, "utf8").replace(/\r\n/g, "\n").trimEnd().split("\n");
      expect(lines.every((l) => !l.includes('"'))).toBe(true);
      const extract = join(project.root, `edited-${m.model}.csv`);
      writeFileSync(
        extract,
        lines
          .map((line, k) => {
            const fields = line.split(",");
            const e = k > 0 ? edits.get(fields[idColumn]) : undefined;
            if (!e) return line;
            for (const name of e.edited) {
              const at = header.indexOf(name);
              expect(at, name).toBeGreaterThanOrEqual(0);
              fields[at] = cell(
                editable.find((v) => v.name === name)!,
                e.row,
              );
            }
            return fields.join(",");
          })
          .join("\n") + "\n",
      );
      const out = join(project.root, `scores-${m.model}.csv`);
      const summary = await scoreExtract({model: dir, extract: [extract], out, dictionary: project.dictionary});
      expect(summary.rejected).toBe(0); // every edited value is one the dictionary allows
      const [head, ...rows] = csvRecords(readFileSync(out, "utf8")).map((r) => r.fields);
      const col = (name: string) => head.indexOf(name);
      const scored = new Map(rows.map((f) => [f[0], f]));
      const names = m.features.columns.map((c) => c.name);
      let maxDiff = 0,
        moved = 0,
        ties = 0;
      const check = (row: Row, edited: boolean) => {
        const f = scored.get(String(row._id))!;
        expect(f, String(row._id)).toBeDefined();
        const r = probe.explain(row);
        const probability = Number(f[col("probability")]);
        maxDiff = Math.max(maxDiff, Math.abs(r.score - probability));
        expect(Math.abs(r.score - probability), `${m.id} ${row._id}`).toBeLessThanOrEqual(1e-6);
        // A score within 1e-6 of a band's lower edge may fall either side in float32: counted, not compared.
        if (m.ventiles.some((t) => Math.abs(t - r.score) < 1e-6)) ties++;
        else expect(r.band, `${m.id} ${row._id}`).toBe(Number(f[col("band")]));
        expect(Math.abs(r.baseline - Number(f[col("baseline_log_odds")]))).toBeLessThan(1e-4);
        const sum = r.contributions.reduce((a, b) => a + b, 0);
        expect(Math.abs(r.logit - r.baseline - sum)).toBeLessThan(1e-9);
        const top = topFactors(names, r.contributions, 3);
        top.forEach((t, k) => {
          expect(f[col(`factor_${k + 1}`)]).toBe(t.name);
          expect(Math.abs(Number(f[col(`contribution_${k + 1}`)]) - t.value)).toBeLessThan(1e-4);
        });
        if (edited) {
          const before = probe.explain(probe.rows[probe.rows.findIndex((x) => x._id === row._id)]);
          if (Math.abs(before.score - r.score) > 1e-4) moved++;
        }
      };
      for (const {row} of edits.values()) check(row, true);
      for (const row of probe.rows) if (!edits.has(String(row._id))) check(row, false);
      // The edits mattered: most moved the score, so the match is not the unedited contact's.
      expect(moved).toBeGreaterThan(edits.size * 0.6);
      expect(ties).toBeLessThanOrEqual(1);
      report.push(
        `${m.model}: ${edits.size} edited + ${probe.rows.length - edits.size} unedited contacts, max |Δ| ${maxDiff.toExponential(2)}, ${moved} moved`,
      );
    }
    console.info(report.join("\n"));
  }, 120_000);
});
