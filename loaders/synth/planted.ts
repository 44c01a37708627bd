/**
 * The effects the generator plants in the synthetic extract, each with its size, scale and where
 * it applies: written to truth.json, so every analysis page can be checked against them.
 */
import * as P from "./params.ts";
import type {Screener} from "./engine.ts";
import {teamCodes} from "./pilot.ts";

/** The pilot's design as generated: the window, the teams that ran it, and whether its effects are planted. */
export interface PilotDesign {
  pilotStart: string;
  pilotEnd: string;
  pilotTeams: string[];
  pilotEffects: boolean;
}

/** Every planted effect with its size, scale and where it applies (for truth.json and the docs). */
export function plantedEffects(options: PilotDesign & {labelBias?: number}) {
  const S = P.staffEffects;
  const pilotContacts = `contacts screened by teams ${options.pilotTeams.join(", ")} from ${options.pilotStart} to ${options.pilotEnd}`;
  const off = options.pilotEffects ? "" : " (not planted: --no-pilot-effects)";
  return [
    {
      name: "lenient_screeners",
      size: S.lenientBias,
      scale: "log-odds of information sharing",
      appliesTo: `${S.lenientScreeners} screeners (role "lenient" in screeners)`,
    },
    {
      name: "strict_screeners",
      size: S.strictBias,
      scale: "log-odds of information sharing",
      appliesTo: `${S.strictScreeners} screeners (role "strict")`,
    },
    {name: "other_screener_variation", size: S.otherScreenerSd, scale: "standard deviation, log-odds", appliesTo: "all other screeners"},
    {
      name: "workload",
      size: S.workloadSlope,
      scale: "log-odds per unit of (day volume / expected − 1), clipped to ±0.5",
      appliesTo: "every contact",
    },
    {
      name: "workload_delay",
      size: P.decisionDelayHours.workloadSlope,
      scale: "relative increase of decision delay per unit of excess volume",
      appliesTo: "busy days",
    },
    {
      name: "policy_shift",
      size: S.policyShiftStandardDa,
      scale: "log-odds of information sharing",
      appliesTo: `police standard-risk domestic-abuse notifications from ${S.policyShiftDate}`,
    },
    {
      name: "label_bias_ethnicity",
      size: Object.fromEntries(Object.entries(S.labelBiasEthnicity).map(([g, b]) => [g, (options.labelBias ?? 1) * b])),
      scale: "log-odds of information sharing beyond true need",
      appliesTo: "staff decisions for children recorded as mixed or black",
    },
    {
      name: "pilot_decision_delay",
      size: options.pilotEffects ? P.pilot.decisionDelayFactor : 1,
      scale: "multiplier of time to decision",
      appliesTo: pilotContacts + off,
    },
    {
      name: "pilot_screener_consistency",
      size: options.pilotEffects ? P.pilot.screenerBiasFactor : 1,
      scale: "multiplier of every screener's bias",
      appliesTo: pilotContacts + off,
    },
    {
      name: "pilot_band",
      size: P.pilot.scoreNoiseSd,
      scale: "standard deviation of the noise on the true log-odds of need behind the band's score (log-odds)",
      appliesTo: `${pilotContacts}: band 1–${P.pilot.bands} from ventile cuts of the year before; sharing suggested from band ${P.pilot.suggestShareFromBand}; response agreed, followed or overrode`,
    },
    {
      name: "household_risk",
      size: P.recurrence.householdRiskSd,
      scale: "standard deviation, log-odds (unobserved)",
      appliesTo: "shared by children of a household",
    },
    {name: "child_risk", size: P.recurrence.childRiskSd, scale: "standard deviation, log-odds (unobserved)", appliesTo: "each child"},
    {
      name: "recontact_risk",
      size: P.recurrence.recontactRiskWeight,
      scale: "log-odds of re-contact per unit of unobserved risk",
      appliesTo: "re-contacts",
    },
    {name: "true_need", size: P.truthEffects, scale: "log-odds of needing information sharing", appliesTo: "every contact"},
  ];
}

/** The population variance of some numbers (0 for none). */
function variance(xs: number[]): number {
  if (xs.length === 0) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
}

/**
 * What the impact evaluation must recover, each with its planted value and where it applies: the
 * pilot's decision-time ratio and screener-effect variance ratio (pilot teams in the window against
 * themselves without the pilot; the other teams are the concurrent comparison), no change in true
 * need, the workload slopes and the October 2017 policy shift. With the pilot's effects off the
 * ratios are 1: the null run's truth.
 */
export function impactTargets(design: PilotDesign, screeners: readonly Screener[]) {
  const factor = design.pilotEffects ? P.pilot.screenerBiasFactor : 1;
  const during = screeners.filter(
    (s) => design.pilotTeams.includes(s.team) && s.activeFrom <= design.pilotEnd && s.activeTo >= design.pilotStart,
  );
  const before = variance(during.map((s) => s.bias));
  const S = P.staffEffects;
  return {
    design: {
      start: design.pilotStart,
      end: design.pilotEnd,
      pilotTeams: design.pilotTeams,
      otherTeams: teamCodes().filter((t) => !design.pilotTeams.includes(t)),
      effects: design.pilotEffects,
      comparison: "pilot teams against the other teams, the pilot window against the same months a year before (difference-in-differences)",
    },
    decisionTimeRatio: {
      value: design.pilotEffects ? P.pilot.decisionDelayFactor : 1,
      scale: "ratio of time from contact to decision (geometric, all RAG ratings alike)",
      appliesTo: "contacts screened by pilot teams inside the window, against the same contacts without the pilot",
    },
    screenerEffectVarianceRatio: {
      value: factor * factor,
      scale: "ratio of the variance of screener effects (log-odds of sharing), during against without the pilot",
      appliesTo: `the ${during.length} screeners of the pilot teams active in the window`,
      variance: {withoutPilot: before, duringPilot: before * factor * factor},
    },
    trueNeedShareChange: {
      value: 0,
      scale: "change in the share of contacts that truly need information sharing",
      appliesTo: "pilot contacts: the pilot changes staff decisions, never the need",
    },
    workloadSlope: {
      sharing: S.workloadSlope,
      decisionDelay: P.decisionDelayHours.workloadSlope,
      scale:
        "log-odds of sharing, and relative increase of time to decision (excess volume only), per unit of (day volume / expected − 1), clipped to ±0.5",
      appliesTo: "every contact",
    },
    policyShift: {
      date: S.policyShiftDate,
      size: S.policyShiftStandardDa,
      scale: "log-odds of information sharing, case mix fixed",
      appliesTo: "police standard-risk domestic-abuse notifications from the date on",
    },
  };
}
