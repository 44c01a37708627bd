/**
 * Data for the Consistency page (internal): how consistently staff decide. Every
 * name comes from the dictionary: the staff member (roles.staff), the team
 * (roles.team, optional), the decision (roles.decision), the event time and the
 * record key, and the target the page judges (its default_target, a staff
 * decision with positive codes). Without a staff or decision role the page has
 * nothing to compare: `computeConsistency` then says what it needs instead.
 *
 * 1. Case-mix adjusted positive-decision rates by staff member and by team, for a
 *    funnel plot. The expected rate of each record is the newest registered
 *    model's score for the target (it never sees the staff member or team: both
 *    have role "excluded" in the dictionary), recalibrated in the large per month
 *    so that the expected total of every month equals what all staff together
 *    decided that month: a staff member is compared with colleagues deciding in
 *    the same months, and changes that touch everyone alike (a policy change, the
 *    model's drift since training) cancel out. O/E with 95% and 99.8% limits
 *    (src/lib/funnel.ts).
 * 2. The positive rate by month, overall and in the segment each known change
 *    concerns, with the model's unadjusted expected rate beside it.
 * 3. Agreement on near-identical records (same key of dictionary features, same
 *    period): share of pairs decided by different staff members that agree,
 *    against pairs decided by the same one (src/lib/agreement.ts).
 *
 * Record keys never leave Node; staff references are pseudonymised and the page is internal.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {
  defaultTarget,
  loadDictionary,
  roleVariable,
  targetDefinition,
  variable,
  type Dictionary,
  type TargetDefinition,
} from "../dictionary.ts";
import {queryColumns, queryRows} from "../db.ts";
import {scoredRows} from "../evaluate/scored.ts";
import {newestModel, type Card} from "../registry.ts";
import {MODELS_DIR, WAREHOUSE} from "../paths.ts";
import {withWarehouse} from "../db.ts";
import {ident} from "../sql.ts";
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
import {agreement, type StaffCell} from "../../src/lib/agreement.ts";
import {changeEvents, type ChangeEvent} from "./events.ts";
import {agreementCountsSql, keyParts, type AgreementColumns} from "./sql.ts";

/** The answer when the dictionary lacks what the page compares: what it needs, in a sentence. */
export interface ConsistencyUnavailable {
  available: false;
  /** the dictionary fields it would need, e.g. ["roles.staff", "roles.decision"] */
  needs: string[];
  reason: string;
}

/** What the page reads from the dictionary: role variables and the target, resolved. */
interface ConsistencyRoles {
  record: string;
  time: string;
  staff: string;
  team?: string;
  decision: string;
  target: {name: string; variable: string; positive: string[]} & Pick<TargetDefinition, "among" | "label" | "definition">;
}

/**
 * The roles and target the page needs, or what is missing: a staff role, a decision
 * role, and a default target that is a decision on a variable (not a recurrence).
 */
export function consistencyRoles(dict: Dictionary): ConsistencyRoles | ConsistencyUnavailable {
  const needs: string[] = [];
  const words: string[] = [];
  if (!dict.roles.staff) {
    needs.push("roles.staff");
    words.push("who decided each record (roles.staff)");
  }
  if (!dict.roles.decision) {
    needs.push("roles.decision");
    words.push("what they decided (roles.decision)");
  }
  const name = Object.keys(dict.targets).length ? defaultTarget(dict) : undefined;
  const t = name ? targetDefinition(dict, name) : undefined;
  if (!name || !t?.variable || !t.positive) {
    needs.push(name ? `targets.${name}.variable` : "default_target");
    words.push(`a default target that is a decision with positive codes${name ? ` (${name} is a recurrence)` : ""}`);
  }
  const {staff, decision} = dict.roles;
  if (!staff || !decision || !name || !t?.variable || !t.positive)
    return {
      available: false,
      needs,
      reason: `The Consistency page compares how staff decide records that look alike, so it needs ${words.join(" and ")}, which the dictionary "${dict.title}" does not name.`,
    };
  return {
    record: dict.roles.record,
    time: dict.roles.event_time,
    staff,
    team: dict.roles.team,
    decision,
    target: {name, variable: t.variable, positive: t.positive, among: t.among, label: t.label, definition: t.definition},
  };
}

/** The newest registered model of `target`, or an error saying how to make one. */
export function newestTargetModel(target: string, dir = MODELS_DIR): {dir: string; card: Card} {
  const model = newestModel(target, dir);
  if (model) return model;
  throw new Error(
    `no registered ${target} model in ${dir}/: run \`npx workbench train --target ${target}\` (npm run dev and build train the default target for you)`,
  );
}

/** Per decided record: month, staff member, team, decision (0/1) and the model's probability. */
export interface ScoredContacts {
  month: string[];
  staff: string[];
  /** null when the dictionary names no team */
  team: string[] | null;
  y: Float64Array;
  score: Float64Array;
  /** the segment codes each change concerns, per record */
  segment: Record<string, string[]>;
}

/** Every decided record scored with the model in `dir` (its one scoring of the warehouse; record keys stay in here). */
export async function scoreContacts(db: DuckDBConnection, dict: Dictionary, dir: string, segmentVars: string[]): Promise<ScoredContacts> {
  const staffVar = roleVariable(dict, "staff", "the Consistency page");
  const teamVar = dict.roles.team;
  const s = await scoredRows(db, dict, dir);
  const cols = [...new Set([staffVar, ...(teamVar ? [teamVar] : []), ...segmentVars])];
  // Column by column: a million records as a few arrays, not a million objects.
  const c = await queryColumns(
    db,
    `SELECT CAST(${ident(dict.roles.record)} AS VARCHAR) AS _id, ${cols.map((v) => `CAST(${ident(v)} AS VARCHAR) AS ${ident(v)}`).join(", ")} FROM contacts`,
  );
  const at = new Map<string, number>();
  c._id.forEach((id, i) => at.set(String(id), i));
  const position = s.id.map((id) => at.get(id));
  const of = (name: string) => position.map((k) => String((k === undefined ? null : c[name][k]) ?? "missing"));
  return {
    month: s.time.map((t) => t.slice(0, 7)),
    staff: of(staffVar),
    team: teamVar ? of(teamVar) : null,
    y: s.y,
    score: s.score,
    segment: Object.fromEntries(segmentVars.map((v) => [v, of(v)])),
  };
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

/** Funnel data for one kind of unit (staff member or team). */
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

/** The monthly positive rate, observed with its Wilson interval and the model's unadjusted expectation, for all records or one segment. */
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

/** The change's segment of records vs the rest, over time, and before/after rates (six months each side). */
function changeSeries(s: ScoredContacts, e: ChangeEvent, records: string) {
  const entries = Object.entries(e.segment);
  const inSegment = (i: number) => entries.every(([v, code]) => s.segment[v][i] === code);
  const series = entries.length
    ? [
        {series: e.segmentLabel, rows: monthly(s, inSegment)},
        {series: `all other ${records}`, rows: monthly(s, (i) => !inSegment(i))},
      ]
    : [{series: `every ${records.replace(/s$/, "")}`, rows: monthly(s, () => true)}];
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

/** Agreement on near-identical records, overall and per period. */
async function agreementData(db: DuckDBConnection, dict: Dictionary, columns: AgreementColumns, events: ChangeEvent[]) {
  const parts = keyParts(dict);
  const changes = events.flatMap((e) => (e.end ? [e.start, nextDay(e.end)] : [e.start]));
  const rows = await queryRows(db, agreementCountsSql(parts, changes, columns));
  const groups = new Map<string, {period: string; cells: StaffCell[]}>();
  for (const r of rows) {
    const key = ["period", ...parts.map((_, i) => `k${i}`)].map((k) => String(r[k])).join("|");
    const g = groups.get(key) ?? groups.set(key, {period: String(r.period), cells: []}).get(key)!;
    g.cells.push({positive: Number(r.positive), negative: Number(r.negative)});
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

/** A role's variable as the page names it: its name and dictionary label. */
const named = (dict: Dictionary, name: string) => ({name, label: variable(dict, name).label});

/**
 * The Consistency page's data from an open warehouse, or what the dictionary lacks
 * for it ({available: false, needs, reason}: no staff or decision role, or a default
 * target that is not a decision). Throws when no model of the target is registered.
 */
export async function consistencyData(db: DuckDBConnection, dict: Dictionary, {dir = MODELS_DIR} = {}) {
  const roles = consistencyRoles(dict);
  if ("available" in roles) return roles;
  const {dir: modelDir, card} = newestTargetModel(roles.target.name, dir);
  const events = changeEvents(card.config.split, dict);
  const segmentVars = [...new Set(events.flatMap((e) => Object.keys(e.segment)))];
  const s = await scoreContacts(db, dict, modelDir, segmentVars);
  const {expected, shifts} = monthlyExpected(s.month, s.y, s.score);
  const decisionVar = variable(dict, roles.target.variable);
  const records = `${variable(dict, roles.record).label.toLowerCase()}s`;
  return {
    available: true as const,
    /** what the page names, with the dictionary's labels */
    roles: {
      record: named(dict, roles.record),
      staff: named(dict, roles.staff),
      team: roles.team ? named(dict, roles.team) : null,
      decision: named(dict, roles.decision),
    },
    target: {
      name: roles.target.name,
      label: roles.target.label,
      definition: roles.target.definition,
      variable: named(dict, roles.target.variable),
      positive: roles.target.positive.map((code) => ({code, label: decisionVar.codes?.find((c) => c.code === code)?.label ?? code})),
    },
    model: {id: card.id, model: card.model, trainedAt: card.trainedAt, trainedBefore: card.config.split.validFrom},
    decided: s.y.length,
    method: {
      expected: `newest ${roles.target.name} model's score, recalibrated in the large per month (Σ expected = Σ observed each month)`,
      limits: "O/E with normal-approximation limits 1 ± z·√V/E, V = Σ p(1 − p); z = 1.96 (95%) and 3.09 (99.8%); Spiegelhalter 2005",
      minN: MIN_GROUP,
    },
    monthlyShift: shifts,
    staff: funnel(s.staff, s.y, expected),
    // The same funnel with the model's scores as they are: what the monthly recalibration changes.
    staffUnadjusted: (({flagged, overdispersion, pooled}) => ({flagged, overdispersion, pooled}))(funnel(s.staff, s.y, s.score)),
    teams: s.team ? funnel(s.team, s.y, expected) : null,
    events: events.map((e) => changeSeries(s, e, records)),
    agreement: await agreementData(
      db,
      dict,
      {time: roles.time, staff: roles.staff, decision: roles.decision, target: roles.target},
      events,
    ),
  };
}

/** The Consistency page's data from the warehouse (see {@link consistencyData}). */
export async function computeConsistency(dict: Dictionary = loadDictionary(), dir = MODELS_DIR, warehouse = WAREHOUSE) {
  const roles = consistencyRoles(dict);
  if ("available" in roles) return roles; // nothing to open: the dictionary says no one decided
  return withWarehouse((db) => consistencyData(db, dict, {dir}), warehouse);
}
