/**
 * What-if probing (the Explanations page): a test contact's values edited in a form,
 * scored, banded and explained exactly as `workbench score` scores, bands and
 * explains a contact of an extract — the row encoded with the model's features.json
 * (`encode`), rounded to float32 as the registered model reads it, the score from the
 * model's own weights, the 1–20 band from its training ventiles (`band`), and the
 * contributions from the same exact explainer (`contributions` for the logistic model,
 * `pathIntegratedGradients` for the MLP) — and the nearest other contacts whose band
 * differs, by Gower distance on the raw values. Pure: the page and the tests run it
 * alike; the data come from src/data/whatif.json (loaders/pages/whatif.ts).
 *
 * @example const probe = whatIfProbe(data, data.models[0]); const r = probe.explain(edited); r.score, r.band
 */
import {encode, type Encoding, type Row, type Value} from "./features.js";
import {sigmoid} from "./logistic.js";
import {band, baselineLogit, contributions, pathIntegratedGradients, type DenseLayer} from "./contributions.js";

/** A model input as the form needs it: the dictionary's label, type, codes with labels and range. */
export interface FormVariable {
  name: string;
  label: string;
  definition?: string;
  type: "category" | "multi-category" | "integer" | "number" | "boolean";
  codes?: {code: string; label: string}[];
  special_codes?: {code: string; label: string}[];
  /** the dictionary's allowed range (none for history counts) */
  range?: [number, number] | null;
  /** the extract must hold a value (no "not recorded") */
  required?: boolean;
  /** counted from earlier records in the warehouse, not a column of the extract */
  history?: boolean;
}

/** One registered model as the page receives it. */
export interface WhatIfModel {
  id: string;
  target: string;
  targetLabel: string;
  model: "logistic" | "mlp";
  features: Encoding & {means: number[]};
  ventiles: number[];
  /** the dense layers' weights (kernel row-major inputs × units), as `denseLayers` reads them from the registered model */
  layers: DenseLayer[];
  /** labels of the encoded columns ("Who made the contact: Police") */
  labels: {columns: Record<string, string>};
  /** positions in `contacts` of the test contacts sampled for this model */
  sample: number[];
  /** test contacts the sample was drawn from */
  testN: number;
}

/** src/data/whatif.json: sampled test contacts (raw values, as training reads them) and the models. */
export interface WhatIfData {
  sample: {perBand: number};
  variables: FormVariable[];
  contacts: {id: string[]; values: Record<string, Value[]>};
  models: WhatIfModel[];
}

/** A contact scored and explained: contributions per encoded column sum to logit − baseline. */
export interface Explained {
  score: number;
  logit: number;
  band: number;
  /** log-odds of the average training contact */
  baseline: number;
  contributions: Float64Array;
}

/** The output log-odds of a dense ReLU network (one sigmoid unit last) at x, in double precision. */
export function forwardLogit(layers: DenseLayer[], x: ArrayLike<number>): number {
  let h: ArrayLike<number> = x;
  for (let l = 0; l < layers.length; l++) {
    const {kernel, bias, inputs, units} = layers[l];
    const out = Float64Array.from(bias);
    for (let i = 0; i < inputs; i++) {
      const hi = h[i];
      if (hi !== 0) for (let k = 0; k < units; k++) out[k] += hi * kernel[i * units + k];
    }
    if (l < layers.length - 1) for (let k = 0; k < units; k++) out[k] = Math.max(0, out[k]);
    h = out;
  }
  return h[0];
}

/**
 * Scores and explains rows with a model: `explain(row)` for one (edited) row, `score(rows)` for many.
 * @example whatIfScorer(model).explain(row).band // 1–20
 */
export function whatIfScorer(model: WhatIfModel) {
  const p = model.features.columns.length;
  const means = model.features.means;
  const {layers} = model;
  if (layers[0]?.inputs !== p)
    throw new Error(`model ${model.id}: its first layer takes ${layers[0]?.inputs} inputs, features.json names ${p}`);
  const logistic = model.model === "logistic";
  if (logistic && layers.length !== 1) throw new Error(`model ${model.id}: a logistic model has one dense layer, not ${layers.length}`);
  // The row as the registered model reads it: encoded, then float32 (workbench score's Float32Array).
  const encodeRows = (rows: Row[]) => encode(model.features, rows, Float32Array);
  const baseline = logistic ? baselineLogit(layers[0].bias[0], layers[0].kernel, means) : forwardLogit(layers, means);
  const logitOf = (x: ArrayLike<number>) => forwardLogit(layers, x);
  return {
    baseline,
    explain(row: Row): Explained {
      const x = encodeRows([row]);
      const logit = logitOf(x);
      const c = logistic ? contributions(x, layers[0].kernel, means) : pathIntegratedGradients(layers, x, 1, p, means).attributions;
      const score = sigmoid(logit);
      return {score, logit, band: band(score, model.ventiles), baseline, contributions: c};
    },
    score(rows: Row[]): {scores: Float64Array; bands: Int32Array} {
      const X = encodeRows(rows);
      const scores = new Float64Array(rows.length),
        bands = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        scores[i] = sigmoid(logitOf(X.subarray(i * p, (i + 1) * p)));
        bands[i] = band(scores[i], model.ventiles);
      }
      return {scores, bands};
    },
  };
}

/** The row of contact i of the shipped columns (record id as `_id`). */
export function contactRow(contacts: WhatIfData["contacts"], i: number): Row {
  const row: Row = {_id: contacts.id[i]};
  for (const [name, column] of Object.entries(contacts.values)) row[name] = column[i];
  return row;
}

const specialOf = (row: Row, name: string) => {
  const s = row[`${name}_code`];
  return typeof s === "string" && s !== "" ? s : null;
};
const isMissing = (v: Value) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** The codes of a multi-category value ("a;b", a list, or nothing). */
export function codeList(v: Value): string[] {
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? v.split(";").filter((c) => c !== "") : [];
}

/** A variable's value in a row, in words: the code's label, the number, "not recorded". */
export function valueText(v: FormVariable, row: Row): string {
  const special = specialOf(row, v.name);
  if (special) return v.special_codes?.find((c) => c.code === special)?.label ?? special;
  const value = row[v.name];
  const label = (code: string) => v.codes?.find((c) => c.code === code)?.label ?? code;
  if (v.type === "multi-category") {
    const codes = codeList(value);
    return codes.length ? codes.map(label).join(", ") : "none";
  }
  if (isMissing(value)) return "not recorded";
  if (v.type === "boolean") {
    const yes = value === true || value === "yes" || value === 1;
    return (yes ? v.codes?.[0]?.label : v.codes?.[1]?.label) ?? (yes ? "yes" : "no");
  }
  if (typeof value === "number") return value.toLocaleString("en-GB");
  return label(String(value));
}

/** A value's identity for comparing two rows (multi-category codes as a set). */
function valueKey(v: FormVariable, row: Row): string {
  const special = specialOf(row, v.name);
  if (special) return `special:${special}`;
  const value = row[v.name];
  if (v.type === "multi-category") return codeList(value).sort().join(";");
  if (isMissing(value)) return "";
  if (v.type === "boolean") return value === true || value === "yes" || value === 1 ? "yes" : "no";
  return String(value);
}

/**
 * The variables whose value differs between two rows, in words.
 * @example changes(vars, original, edited) // [{name: "source", label: "Who made the contact", from: "Police", to: "Schools"}]
 */
export function changes(variables: FormVariable[], before: Row, after: Row) {
  return variables
    .filter((v) => valueKey(v, before) !== valueKey(v, after))
    .map((v) => ({name: v.name, label: v.label, from: valueText(v, before), to: valueText(v, after)}));
}

/**
 * What the dictionary would say of an edited value, or null: a required value missing,
 * a number outside the dictionary's range or not whole. The model still scores it.
 * @example valueProblem(age, {age_years: 30}) // "outside the dictionary's range 0–17"
 */
export function valueProblem(v: FormVariable, row: Row): string | null {
  if (specialOf(row, v.name)) return null;
  const value = row[v.name];
  if (isMissing(value)) return v.required ? "the dictionary requires a value: ingest would reject this contact" : null;
  if (typeof value !== "number") return null;
  if (v.type === "integer" && !Number.isInteger(value)) return "not a whole number";
  if (v.range && (value < v.range[0] || value > v.range[1])) return `outside the dictionary's range ${v.range[0]}–${v.range[1]}`;
  if (v.history && value < 0) return "a count cannot be below 0";
  return null;
}

/** Each number's range over the rows (Gower scales a difference in a number by it). */
export function numericRanges(variables: FormVariable[], rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of variables) {
    if (v.type !== "integer" && v.type !== "number") continue;
    let lo = Infinity,
      hi = -Infinity;
    for (const r of rows) {
      const x = r[v.name];
      if (typeof x === "number" && Number.isFinite(x) && !specialOf(r, v.name)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
    }
    out[v.name] = hi > lo ? hi - lo : 0;
  }
  return out;
}

/**
 * Gower distance between two rows on the raw values: the mean over the variables of a
 * distance from 0 to 1 — a category, yes/no or special code (e.g. "unborn"): 0 when the
 * same, else 1, "not recorded" counting as a value of its own; a number: the difference
 * over its range in the sample (at most 1); a multi-category: the share of codes present
 * in one row but not both (Jaccard distance). Returns the distance and the variables that differ.
 * @example gower(vars, ranges, a, b) // {distance: 0.083, differ: ["source"]}
 */
export function gower(variables: FormVariable[], ranges: Record<string, number>, a: Row, b: Row): {distance: number; differ: string[]} {
  let total = 0;
  const differ: string[] = [];
  for (const v of variables) {
    let d: number;
    if (v.type === "multi-category") {
      const x = new Set(codeList(a[v.name])),
        y = new Set(codeList(b[v.name]));
      const union = new Set([...x, ...y]).size;
      const both = [...x].filter((c) => y.has(c)).length;
      d = union ? 1 - both / union : 0;
    } else if (
      (v.type === "integer" || v.type === "number") &&
      typeof a[v.name] === "number" &&
      typeof b[v.name] === "number" &&
      !specialOf(a, v.name) &&
      !specialOf(b, v.name)
    ) {
      const range = ranges[v.name] ?? 0;
      const diff = Math.abs((a[v.name] as number) - (b[v.name] as number));
      d = diff === 0 ? 0 : range > 0 ? Math.min(1, diff / range) : 1;
    } else d = valueKey(v, a) === valueKey(v, b) ? 0 : 1;
    total += d;
    if (d > 0) differ.push(v.name);
  }
  return {distance: variables.length ? total / variables.length : 0, differ};
}

/**
 * A model's sampled test contacts, scored and banded, with the scorer and the form's variables:
 * what the page's what-if section runs on.
 * @example const probe = whatIfProbe(data, data.models[0]); probe.nearestOtherBand(row, 12)
 */
export function whatIfProbe(data: WhatIfData, model: WhatIfModel) {
  const scorer = whatIfScorer(model);
  const rows = model.sample.map((i) => contactRow(data.contacts, i));
  const {scores, bands} = scorer.score(rows);
  const variables = model.features.variables.map((name) => {
    const v = data.variables.find((x) => x.name === name);
    if (!v) throw new Error(`model ${model.id} uses "${name}", which the what-if data do not describe`);
    return v;
  });
  const ranges = numericRanges(variables, rows);
  return {
    model,
    rows,
    scores,
    bands,
    variables,
    ranges,
    baseline: scorer.baseline,
    explain: scorer.explain,
    /**
     * The k sampled contacts nearest to `row` (Gower distance) whose band is not `ofBand`,
     * nearest first (ties by position); `exclude` leaves out one sampled contact (the one being edited).
     */
    nearestOtherBand(row: Row, ofBand: number, {k = 5, exclude = -1} = {}) {
      const found: {index: number; id: string; score: number; band: number; distance: number; differ: ReturnType<typeof changes>}[] = [];
      const candidates: {index: number; distance: number; differ: string[]}[] = [];
      rows.forEach((r, i) => {
        if (i !== exclude && bands[i] !== ofBand) candidates.push({index: i, ...gower(variables, ranges, row, r)});
      });
      candidates.sort((a, b) => a.distance - b.distance || a.index - b.index);
      for (const c of candidates.slice(0, k))
        found.push({
          index: c.index,
          id: String(rows[c.index]._id),
          score: scores[c.index],
          band: bands[c.index],
          distance: c.distance,
          differ: changes(
            variables.filter((v) => c.differ.includes(v.name)),
            row,
            rows[c.index],
          ),
        });
      return found;
    },
  };
}

/**
 * The k largest contributions by size with their labels, and the rest summed, for a chart.
 * @example topContributions(r.contributions, model, 10) // [{name: "Who made the contact: Police", value: 0.8}, …, {name: "all other inputs", value: 0.1}]
 */
export function topContributions(contrib: ArrayLike<number>, model: WhatIfModel, k = 10): {name: string; value: number}[] {
  const all = model.features.columns.map((c, j) => ({name: model.labels.columns[c.name] ?? c.name, value: contrib[j]}));
  const top = all
    .filter((f) => f.value !== 0)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.name.localeCompare(b.name))
    .slice(0, k);
  const shown = new Set(top);
  const rest = all.filter((f) => !shown.has(f)).reduce((s, f) => s + f.value, 0);
  return [...top, {name: "all other inputs", value: rest}];
}
