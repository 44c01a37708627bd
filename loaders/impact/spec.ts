/**
 * What the Impact page reads from the dictionary and the project file, resolved to variable names,
 * codes and labels — or what it lacks, in a sentence (like the Consistency page's "needs roles.staff").
 * Roles: record, event time, decision time, decision (with the default target's sharing codes),
 * staff and team; optionally person (safety), pilot_band and pilot_response (agreement). The RAG
 * rating is the variable of a target counted among shared decisions (`among` the decision); the
 * referral source is roles.baseline_feature; concerns the first multi-category feature. The
 * change-point scan's subgroup defaults to the documented policy change's segment
 * (loaders/consistency/events.ts POLICY_SHIFT: its variables and codes, never its date), kept only
 * when the dictionary defines those codes.
 *
 * @example impactSpec(loadDictionary(), {start: "2019-01-01", end: "2019-03-31"}) // {time: "…", staff: "…", …}
 */
import {defaultTarget, type Code, type Dictionary} from "../dictionary.ts";
import type {PilotSettings} from "../project.ts";
import {POLICY_SHIFT} from "../consistency/events.ts";
import type {ImpactUnavailable} from "./types.ts";

/** A subgroup as dictionary variable → code (all must hold), with its label in words. */
export interface Subgroup {
  segment: Record<string, string>;
  label: string;
}

/** The change-point scan's subgroup unless the caller names another: the documented policy change's segment. */
export const DEFAULT_SUBGROUP: Subgroup = {segment: POLICY_SHIFT.segment, label: POLICY_SHIFT.segmentLabel};

export interface ImpactSpec {
  dictionary: string;
  pilot: PilotSettings;
  target: string;
  record: string;
  person: string | null;
  time: string;
  decisionTime: string;
  decision: string;
  /** decision codes meaning staff shared, and meaning no further action */
  shared: string[];
  noFurtherAction: string[];
  staff: string;
  team: string;
  rag: string | null;
  source: string | null;
  concerns: string | null;
  band: string | null;
  response: string | null;
  subgroup: (Subgroup & {definition: string}) | null;
  /** code → label per variable used */
  labels: Record<string, Record<string, string>>;
}

const saysNoFurtherAction = (c: Code) => /^nfa$/i.test(c.code) || /no further action|^nfa$/i.test(c.label.trim());

/** The page's spec, or what the dictionary / project file needs. */
export function impactSpec(
  dict: Dictionary,
  pilot: PilotSettings | undefined,
  {subgroup = DEFAULT_SUBGROUP} = {},
): ImpactSpec | ImpactUnavailable {
  const needs: string[] = [];
  const words: string[] = [];
  const r = dict.roles;
  const need = (field: string, word: string) => (needs.push(field), words.push(word));
  if (!pilot) need("pilot (workbench.yaml: pilot: {start, end, teams?})", "the pilot's window in the project file");
  if (!r.decision) need("roles.decision", "what staff decided (roles.decision)");
  if (!r.decision_time) need("roles.decision_time", "when they decided (roles.decision_time)");
  if (!r.staff) need("roles.staff", "who decided (roles.staff)");
  if (!r.team) need("roles.team", "which team decided (roles.team)");
  if (pilot && !pilot.teams && !r.pilot_band)
    need("roles.pilot_band (or pilot.teams)", "which teams ran the pilot (pilot.teams, or the band staff saw: roles.pilot_band)");
  const targets = Object.entries(dict.targets);
  const named = targets.length ? defaultTarget(dict) : undefined;
  const onDecision = [...targets.filter(([n]) => n === named), ...targets].find(
    ([, t]) => r.decision && t.variable === r.decision && t.positive,
  );
  if (r.decision && !onDecision) need("targets (one on roles.decision)", "a target saying which decisions are sharing");
  if (needs.length || !pilot || !onDecision || !r.decision || !r.decision_time || !r.staff || !r.team)
    return {
      available: false,
      needs,
      reason: `The Impact page compares decisions of the teams that ran the model pilot with the others, before and during it, so it needs ${words.join(", ")}, which ${needs.some((n) => n.startsWith("pilot ")) && needs.length === 1 ? "the project file does not state" : `the dictionary "${dict.title}" or the project file does not name`}.`,
    };
  const byName = new Map(dict.variables.map((v) => [v.name, v]));
  const decisionVar = byName.get(r.decision)!;
  const rag = targets.find(([, t]) => t.among?.variable === r.decision && t.variable && t.variable !== r.decision)?.[1].variable ?? null;
  const concerns = dict.variables.find((v) => v.type === "multi-category" && v.role === "feature")?.name ?? null;
  const source = r.baseline_feature && byName.get(r.baseline_feature)?.type === "category" ? r.baseline_feature : null;
  const defined = Object.entries(subgroup.segment).every(([v, code]) => byName.get(v)?.codes?.some((c) => c.code === code));
  const used = [r.decision, r.team, rag, source, concerns, ...Object.keys(subgroup.segment)].filter(
    (v): v is string => !!v && byName.has(v),
  );
  const labels = Object.fromEntries(used.map((v) => [v, Object.fromEntries((byName.get(v)!.codes ?? []).map((c) => [c.code, c.label]))]));
  return {
    dictionary: dict.title,
    pilot,
    target: onDecision[0],
    record: r.record,
    person: r.person ?? null,
    time: r.event_time,
    decisionTime: r.decision_time,
    decision: r.decision,
    shared: onDecision[1].positive!,
    noFurtherAction: (decisionVar.codes ?? []).filter(saysNoFurtherAction).map((c) => c.code),
    staff: r.staff,
    team: r.team,
    rag,
    source,
    concerns,
    band: r.pilot_band ?? null,
    response: r.pilot_response ?? null,
    subgroup: defined
      ? {
          ...subgroup,
          definition: Object.entries(subgroup.segment)
            .map(([v, code]) => `${byName.get(v)!.label}: ${labels[v]?.[code] ?? code}`)
            .join("; "),
        }
      : null,
    labels,
  };
}
