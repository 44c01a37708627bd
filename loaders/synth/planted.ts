/**
 * The effects the generator plants in the synthetic extract, each with its size, scale and where
 * it applies: written to truth.json, so every analysis page can be checked against them.
 */
import * as P from "./params.ts";

/** Every planted effect with its size, scale and where it applies (for truth.json and the docs). */
export function plantedEffects(options: {pilotStart: string; pilotEnd: string; labelBias?: number}) {
  const S = P.staffEffects;
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
      size: P.pilot.decisionDelayFactor,
      scale: "multiplier of time to decision",
      appliesTo: `contacts ${options.pilotStart} to ${options.pilotEnd}`,
    },
    {
      name: "pilot_screener_consistency",
      size: P.pilot.screenerBiasFactor,
      scale: "multiplier of every screener's bias",
      appliesTo: `contacts ${options.pilotStart} to ${options.pilotEnd}`,
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
