/**
 * Data for the Cross-check page (internal): the newest registered model for the
 * dictionary's default target set against what staff decided, on the test and
 * pilot records. Views by band and by the baseline feature and the other
 * category features (the staff rate with its interval beside the mean score),
 * the later ratings of positive records by band (each target defined among the
 * default target's positives, e.g. RAG ratings of shared contacts), and the
 * disagreement queue: records ranked by how strongly model and decision disagree,
 * each with its features, the model's top contributing factors and, when the
 * dictionary names a person, that person's earlier records.
 *
 * Every name comes from the dictionary: the record key, person, event time,
 * decision and baseline feature from its roles, the columns beside each record
 * from the decision role and each target's variable, and every label shown from
 * its labels. Record keys appear here because reviewers must record verdicts
 * against them; this page is never part of the public build.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {defaultTarget, targetDefinition, type Dictionary, type Variable} from "../dictionary.ts";
import {queryColumns, queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {featureVariables, historyFeatures} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {encode, type Column} from "../../src/lib/features.ts";
import {integratedGradients} from "../../src/lib/models.ts";
import {band, contributions, topFactors} from "../../src/lib/contributions.ts";
import {wilson} from "../../src/lib/intervals.ts";
import {modellingRows, scoredRows} from "../evaluate/scored.ts";
import {newestModel, openModelDir, readFeatures, readMetrics} from "../registry.ts";
import {MODELS_DIR} from "../paths.ts";

/** Rows grouped by a key: n, staff rate (Wilson 95%), mean score. */
function byKey(keys: string[], y: number[], scores: number[]) {
  const acc = new Map<string, {n: number; k: number; s: number}>();
  keys.forEach((key, i) => {
    const a = acc.get(key) ?? {n: 0, k: 0, s: 0};
    a.n++;
    a.k += y[i];
    a.s += scores[i];
    acc.set(key, a);
  });
  return [...acc].map(([key, a]) => ({key, ...wilson(a.k, a.n), meanScore: a.s / a.n, gap: a.k / a.n - a.s / a.n}));
}

/** A variable as the page shows it: its label, and its codes' labels by code. */
function described(v: Variable) {
  return {label: v.label, codes: Object.fromEntries([...(v.codes ?? []), ...(v.special_codes ?? [])].map((c) => [c.code, c.label]))};
}

/**
 * An encoded column in words: "Who made the contact: Police", "Concerns includes Neglect",
 * "Age (years)"; a history feature by its definition, given the modelling table's history features.
 */
export function columnLabel(dict: Dictionary, column: Column, history: {name: string; definition: string}[] = []): string {
  const v = dict.variables.find((x) => x.name === column.variable);
  if (!v) return history.find((h) => h.name === column.variable)?.definition ?? column.name;
  const code = "code" in column ? (described(v).codes[column.code] ?? column.code) : "";
  if (column.kind === "one-hot" || column.kind === "special") return `${v.label}: ${code}`;
  if (column.kind === "multi-hot") return `${v.label} includes ${code}`;
  if (column.kind === "missing") return `${v.label}: missing`;
  return v.label;
}

/**
 * The variables the page shows a view by: the baseline feature (roles.baseline_feature)
 * first, then every other single-category feature that identifies no one (sensitivity none).
 */
export function viewVariables(dict: Dictionary): Variable[] {
  const baseline = dict.variables.find((v) => v.name === dict.roles.baseline_feature);
  const others = featureVariables(dict).filter((v) => v.type === "category" && v.sensitivity === "none" && v !== baseline);
  return [...(baseline ? [baseline] : []), ...others];
}

export async function crosscheckData(db: DuckDBConnection, dict: Dictionary, {dir = MODELS_DIR, queueSize = 300} = {}) {
  const {record, person, event_time: time, decision, baseline_feature: baseline} = dict.roles;
  const targetName = defaultTarget(dict);
  const target = targetDefinition(dict, targetName);
  const about = {target: {name: targetName, label: target.label, definition: target.definition}};
  const modelDir = newestModel(targetName, dir)?.dir ?? null;
  if (!modelDir) return {model: null, ...about};
  const byName = new Map(dict.variables.map((v) => [v.name, v]));
  // Beside each record: the staff decision and every target's variable (e.g. a rating given later).
  const columns = [...new Set([decision, ...Object.values(dict.targets).map((t) => t.variable)].filter((x): x is string => !!x))];
  const views = viewVariables(dict);
  // Targets labelled only among this target's positives (RAG ratings of shared contacts): their spread by band.
  const followUps = Object.entries(dict.targets).filter(
    ([name, t]) =>
      name !== targetName &&
      t.variable &&
      t.among &&
      t.among.variable === target.variable &&
      [...t.among.codes].sort().join() === [...(target.positive ?? [])].sort().join(),
  );
  const {card} = openModelDir(modelDir);
  const features = readFeatures(modelDir),
    metrics = readMetrics(modelDir);
  const p = features.columns.length;
  // The model's one scoring of the warehouse (loaders/evaluate/scored.ts); rows in full for the queue only.
  const scored = await scoredRows(db, dict, modelDir);
  const idx = scored.split.flatMap((s, i) => (s === "test" || s === "pilot" ? [i] : []));
  await useWasmBackend();
  const model = await loadModel(modelDir);
  try {
    const scores = idx.map((i) => scored.score[i]);
    const y = idx.map((i) => scored.y[i]);
    const ids = idx.map((i) => scored.id[i]);
    const wanted = new Set(ids);
    const read = [...new Set([...columns, ...views.map((v) => v.name), ...(baseline ? [baseline] : [])])];
    // Column by column: a million records as a few arrays, not a million objects.
    const extra = await queryColumns(
      db,
      `SELECT CAST(${ident(record)} AS VARCHAR) AS _id, ${read.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`).join(", ")} FROM contacts`,
    );
    const at = new Map<string, number>();
    extra._id.forEach((id, i) => wanted.has(String(id)) && at.set(String(id), i));
    const value = (id: string, name: string) => {
      const k = at.get(id);
      return (k === undefined ? null : (extra[name][k] ?? null)) as string | null;
    };
    const bands = scores.map((s) => band(s, metrics.ventiles));
    const disagreement = scores.map((s, i) => (y[i] === 1 ? 1 - s : s));
    const order = ids
      .map((_, i) => i)
      .sort((a, b) => disagreement[b] - disagreement[a] || ids[a].localeCompare(ids[b]))
      .slice(0, queueSize);

    // Top factors for the queue only: exact for the logistic model, integrated gradients for the MLP.
    const queued = await modellingRows(
      db,
      dict,
      modelDir,
      order.map((i) => ids[i]),
    );
    const rowOf = new Map(order.map((i, k) => [i, queued[k]]));
    const Xq = encode(features, queued, Float32Array);
    const names = features.columns.map((c) => c.name);
    const labels = new Map(features.columns.map((c) => [c.name, columnLabel(dict, c, historyFeatures(dict))]));
    let contrib: (k: number) => ArrayLike<number>;
    if (card.model === "logistic") {
      const w = model.getWeights()[0].dataSync() as Float32Array;
      contrib = (k) => contributions(Xq.subarray(k * p, (k + 1) * p), w, features.means);
    } else {
      const ig = integratedGradients(tf, model, Xq, order.length, p, features.means, 32);
      contrib = (k) => ig.subarray(k * p, (k + 1) * p);
    }
    const shown = featureVariables(dict).map((v) => v.name);
    const history = person
      ? await personHistory(
          db,
          {record, person, time, baseline, decision},
          order.map((i) => ids[i]),
        )
      : null;
    const directions = {positiveLow: `${target.label}: yes, model low`, negativeHigh: `${target.label}: no, model high`};
    const queue = order.map((i, k) => ({
      /** the record key (roles.record), as review files name it */
      record_id: ids[i],
      split: scored.split[idx[i]],
      time: scored.time[idx[i]],
      decision: decision ? value(ids[i], decision) : null,
      baseline: baseline ? value(ids[i], baseline) : null,
      /** the decision and each target's variable, by variable */
      values: Object.fromEntries(columns.map((c) => [c, value(ids[i], c)])),
      y: y[i],
      score: scores[i],
      band: bands[i],
      disagreement: disagreement[i],
      direction: y[i] === 1 ? directions.positiveLow : directions.negativeHigh,
      features: Object.fromEntries(shown.map((name) => [name, rowOf.get(i)![name] ?? null])),
      // The person's history: counts from the modelling table, earlier records from the warehouse.
      history: history && {
        person: rowOf.get(i)!.hist_person_records_12m ?? null,
        group: rowOf.get(i)!.hist_group_records_12m ?? null,
        daysSince: rowOf.get(i)!.hist_days_since_person_record ?? null,
        earlier: history.get(ids[i]) ?? [],
      },
      factors: topFactors(names, contrib(k), 5).map((f) => ({
        ...f,
        label: labels.get(f.name) ?? f.name,
        value: Number(f.value.toFixed(4)),
      })),
    }));
    const spread = (variable: string) => {
      const by = new Map<number, Record<string, number>>();
      ids.forEach((id, i) => {
        if (y[i] !== 1) return;
        const b = by.get(bands[i]) ?? {};
        const code = value(id, variable) ?? "missing";
        b[code] = (b[code] ?? 0) + 1;
        by.set(bands[i], b);
      });
      return [...by].sort((a, b) => a[0] - b[0]).flatMap(([b, counts]) => Object.entries(counts).map(([code, n]) => ({band: b, code, n})));
    };
    const roles = {
      record,
      person: person ?? null,
      group: dict.roles.group ?? null,
      time,
      decision: decision ?? null,
      baseline: baseline ?? null,
    };
    const named = [...Object.values(roles), ...shown, ...columns, ...views.map((v) => v.name)].filter((x): x is string => !!x);
    return {
      model: {id: card.id, kind: card.model},
      ...about,
      /** the variables playing each role the page uses (null: the dictionary names none) */
      roles,
      /** every variable the page names, with its label and its codes' labels */
      variables: Object.fromEntries([...new Set(named)].map((name) => [name, described(byName.get(name)!)])),
      columns,
      directions,
      n: ids.length,
      splits: {test: idx.filter((i) => scored.split[i] === "test").length, pilot: idx.filter((i) => scored.split[i] === "pilot").length},
      byBand: byKey(bands.map(String), y, scores)
        .map((d) => ({...d, band: Number(d.key)}))
        .sort((a, b) => a.band - b.band),
      views: views.map((v) => ({
        variable: v.name,
        label: v.label,
        rows: byKey(
          ids.map((id) => value(id, v.name) ?? "missing"),
          y,
          scores,
        ),
      })),
      followUps: followUps.map(([name, t]) => ({
        target: name,
        variable: t.variable!,
        label: byName.get(t.variable!)!.label,
        byBand: spread(t.variable!),
      })),
      queue,
    };
  } finally {
    model.dispose();
  }
}

/** The variables an earlier record is described by: each a role's variable. */
interface HistoryColumns {
  record: string;
  person: string;
  time: string;
  baseline?: string;
  decision?: string;
}

/**
 * The person's earlier records in the warehouse (date, and the baseline feature and
 * decision when the dictionary names them), up to five, for each queued record.
 */
async function personHistory(db: DuckDBConnection, {record, person, time, baseline, decision}: HistoryColumns, ids: string[]) {
  const out = new Map<string, {time: string; baseline?: string | null; decision?: string | null}[]>();
  if (!ids.length) return out;
  const [r, p, t] = [ident(record), ident(person), ident(time)];
  const described = [
    ...(baseline ? [`CAST(c.${ident(baseline)} AS VARCHAR) AS baseline`] : []),
    ...(decision ? [`CAST(c.${ident(decision)} AS VARCHAR) AS decision`] : []),
  ];
  const rows = await queryRows(
    db,
    `
    WITH q AS (SELECT ${r}, ${p}, ${t} FROM contacts WHERE ${r} IN (${ids.map(literal).join(", ")}))
    SELECT q.${r} AS id, strftime(c.${t}, '%Y-%m-%d') AS time${described.map((d) => `, ${d}`).join("")}
    FROM q JOIN contacts c ON c.${p} = q.${p} AND c.${t} < q.${t}
    QUALIFY row_number() OVER (PARTITION BY q.${r} ORDER BY c.${t} DESC) <= 5
    ORDER BY id, time DESC`,
  );
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (const row of rows) {
    const list = out.get(String(row.id)) ?? [];
    list.push({
      time: String(row.time),
      ...(baseline ? {baseline: text(row.baseline)} : {}),
      ...(decision ? {decision: text(row.decision)} : {}),
    });
    out.set(String(row.id), list);
  }
  return out;
}
