/**
 * Data for the Consistency page (internal): how consistently staff decide.
 *
 * 1. Case-mix adjusted sharing rates by screener and by team, for a funnel plot.
 *    The expected rate of each contact is the newest registered info_sharing
 *    model's score (it never sees the screener or team: both have role
 *    "excluded" in the dictionary), recalibrated in the large per month so that
 *    the expected total of every month equals what all screeners together
 *    decided that month: a screener is compared with colleagues deciding in the
 *    same months, and changes that touch everyone alike (a policy change, the
 *    model's drift since training) cancel out. O/E with 95% and 99.8% limits
 *    (src/lib/funnel.ts).
 * 2. Sharing by month, overall and in the segment each known change concerns,
 *    with the model's unadjusted expected rate beside it.
 * 3. Agreement on near-identical contacts (same key of dictionary features,
 *    same period): share of pairs decided by different screeners that agree,
 *    against pairs decided by the same screener (src/lib/agreement.ts).
 *
 * Contact ids never leave Node; screener ids are pseudonymised and the page is internal.
 */
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {openRegistered} from "../evaluate/registered.ts";
import {newestModel, type Card} from "../registry.ts";
import {MODELS_DIR} from "../paths.ts";
import {withWarehouse} from "../db.ts";
import {wilson, MIN_GROUP} from "../../src/lib/intervals.ts";
import {
  chanceOutside,
  funnelCurve,
  funnelUnit,
  overdispersion,
  shiftProbability,
  shiftToTotal,
  unitCounts,
  Z998,
  type FunnelUnit,
} from "../../src/lib/funnel.ts";
import {agreement, type ScreenerCell} from "../../src/lib/agreement.ts";
import {changeEvents, type ChangeEvent} from "./events.ts";
import {agreementCountsSql, keyParts} from "./sql.ts";

/** The newest registered model of the info_sharing target, or an error saying how to make one. */
export function newestSharingModel(dir = MODELS_DIR): {dir: string; card: Card} {
  const model = newestModel("info_sharing", dir);
  if (model) return model;
  throw new Error(`no registered info_sharing model in ${dir}/: run \`npx workbench train\` (npm run dev and build do it for you)`);
}

/** Per decided contact: month, screener, team, decision (0/1) and the model's probability. */
export interface ScoredContacts {
  month: string[];
  screener: string[];
  team: string[];
  y: Float64Array;
  score: Float64Array;
  /** the segment codes each change concerns, per contact */
  segment: Record<string, string[]>;
}

/** Scores every decided contact with the model in `dir` (contact ids stay in here). */
export async function scoreContacts(db: DuckDBConnection, dict: Dictionary, dir: string, segmentVars: string[]): Promise<ScoredContacts> {
  const m = await openRegistered(db, dict, dir);
  const cols = ["screener_id", "team", ...segmentVars.filter((v) => v !== "screener_id" && v !== "team")];
  const staff = new Map<string, Record<string, unknown>>();
  for (const r of await queryRows(
    db,
    `SELECT contact_id, ${cols.map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`).join(", ")} FROM contacts`,
  ))
    staff.set(String(r.contact_id), r);
  const rows = m.data.rows;
  try {
    const {scores: score} = m.score(rows);
    const of = (i: number, c: string) => String(staff.get(String(rows[i].contact_id))?.[c] ?? "missing");
    return {
      month: rows.map((r) => String(r._time).slice(0, 7)),
      screener: rows.map((_, i) => of(i, "screener_id")),
      team: rows.map((_, i) => of(i, "team")),
      y: Float64Array.from(rows, (r) => Number(r._y)),
      score,
      segment: Object.fromEntries(segmentVars.map((v) => [v, rows.map((_, i) => of(i, v))])),
    };
  } finally {
    m.dispose();
  }
}

/** Recalibrates scores in the large within each month: Σ expected = Σ observed per month. */
export function monthlyExpected(
  month: string[],
  y: ArrayLike<number>,
  score: ArrayLike<number>,
): {expected: Float64Array; shifts: {month: string; shift: number; n: number}[]} {
  const idx = new Map<string, number[]>();
  month.forEach((m, i) => (idx.get(m) ?? idx.set(m, []).get(m)!).push(i));
  const expected = new Float64Array(month.length);
  const shifts: {month: string; shift: number; n: number}[] = [];
  for (const [m, is] of [...idx].sort((a, b) => a[0].localeCompare(b[0]))) {
    const o = is.reduce((a, i) => a + y[i], 0);
    const p = is.map((i) => score[i]);
    const shift = o > 0 && o < is.length ? shiftToTotal(p, o) : 0;
    is.forEach((i, k) => (expected[i] = shiftProbability(p[k], shift)));
    shifts.push({month: m, shift, n: is.length});
  }
  return {expected, shifts};
}

/** Funnel data for one kind of unit (screener or team). */
export function funnel(units: string[], y: ArrayLike<number>, expected: ArrayLike<number>) {
  const counts = unitCounts(units, y, expected);
  const rows: (FunnelUnit & {tooFew: boolean})[] = counts.map((c) => {
    const f = funnelUnit(c);
    const tooFew = c.n < MIN_GROUP;
    return {...f, tooFew, flag: tooFew ? null : f.flag, outside998: !tooFew && f.outside998, outside95: !tooFew && f.outside95};
  });
  const n = y.length;
  let pSum = 0,
    vSum = 0,
    oSum = 0;
  for (let i = 0; i < n; i++) {
    pSum += expected[i];
    vSum += expected[i] * (1 - expected[i]);
    oSum += y[i];
  }
  const judged = rows.filter((r) => !r.tooFew);
  const ns = rows.map((r) => r.n);
  return {
    units: rows,
    pooled: {n, observed: oSum, rate: oSum / n, meanExpected: pSum / n, meanVariance: vSum / n},
    curve: funnelCurve(pSum / n, vSum / n, Math.max(1, Math.min(...ns) * 0.8), Math.max(...ns) * 1.25),
    flagged: {
      high: judged.filter((r) => r.flag === "high").length,
      low: judged.filter((r) => r.flag === "low").length,
      of: judged.length,
      tooFew: rows.length - judged.length,
    },
    outside95: judged.filter((r) => r.outside95).length,
    expectedByChance: {outside998: judged.length * chanceOutside(Z998), outside95: judged.length * 0.05},
    overdispersion: overdispersion(judged),
  };
}

/** Monthly sharing, observed with its Wilson interval and the model's unadjusted expectation, for all contacts or one segment. */
export function monthly(s: ScoredContacts, include: (i: number) => boolean) {
  const by = new Map<string, {n: number; k: number; e: number}>();
  for (let i = 0; i < s.y.length; i++) {
    if (!include(i)) continue;
    const m = by.get(s.month[i]) ?? by.set(s.month[i], {n: 0, k: 0, e: 0}).get(s.month[i])!;
    m.n++;
    m.k += s.y[i];
    m.e += s.score[i];
  }
  return [...by].sort((a, b) => a[0].localeCompare(b[0])).map(([month, m]) => ({month, ...wilson(m.k, m.n), expected: m.e / m.n}));
}

/** The change's segment of contacts vs the rest, over time, and before/after rates (six months each side). */
function changeSeries(s: ScoredContacts, e: ChangeEvent) {
  const entries = Object.entries(e.segment);
  const inSegment = (i: number) => entries.every(([v, code]) => s.segment[v][i] === code);
  const series = entries.length
    ? [
        {series: e.segmentLabel, rows: monthly(s, inSegment)},
        {series: "all other contacts", rows: monthly(s, (i) => !inSegment(i))},
      ]
    : [{series: "every contact", rows: monthly(s, () => true)}];
  const start = e.start.slice(0, 7);
  const addMonths = (ym: string, k: number) => {
    const d = new Date(`${ym}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + k);
    return d.toISOString().slice(0, 7);
  };
  // A change: the six months before against the six months from it. A window: the
  // window against the same months a year earlier (same season).
  const to = e.end ? addMonths(e.end.slice(0, 7), 1) : addMonths(start, 6);
  const before = e.end ? [addMonths(start, -12), addMonths(to, -12)] : [addMonths(start, -6), start];
  const compare = series.map(({series: name, rows}) => {
    const sum = (from: string, until: string) => {
      const xs = rows.filter((r) => r.month >= from && r.month < until);
      const k = xs.reduce((a, r) => a + r.k, 0),
        n = xs.reduce((a, r) => a + r.n, 0);
      return {...wilson(k, n), from, until: addMonths(until, -1), expected: n ? xs.reduce((a, r) => a + r.expected * r.n, 0) / n : NaN};
    };
    return {series: name, before: sum(before[0], before[1]), after: sum(start, to)};
  });
  return {...e, series, compare};
}

/** Agreement on near-identical contacts, overall and per period. */
async function agreementData(db: DuckDBConnection, dict: Dictionary, events: ChangeEvent[]) {
  const parts = keyParts(dict);
  const changes = events.flatMap((e) => (e.end ? [e.start, nextDay(e.end)] : [e.start]));
  const rows = await queryRows(db, agreementCountsSql(parts, changes));
  const groups = new Map<string, {period: string; cells: ScreenerCell[]}>();
  for (const r of rows) {
    const key = ["period", ...parts.map((_, i) => `k${i}`)].map((k) => String(r[k])).join("|");
    const g = groups.get(key) ?? groups.set(key, {period: String(r.period), cells: []}).get(key)!;
    g.cells.push({shared: Number(r.shared), notShared: Number(r.not_shared)});
  }
  const all = [...groups.values()];
  const periods = [...new Set(all.map((g) => g.period))].sort((a, b) => periodOrder(a).localeCompare(periodOrder(b)));
  return {
    key: parts.map((p) => ({variable: p.variable, definition: p.definition})),
    keyGroups: all.length,
    overall: agreement(all.map((g) => g.cells)),
    byPeriod: periods.map((period) => ({period, ...agreement(all.filter((g) => g.period === period).map((g) => g.cells))})),
  };
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 864e5).toISOString().slice(0, 10);
/** 'before X' sorts first, then 'from X' by date. */
const periodOrder = (p: string) => (p.startsWith("before") ? `0 ${p}` : `1 ${p.slice(5)}`);

export async function computeConsistency(dict: Dictionary = loadDictionary(), dir = MODELS_DIR) {
  const {dir: modelDir, card} = newestSharingModel(dir);
  const events = changeEvents(card.config.split);
  const segmentVars = [...new Set(events.flatMap((e) => Object.keys(e.segment)))];
  return withWarehouse(async (db) => {
    const s = await scoreContacts(db, dict, modelDir, segmentVars);
    const {expected, shifts} = monthlyExpected(s.month, s.y, s.score);
    return {
      model: {id: card.id, model: card.model, trainedAt: card.trainedAt, trainedBefore: card.config.split.validFrom},
      decided: s.y.length,
      method: {
        expected: "newest info_sharing model's score, recalibrated in the large per month (Σ expected = Σ observed each month)",
        limits: "O/E with normal-approximation limits 1 ± z·√V/E, V = Σ p(1 − p); z = 1.96 (95%) and 3.09 (99.8%); Spiegelhalter 2005",
        minN: MIN_GROUP,
      },
      monthlyShift: shifts,
      screeners: funnel(s.screener, s.y, expected),
      // The same funnel with the model's scores as they are: what the monthly recalibration changes.
      screenersUnadjusted: (({flagged, overdispersion, pooled}) => ({flagged, overdispersion, pooled}))(funnel(s.screener, s.y, s.score)),
      teams: funnel(s.team, s.y, expected),
      events: events.map((e) => changeSeries(s, e)),
      agreement: await agreementData(db, dict, events),
    };
  });
}
