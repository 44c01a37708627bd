/**
 * The Impact page's sections on what staff decided: consistency between screeners (case-mix
 * adjusted spread, before against during, pilot teams with the others as control), the share of
 * contacts staff did not share (difference-in-differences, the case mix beside it, and by referral
 * source with their concerns), and safety (re-contact after no further action).
 *
 * @example consistencySection(records, pilotTeam, window)
 */
import {wilson} from "../../src/lib/intervals.ts";
import {screenerConsistency, type PeriodSpread} from "../../src/lib/impact/consistency.ts";
import {normalP, Z95} from "../../src/lib/impact/distributions.ts";
import {beforeWindow, isoDay, periodsOf, type Period, type Window} from "../../src/lib/impact/periods.ts";
import {estimate, MIN_CONTACTS, tooFew, type Result, type TooFew} from "../../src/lib/impact/result.ts";
import {recontactAfterNfa} from "../../src/lib/impact/safety.ts";
import type {ImpactRecords} from "./records.ts";
import type {ImpactData, Share} from "./types.ts";

const GROUPS = ["pilot teams", "other teams"] as const;
const PERIODS = ["before", "during"] as const;

/** A share with its Wilson interval, withheld (null) below the minimum group size. */
export const shareOf = (k: number, n: number): Share => ({k, n, rate: n >= MIN_CONTACTS ? wilson(k, n) : null});

const yearEarlier = (w: Window) => {
  const b = beforeWindow(w, "year-earlier");
  return `${isoDay(b.from)} to ${isoDay(b.to)}`;
};

const spread = (s: PeriodSpread | TooFew) =>
  s.status === "spread" ? {tau: s.tau, q: s.q, df: s.df, contacts: s.contacts} : {tooFew: s.reason};

export function consistencySection(r: ImpactRecords, pilotTeam: Uint8Array, window: Window): ImpactData["consistency"] {
  const period = periodsOf(r.day, window, "year-earlier");
  const groups = GROUPS.map((group) => {
    const idx: number[] = [];
    for (let i = 0; i < r.day.length; i++)
      if ((pilotTeam[i] === 1) === (group === "pilot teams") && period[i] && r.shared[i] >= 0 && Number.isFinite(r.expected[i]))
        idx.push(i);
    const c = screenerConsistency({
      screener: idx.map((i) => r.screener[i]),
      shared: idx.map((i) => r.shared[i]),
      expected: idx.map((i) => r.expected[i]),
      period: idx.map((i) => period[i]),
    });
    // screeners unnamed: numbered by their effect before the pilot
    const order = [...new Set(c.effects.map((e) => e.screener))].sort(
      (a, b) =>
        (c.effects.find((e) => e.screener === a && e.period === "before")?.effect ?? 0) -
        (c.effects.find((e) => e.screener === b && e.period === "before")?.effect ?? 0),
    );
    const alias = new Map(order.map((s, k) => [s, `${group === "pilot teams" ? "P" : "O"}${k + 1}`]));
    return {
      group,
      screeners: c.sdRatio.n,
      leftOut: c.leftOut,
      before: spread(c.before),
      during: spread(c.during),
      sdRatio: c.sdRatio,
      varianceRatio: c.varianceRatio,
      effects: c.effects
        .filter((e) => e.n >= MIN_CONTACTS)
        .map((e) => ({screener: alias.get(e.screener)!, period: e.period, n: e.n, effect: e.effect, lo: e.lo, hi: e.hi})),
    };
  });
  return {
    question: "Did screeners decide more consistently with the band in front of them?",
    comparison: `Pre-registered: the spread (SD) of screener effects on sharing, case-mix adjusted, in the pilot teams during the pilot (${window.start} to ${window.end}) against the same screeners in the same months a year earlier (${yearEarlier(window)}), as a ratio (1 = as consistent as before; 0.5 = half the spread, a quarter of the variance); the other teams over the same periods as a control, whose ratio should read about 1.`,
    groups,
  };
}

/** (a1 − a0) − (b1 − b0) of four independent proportions or means, with a normal interval from their variances. */
function differenceInDifferences(cells: {value: number; variance: number}[], n: number, method: string): Result {
  const [pb, pd, ob, od] = cells;
  const value = pd.value - pb.value - (od.value - ob.value);
  const se = Math.sqrt(cells.reduce((a, c) => a + c.variance, 0));
  if (!(se > 0)) return tooFew(n, "no variation to judge a difference by", method);
  return estimate({value, lo: value - Z95 * se, hi: value + Z95 * se, p: normalP(value / se), nullValue: 0, n, method});
}

export function noSharingSection(
  r: ImpactRecords,
  pilotTeam: Uint8Array,
  window: Window,
  labels: {source: Record<string, string>; concern: Record<string, string>},
): ImpactData["noSharing"] {
  const period = periodsOf(r.day, window, "year-earlier");
  const cell = (group: (typeof GROUPS)[number], p: Period) => {
    const idx: number[] = [];
    for (let i = 0; i < r.day.length; i++)
      if (period[i] === p && r.shared[i] >= 0 && (pilotTeam[i] === 1) === (group === "pilot teams")) idx.push(i);
    return idx;
  };
  const cellRows = GROUPS.flatMap((group) => PERIODS.map((p) => ({group, period: p, idx: cell(group, p)})));
  const cells = cellRows.map(({group, period: p, idx}) => ({
    group,
    period: p,
    share: shareOf(idx.filter((i) => r.shared[i] === 0).length, idx.length),
  }));
  const n = cellRows.reduce((a, c) => a + c.idx.length, 0);
  const thin = cellRows.find((c) => c.idx.length < MIN_CONTACTS);
  const methodShare =
    "Difference-in-differences of the share staff did not share (pilot teams' change during − before, less the other teams' change), in proportions, with a normal 95% interval from the four shares' binomial variances (contacts treated as independent).";
  const methodMix =
    "The same difference-in-differences of the case-mix model's expected share not shared (1 − mean expected probability of sharing): it moves when the contacts referred change, not when decisions do; normal 95% interval from each cell's variance of the mean.";
  const difference = thin
    ? tooFew(n, `${thin.idx.length} decided contacts in the ${thin.group} ${thin.period} (fewer than ${MIN_CONTACTS})`, methodShare)
    : differenceInDifferences(
        cellRows.map(({idx}) => {
          const p = idx.filter((i) => r.shared[i] === 0).length / idx.length;
          return {value: p, variance: (p * (1 - p)) / idx.length};
        }),
        n,
        methodShare,
      );
  const caseMix = thin
    ? tooFew(n, `${thin.idx.length} decided contacts in the ${thin.group} ${thin.period} (fewer than ${MIN_CONTACTS})`, methodMix)
    : differenceInDifferences(
        cellRows.map(({idx}) => {
          const e = idx.map((i) => r.expected[i]).filter(Number.isFinite);
          const mean = e.reduce((a, b) => a + b, 0) / e.length;
          const v = e.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, e.length - 1);
          return {value: 1 - mean, variance: v / e.length};
        }),
        n,
        methodMix,
      );
  // By referral source, all teams: feedback for partner agencies.
  const bySource: ImpactData["noSharing"]["bySource"] = [];
  const sources = [...new Set(r.source)].sort((a, b) => (labels.source[a] ?? a).localeCompare(labels.source[b] ?? b));
  for (const source of sources)
    for (const p of PERIODS) {
      const idx: number[] = [];
      for (let i = 0; i < r.day.length; i++) if (period[i] === p && r.shared[i] >= 0 && r.source[i] === source) idx.push(i);
      const notShared = idx.filter((i) => r.shared[i] === 0);
      const counts = new Map<string, number>();
      for (const i of notShared) for (const c of r.concerns[i]) counts.set(c, (counts.get(c) ?? 0) + 1);
      const tooFewText = idx.length < MIN_CONTACTS ? `${idx.length} decided contacts (fewer than ${MIN_CONTACTS})` : null;
      bySource.push({
        source: labels.source[source] ?? source,
        period: p,
        share: shareOf(notShared.length, idx.length),
        tooFew: tooFewText,
        concerns: tooFewText
          ? []
          : [...counts.entries()]
              .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
              .slice(0, 3)
              .map(([c, k]) => ({concern: labels.concern[c] ?? c, share: shareOf(k, notShared.length)})),
      });
    }
  return {
    question: "Did fewer contacts end with staff deciding on no further information sharing, and which referrers send them?",
    comparison: `Pre-registered: the share of decided contacts where staff did not share, pilot teams against the other teams, during the pilot against the same months a year earlier (${yearEarlier(window)}), as a difference-in-differences in percentage points (0 = no change). This measures what staff decided, not what each child needed; the case-mix model's expected share is shown beside it.`,
    cells,
    difference,
    caseMix,
    bySource,
  };
}

export function safetySection(r: ImpactRecords, pilotTeam: Uint8Array, window: Window, hasPerson: boolean): ImpactData["safety"] {
  const question = 'Were children re-referred more often after "no further action" during the pilot?';
  const comparison = `Pre-registered: of the pilot teams' "no further action" decisions, the share followed by another contact about the same child within 30 and within 90 days, during the pilot against the same months a year earlier (${yearEarlier(window)}), as a difference (0 = no change; above 0 = more children came back). Only decisions whose whole follow-up lies inside the data count.`;
  if (!hasPerson)
    return {
      question,
      comparison,
      windows: [],
      dataEnd: null,
      note: "Needs roles.person (whose later contacts to follow), which the dictionary does not name.",
    };
  const all = periodsOf(r.day, window, "year-earlier");
  const period = all.map((p, i) => (pilotTeam[i] ? p : null));
  const s = recontactAfterNfa({person: r.person, day: r.day, noFurtherAction: r.nfa, period});
  const end = s.end === null ? null : isoDay(s.end);
  const censored = s.windows.filter((w) => w.difference.status === "too few").map((w) => `${w.days}`);
  const note = censored.length
    ? `The data end on ${end}: the ${censored.join(" and ")}-day follow-up of decisions during the pilot is not complete yet, so ${censored.length > 1 ? "those comparisons read" : "that comparison reads"} "too few to tell" until a later extract is ingested. A "too few" is not a finding that the pilot was safe.`
    : `Follow-up complete for every window counted (data end ${end}).`;
  return {question, comparison, windows: s.windows, dataEnd: end, note};
}
