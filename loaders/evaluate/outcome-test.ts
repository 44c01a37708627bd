/**
 * Data for the Fairness page's label-bias check (internal): the outcome test on staff decisions
 * (src/lib/outcome-test.ts), counted over every contact in the warehouse — the whole extract, the
 * period whose decisions a model learns from and is tested on. It needs staff decisions and what
 * followed them, never a model. Every name comes from the dictionary:
 * - shared: roles.decision and the positive codes of the target built on it (the default target
 *   when it is one);
 * - what followed sharing: the dictionary has no role for it yet, so it is the one category
 *   variable in the decision's group, other than the decision and any target's variable, that has
 *   a "no further action" code (code `nfa`, or a label saying no further action or NFA);
 * - re-contact: roles.person and roles.event_time, within the follow-up of the dictionary's
 *   recurrence target (365 days when it has none), only for contacts whose follow-up ends inside
 *   the data (the last contact's time);
 * - groups: the protected category variables, a missing value as "missing".
 * Only counts per group leave Node: no id, no row.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {defaultTarget, loadDictionary, type Code, type Dictionary} from "../dictionary.ts";
import {queryRows, withWarehouse} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {outcomeCounts, recontacts, type OutcomeCounts, type OutcomeRecords} from "../../src/lib/outcome-test.ts";

/** What the check reads from the dictionary, resolved to variable names and codes. */
export interface OutcomeTestSpec {
  time: string;
  person: string | null;
  decision: string;
  /** decision codes meaning staff shared */
  shared: Code[];
  /** the variable recording what followed sharing, and its codes meaning no further action */
  outcome: {variable: string; label: string; noFurtherAction: Code[]} | null;
  followUpDays: number;
  attributes: {name: string; label: string}[];
}

/** The answer when the dictionary lacks what the check needs: what, in a sentence. */
export interface OutcomeTestUnavailable {
  available: false;
  needs: string[];
  reason: string;
}

export interface OutcomeTestData {
  available: true;
  /** first and last contact day in the warehouse; re-contacts only of contacts up to `followUpTo` */
  period: {from: string; to: string; followUpTo: string};
  followUpDays: number;
  decision: {label: string; shared: string[]};
  /** null when the dictionary names no after-sharing outcome (then only re-contact is compared) */
  outcome: {label: string; noFurtherAction: string[]} | null;
  /** false without roles.person (then only the after-sharing outcome is compared) */
  recontact: boolean;
  attributes: {name: string; label: string; counts: OutcomeCounts[]}[];
}

const saysNoFurtherAction = (c: Code) => /^nfa$/i.test(c.code) || /no further action|^nfa$/i.test(c.label.trim());

/**
 * The spec of the check for `dict`, or what it needs.
 *
 * @example outcomeTestSpec(loadDictionary()) // {decision: "…", shared: [{code: "info_sharing", …}], outcome: {…}, …}
 */
export function outcomeTestSpec(dict: Dictionary): OutcomeTestSpec | OutcomeTestUnavailable {
  const needs: string[] = [];
  const words: string[] = [];
  const decision = dict.roles.decision;
  const decisionVar = dict.variables.find((v) => v.name === decision);
  const targets = Object.entries(dict.targets);
  const named = Object.keys(dict.targets).length ? defaultTarget(dict) : undefined;
  const onDecision = [...targets.filter(([n]) => n === named), ...targets].find(([, t]) => t.variable === decision && t.positive)?.[1];
  if (!decision || !decisionVar || !onDecision) {
    needs.push(decision ? "targets (one on roles.decision)" : "roles.decision");
    words.push("what staff decided (roles.decision) and a target saying which decisions are sharing");
  }
  const attributes = dict.variables
    .filter((v) => v.role === "protected" && v.type === "category")
    .map((v) => ({name: v.name, label: v.label}));
  if (!attributes.length) {
    needs.push("a protected category variable");
    words.push("a protected characteristic to compare groups by");
  }
  const targetVariables = new Set(targets.map(([, t]) => t.variable).filter(Boolean));
  const candidates = dict.variables.filter(
    (v) =>
      v.type === "category" &&
      v.name !== decision &&
      v.group === decisionVar?.group &&
      !targetVariables.has(v.name) &&
      (v.codes ?? []).some(saysNoFurtherAction),
  );
  const outcomeVar = candidates.length === 1 ? candidates[0] : undefined;
  const person = dict.roles.person ?? null;
  if (!outcomeVar && !person) {
    needs.push("an after-sharing outcome variable or roles.person");
    words.push("what followed sharing (a variable with a no-further-action code) or whose later contacts to follow (roles.person)");
  }
  if (!decision || !decisionVar || !onDecision || !attributes.length || (!outcomeVar && !person))
    return {
      available: false,
      needs,
      reason: `The label-bias check compares what followed staff decisions across groups, so it needs ${words.join(" and ")}, which the dictionary "${dict.title}" does not name.`,
    };
  const recurrence = targets.find(([, t]) => t.recurrence_days)?.[1].recurrence_days;
  return {
    time: dict.roles.event_time,
    person,
    decision,
    shared: (decisionVar.codes ?? []).filter((c) => onDecision.positive!.includes(c.code)),
    outcome: outcomeVar
      ? {variable: outcomeVar.name, label: outcomeVar.label, noFurtherAction: (outcomeVar.codes ?? []).filter(saysNoFurtherAction)}
      : null,
    followUpDays: recurrence ?? 365,
    attributes,
  };
}

/**
 * One row per contact: person, time in days since 1970, shared (1, 0, −1 undecided), no further
 * action after sharing (1, 0, −1 unknown or not shared) and each attribute ("missing" when empty).
 *
 * @example outcomeRecordsSql(spec) // SELECT CAST("child_ref" AS VARCHAR) AS _person, … FROM contacts WHERE …
 */
export function outcomeRecordsSql(spec: OutcomeTestSpec): string {
  const codes = (cs: Code[]) => cs.map((c) => literal(c.code)).join(", ");
  const decision = ident(spec.decision);
  const outcome = spec.outcome ? ident(spec.outcome.variable) : null;
  return `SELECT ${spec.person ? `CAST(${ident(spec.person)} AS VARCHAR)` : "NULL"} AS _person,
  epoch(CAST(${ident(spec.time)} AS TIMESTAMP)) / 86400.0 AS _day,
  CASE WHEN ${decision} IS NULL THEN -1 WHEN CAST(${decision} AS VARCHAR) IN (${codes(spec.shared)}) THEN 1 ELSE 0 END AS _shared,
  ${outcome ? `CASE WHEN ${outcome} IS NULL THEN -1 WHEN CAST(${outcome} AS VARCHAR) IN (${codes(spec.outcome!.noFurtherAction)}) THEN 1 ELSE 0 END` : "-1"} AS _nfa,
  ${spec.attributes.map((a) => `coalesce(CAST(${ident(a.name)} AS VARCHAR), 'missing') AS ${ident(a.name)}`).join(",\n  ")}
FROM contacts
-- a contact without a time cannot be placed in anyone's follow-up
WHERE ${ident(spec.time)} IS NOT NULL`;
}

const isoDay = (day: number) => new Date(Math.floor(day) * 86_400_000).toISOString().slice(0, 10);

/**
 * The check's counts on a warehouse connection: per protected attribute, per group.
 *
 * @example await outcomeTest(db, loadDictionary()) // {available: true, period: {from: "2015-01-01", …}, attributes: […]}
 */
export async function outcomeTest(db: DuckDBConnection, dict: Dictionary): Promise<OutcomeTestData | OutcomeTestUnavailable> {
  const spec = outcomeTestSpec(dict);
  if ("available" in spec) return spec;
  const rows = await queryRows(db, outcomeRecordsSql(spec));
  if (!rows.length) return {available: false, needs: ["contacts"], reason: "The warehouse holds no contacts with a time."};
  const days = rows.map((r) => Number(r._day));
  const records: OutcomeRecords = {
    person: rows.map((r) => String(r._person)),
    day: days,
    shared: rows.map((r) => Number(r._shared)),
    noFurtherAction: rows.map((r) => Number(r._nfa)),
  };
  let first = Infinity,
    last = -Infinity;
  for (const d of days) [first, last] = [Math.min(first, d), Math.max(last, d)];
  const recontacted = spec.person ? recontacts(records, {followUpDays: spec.followUpDays, end: last}) : new Int8Array(rows.length).fill(-1); // no person to follow: no re-contact counted
  return {
    available: true,
    period: {from: isoDay(first), to: isoDay(last), followUpTo: isoDay(last - spec.followUpDays)},
    followUpDays: spec.followUpDays,
    decision: {label: dict.variables.find((v) => v.name === spec.decision)!.label, shared: spec.shared.map((c) => c.label)},
    outcome: spec.outcome ? {label: spec.outcome.label, noFurtherAction: spec.outcome.noFurtherAction.map((c) => c.label)} : null,
    recontact: spec.person !== null,
    attributes: spec.attributes.map((a) => ({
      ...a,
      counts: outcomeCounts(
        rows.map((r) => String(r[a.name])),
        records,
        recontacted,
      ),
    })),
  };
}

/** The check on the project's warehouse and dictionary (the page's data file calls this). */
export async function computeOutcomeTest(dict: Dictionary = loadDictionary()): Promise<OutcomeTestData | OutcomeTestUnavailable> {
  return withWarehouse((db) => outcomeTest(db, dict));
}
