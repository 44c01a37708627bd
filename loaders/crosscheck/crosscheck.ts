/**
 * Data for the Cross-check page (internal): the newest registered model for the
 * information-sharing decision set against what staff decided, on the test and
 * pilot contacts. Views by band, referral source and primary concern (staff rate
 * with its interval beside the mean score), the RAG rating by band, and the
 * disagreement queue: contacts ranked by how strongly model and decision
 * disagree, each with its features, the model's top contributing factors and
 * the child's earlier contacts. Contact ids appear here because reviewers must
 * record verdicts against them; this page is never part of the public build.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {literal} from "../sql.ts";
import {featureVariables} from "../train/dataset.ts";
import {tf} from "../train/tf-node.ts";
import type {Row} from "../../src/lib/features.ts";
import {integratedGradients} from "../../src/lib/models.ts";
import {band, contributions, topFactors} from "../../src/lib/contributions.ts";
import {wilson} from "../../src/lib/intervals.ts";
import {openRegistered} from "../evaluate/registered.ts";
import {newestModel} from "../registry.ts";
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

export async function crosscheckData(db: DuckDBConnection, dict: Dictionary, {dir = MODELS_DIR, queueSize = 300} = {}) {
  const modelDir = newestModel("info_sharing", dir)?.dir ?? null;
  if (!modelDir) return {model: null};
  const m = await openRegistered(db, dict, modelDir);
  const {features, card, metrics, split, model, p} = m;
  const idx = m.data.rows.map((_, i) => i).filter((i) => split.splits[i] === "test" || split.splits[i] === "pilot");
  const rows: Row[] = idx.map((i) => m.data.rows[i]);
  try {
    const {X, scores: s} = m.score(rows);
    const scores = Array.from(s);
    const y = rows.map((r) => Number(r._y));
    const ids = rows.map((r) => String(r.contact_id));
    const extra = new Map<string, Record<string, unknown>>();
    const wanted = new Set(ids);
    for (const r of await queryRows(db, `SELECT contact_id, mash_decision, rag_rating, primary_concern, referral_source FROM contacts`))
      if (wanted.has(String(r.contact_id))) extra.set(String(r.contact_id), r);
    const bands = scores.map((s) => band(s, metrics.ventiles));
    const disagreement = scores.map((s, i) => (y[i] === 1 ? 1 - s : s));
    const order = ids
      .map((_, i) => i)
      .sort((a, b) => disagreement[b] - disagreement[a] || ids[a].localeCompare(ids[b]))
      .slice(0, queueSize);

    // Top factors for the queue only: exact for the logistic model, integrated gradients for the MLP.
    const Xq = new Float32Array(order.length * p);
    order.forEach((i, k) => Xq.set(X.subarray(i * p, (i + 1) * p), k * p));
    const names = features.columns.map((c) => c.name);
    let contrib: (k: number) => ArrayLike<number>;
    if (card.model === "logistic") {
      const w = model.getWeights()[0].dataSync() as Float32Array;
      contrib = (k) => contributions(Xq.subarray(k * p, (k + 1) * p), w, features.means);
    } else {
      const ig = integratedGradients(tf, model, Xq, order.length, p, features.means, 32);
      contrib = (k) => ig.subarray(k * p, (k + 1) * p);
    }
    const shown = featureVariables(dict).map((v) => v.name);
    const history = await childHistory(
      db,
      order.map((i) => ids[i]),
    );
    const queue = order.map((i, k) => ({
      contact_id: ids[i],
      split: split.splits[idx[i]],
      time: String(rows[i]._time),
      decision: String(extra.get(ids[i])?.mash_decision ?? ""),
      rag: extra.get(ids[i])?.rag_rating ?? null,
      shared: y[i],
      score: scores[i],
      band: bands[i],
      disagreement: disagreement[i],
      direction: y[i] === 1 ? "staff shared, model low" : "staff did not share, model high",
      features: Object.fromEntries(shown.map((name) => [name, rows[i][name] ?? null])),
      history: {
        child: rows[i].hist_child_contacts_12m,
        household: rows[i].hist_household_contacts_12m,
        daysSince: rows[i].hist_days_since_child_contact,
        earlier: history.get(ids[i]) ?? [],
      },
      factors: topFactors(names, contrib(k), 5).map((f) => ({...f, value: Number(f.value.toFixed(4))})),
    }));
    const ragByBand = new Map<number, Record<string, number>>();
    ids.forEach((id, i) => {
      if (y[i] !== 1) return;
      const b = ragByBand.get(bands[i]) ?? {};
      const rag = String(extra.get(id)?.rag_rating ?? "missing");
      b[rag] = (b[rag] ?? 0) + 1;
      ragByBand.set(bands[i], b);
    });
    return {
      model: {id: card.id, kind: card.model},
      n: ids.length,
      splits: {test: idx.filter((i) => split.splits[i] === "test").length, pilot: idx.filter((i) => split.splits[i] === "pilot").length},
      byBand: byKey(bands.map(String), y, scores)
        .map((d) => ({...d, band: Number(d.key)}))
        .sort((a, b) => a.band - b.band),
      bySource: byKey(
        ids.map((id) => String(extra.get(id)?.referral_source ?? "missing")),
        y,
        scores,
      ),
      byConcern: byKey(
        ids.map((id) => String(extra.get(id)?.primary_concern ?? "missing")),
        y,
        scores,
      ),
      ragByBand: [...ragByBand]
        .sort((a, b) => a[0] - b[0])
        .flatMap(([b, counts]) => Object.entries(counts).map(([rag, n]) => ({band: b, rag, n}))),
      queue,
    };
  } finally {
    m.dispose();
  }
}

/** The child's earlier contacts in the warehouse (date, source, decision), up to five, for each queued contact. */
async function childHistory(db: DuckDBConnection, ids: string[]) {
  const out = new Map<string, {time: string; source: string; decision: string | null}[]>();
  if (!ids.length) return out;
  const rows = await queryRows(
    db,
    `
    WITH q AS (SELECT contact_id, child_id, contact_datetime FROM contacts WHERE contact_id IN (${ids.map(literal).join(", ")}))
    SELECT q.contact_id AS id, strftime(c.contact_datetime, '%Y-%m-%d') AS time, CAST(c.referral_source AS VARCHAR) AS source, CAST(c.mash_decision AS VARCHAR) AS decision
    FROM q JOIN contacts c ON c.child_id = q.child_id AND c.contact_datetime < q.contact_datetime
    QUALIFY row_number() OVER (PARTITION BY q.contact_id ORDER BY c.contact_datetime DESC) <= 5
    ORDER BY id, time DESC`,
  );
  for (const r of rows) {
    const list = out.get(String(r.id)) ?? [];
    list.push({time: String(r.time), source: String(r.source), decision: r.decision === null ? null : String(r.decision)});
    out.set(String(r.id), list);
  }
  return out;
}
