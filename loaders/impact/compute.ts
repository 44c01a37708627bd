/**
 * The Impact page's data from the contacts' columns (no database, no files): every section, the
 * pre-registered claims through Holm, and the headline the board pack quotes. The page loader
 * (loaders/pages/impact.ts) reads the columns from the warehouse; the tests build them from the
 * generator directly, so the null runs go through this same code.
 *
 * @example impactFromRecords(records, {window, pilotTeams: ["T2", "T3"], …})
 */
import {holm, HOLM_METHOD} from "../../src/lib/impact/multiplicity.ts";
import {beforeWindow, dayNumber, isoDay, type Window} from "../../src/lib/impact/periods.ts";
import type {Result} from "../../src/lib/impact/result.ts";
import {decisionTimeSection} from "./decision-time.ts";
import {consistencySection, noSharingSection, safetySection} from "./decisions.ts";
import {changePointSection, overridesSection, workloadSection} from "./practice.ts";
import type {ImpactRecords} from "./records.ts";
import type {ImpactData} from "./types.ts";

export interface ImpactContext {
  window: Window;
  /** team codes */
  pilotTeams: string[];
  teams: string[];
  teamsFrom: "project" | "bands";
  /** code → label */
  labels: {team: Record<string, string>; source: Record<string, string>; concern: Record<string, string>};
  hasPerson: boolean;
  hasResponse: boolean;
  subgroup: {label: string; definition: string} | null;
  caseMix: ImpactData["caseMix"];
  dictionary: string;
}

/** The pre-registered claims, in the page's order: what Holm's correction reads together. */
export const CLAIMS = [
  "Decision time, pilot teams (difference-in-differences)",
  "Decision time, whole MASH (interrupted time series)",
  "Consistency between screeners, pilot teams (SD ratio)",
  "Share staff did not share (difference-in-differences)",
  "Re-contact within 30 days of no further action",
  "Re-contact within 90 days of no further action",
] as const;

const pOf = (r: Result | undefined) => (r && r.status === "estimate" ? r.p : null);

/** The sections that carry the pre-registered claims, and Holm's verdicts on them (the null runs call this alone). */
export function claimSections(r: ImpactRecords, c: ImpactContext, pilotTeam: Uint8Array) {
  const decisionTime = decisionTimeSection(r, pilotTeam, c.window);
  const consistency = consistencySection(r, pilotTeam, c.window);
  const noSharing = noSharingSection(r, pilotTeam, c.window, {source: c.labels.source, concern: c.labels.concern});
  const safety = safetySection(r, pilotTeam, c.window, c.hasPerson);
  const pilotConsistency = consistency.groups.find((g) => g.group === "pilot teams")!;
  const safetyDiff = (days: number) => safety.windows.find((w) => w.days === days)?.difference;
  const results: (Result | undefined)[] = [
    decisionTime.overall,
    decisionTime.its.levelChange,
    pilotConsistency.sdRatio,
    noSharing.difference,
    safetyDiff(30),
    safetyDiff(90),
  ];
  const {verdicts} = holm(CLAIMS.map((name, k) => ({name, p: pOf(results[k])})));
  return {decisionTime, consistency, noSharing, safety, pilotConsistency, safetyDiff, verdicts};
}

/** Whether each contact's team ran the pilot. */
export const pilotTeamFlags = (r: Pick<ImpactRecords, "team">, pilotTeams: string[]) => {
  const set = new Set(pilotTeams);
  return Uint8Array.from(r.team, (t) => (set.has(t) ? 1 : 0));
};

export function impactFromRecords(r: ImpactRecords, c: ImpactContext): ImpactData {
  const pilotSet = new Set(c.pilotTeams);
  const pilotTeam = pilotTeamFlags(r, c.pilotTeams);
  const teamLabel = (code: string) => c.labels.team[code] ?? code;
  const start = dayNumber(c.window.start);
  const end = dayNumber(c.window.end);
  let pilotContacts = 0;
  let banded = 0;
  let decided = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < r.day.length; i++) {
    const d = Math.floor(r.day[i]);
    if (pilotTeam[i] && d >= start && d <= end) ((pilotContacts += 1), (banded += r.band[i] !== null ? 1 : 0));
    if (r.shared[i] >= 0) decided++;
    first = Math.min(first, r.day[i]);
    last = Math.max(last, r.day[i]);
  }
  const before = beforeWindow(c.window, "year-earlier");
  const {decisionTime, consistency, noSharing, safety, pilotConsistency, safetyDiff, verdicts} = claimSections(r, c, pilotTeam);
  const workload = workloadSection(r, pilotTeam, c.window);
  const overrides = c.hasResponse
    ? overridesSection(r, pilotTeam, c.window, teamLabel, c.hasPerson)
    : {unavailable: "Needs roles.pilot_response (how each decision related to the band staff saw), which the dictionary does not name."};
  const changePoint = changePointSection(r, c.subgroup);
  const missing = (days: number): Result => ({
    status: "too few",
    n: 0,
    unit: "contacts",
    reason: safety.note,
    method: `re-contact within ${days} days of no further action`,
  });
  const cell = (group: string, period: string) => noSharing.cells.find((x) => x.group === group && x.period === period)!.share;
  return {
    available: true,
    data: {contacts: r.day.length, decided, from: isoDay(first), to: isoDay(last), dictionary: c.dictionary},
    design: {
      window: c.window,
      before: {start: isoDay(before.from), end: isoDay(before.to)},
      pilotTeams: c.pilotTeams.map(teamLabel),
      otherTeams: c.teams.filter((t) => !pilotSet.has(t)).map(teamLabel),
      teamsFrom: c.teamsFrom,
      pilotContacts,
      banded,
    },
    caseMix: c.caseMix,
    decisionTime,
    consistency,
    noSharing,
    safety,
    workload,
    overrides,
    changePoint,
    claims: verdicts,
    holmMethod: HOLM_METHOD,
    headline: {
      decisionTimeRatio: decisionTime.overall,
      screenerSdRatio: pilotConsistency.sdRatio,
      screenerVarianceRatio: pilotConsistency.varianceRatio,
      noFurtherSharing: {before: cell("pilot teams", "before"), during: cell("pilot teams", "during"), difference: noSharing.difference},
      safety30: safetyDiff(30) ?? missing(30),
      safety90: safetyDiff(90) ?? missing(90),
      claims: verdicts,
    },
  };
}
