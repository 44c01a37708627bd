/**
 * Every figure the synthetic MASH extract is calibrated to, in one place.
 * docs/synthetic-data.md explains each one with its source; a test checks that
 * every key below is documented there. Tags: [F] published figure, [I] inferred
 * from published figures, [A] assumption (no source; a parameter to vary).
 */

/** DfE referral-source categories (codes 1–10), as contact shares. */
export const REFERRAL_SOURCES = [
  "police",
  "school",
  "health",
  "la_services",
  "individual",
  "other",
  "other_legal",
  "education_services",
  "anonymous",
  "unknown",
  "housing",
] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

/** [I] DfE 2019–20 referral shares, moved towards police (domestic-abuse notifications are a larger share of contacts than of referrals). */
export const sourceShare: Record<ReferralSource, number> = {
  police: 0.37,
  school: 0.16,
  health: 0.13,
  la_services: 0.11,
  individual: 0.08,
  other: 0.045,
  other_legal: 0.035,
  education_services: 0.02,
  anonymous: 0.02,
  unknown: 0.018,
  housing: 0.012,
};

/** DfE factors identified at the end of assessment (2015–16), used as contact-level concern prevalence [I]. */
export const CONCERNS = [
  "domestic_abuse",
  "mental_health",
  "drug_misuse",
  "emotional_abuse",
  "alcohol_misuse",
  "neglect",
  "physical_abuse",
  "sexual_abuse",
  "self_harm",
  "cse",
  "going_missing",
  "gangs",
] as const;
export type Concern = (typeof CONCERNS)[number];

export const concernPrevalence: Record<Concern, number> = {
  domestic_abuse: 0.496,
  mental_health: 0.366,
  drug_misuse: 0.193,
  emotional_abuse: 0.193,
  alcohol_misuse: 0.184,
  neglect: 0.175,
  physical_abuse: 0.14,
  sexual_abuse: 0.064,
  self_harm: 0.043,
  cse: 0.039,
  going_missing: 0.027,
  gangs: 0.012,
};

/**
 * [A] Concern model: log-odds of each concern = intercept (calibrated to the
 * prevalence above) + loading × shared "toxic trio" factor + referral-source shift.
 */
export const concernTrioLoading: Record<Concern, number> = {
  domestic_abuse: 1.0,
  mental_health: 0.9,
  drug_misuse: 1.1,
  emotional_abuse: 0.5,
  alcohol_misuse: 1.1,
  neglect: 0.6,
  physical_abuse: 0.2,
  sexual_abuse: 0.0,
  self_harm: 0.1,
  cse: 0.0,
  going_missing: 0.0,
  gangs: 0.1,
};
export const concernSourceShift: Partial<Record<ReferralSource, Partial<Record<Concern, number>>>> = {
  police: {domestic_abuse: 1.5, going_missing: 0.8, gangs: 0.8, emotional_abuse: -0.6, neglect: -0.5, self_harm: -0.8},
  school: {domestic_abuse: -1.6, emotional_abuse: 0.8, neglect: 0.7, self_harm: 0.9, physical_abuse: 0.5, cse: 0.4},
  health: {domestic_abuse: -1.0, mental_health: 0.8, self_harm: 1.2, drug_misuse: 0.3, neglect: 0.4},
  education_services: {domestic_abuse: -1.2, neglect: 0.5, emotional_abuse: 0.5},
  la_services: {domestic_abuse: -0.6, neglect: 0.5, mental_health: 0.2},
  housing: {domestic_abuse: -0.3, neglect: 0.8, drug_misuse: 0.5},
  individual: {domestic_abuse: -0.7, emotional_abuse: 0.4, physical_abuse: 0.3},
  anonymous: {domestic_abuse: -0.8, neglect: 0.9, drug_misuse: 0.4},
};
/** [A] Severity weight used to name the primary concern (the most severe present). */
export const concernSeverity: Record<Concern, number> = {
  sexual_abuse: 12,
  cse: 11,
  physical_abuse: 10,
  neglect: 9,
  gangs: 8,
  going_missing: 7,
  self_harm: 6,
  emotional_abuse: 5,
  domestic_abuse: 4,
  drug_misuse: 3,
  alcohol_misuse: 2,
  mental_health: 1,
};

/** [F] Children in need 2018–19 by gender; unborn children are recorded as unknown. */
export const genderShare = {male: 0.53, female: 0.45, unknown: 0.02};
/** [I] Suffolk's children: less diverse than England (county census shares, children skew younger and more diverse). */
export const ethnicityShare = {white: 0.86, mixed: 0.05, asian: 0.03, black: 0.025, other: 0.01, missing: 0.025};
/** [F/I] Age of children in need (2015–16: 10–15 30.6%, under-5s 23.6%), with pre-birth contacts. */
export const ageBandShare = {unborn: 0.03, "0-4": 0.24, "5-9": 0.24, "10-15": 0.33, "16-17": 0.16};
/** [F] 12.7% of children in need had a disability; contacts are less often recorded [A]. */
export const disabilityShare = {yes: 0.09, no: 0.71, missing: 0.2};

/** Suffolk's seven districts (until April 2019), weighted by child population and deprivation [I]. */
export const DISTRICTS = ["babergh", "forest_heath", "ipswich", "mid_suffolk", "st_edmundsbury", "suffolk_coastal", "waveney"] as const;
export const districtShare: Record<(typeof DISTRICTS)[number], number> = {
  babergh: 0.1,
  forest_heath: 0.08,
  ipswich: 0.27,
  mid_suffolk: 0.1,
  st_edmundsbury: 0.13,
  suffolk_coastal: 0.12,
  waveney: 0.2,
};
export const districtOutOfCounty = 0.015; // [A] contacts about children living outside Suffolk: district left empty

/** Volumes and time. */
export const volume = {
  contactsPerMonth: 2500, // [I] Suffolk MASH estimate
  annualGrowth: 0.04, // [I] England contacts 2.4m (2017/18) → 2.77m (2021/22)
  dayNoiseSd: 0.08, // [A] day-to-day variation (log scale)
};
/** [F/I] August dip, busy July and September, quieter December. */
export const monthFactor = [1.0, 1.02, 1.04, 0.98, 1.02, 1.0, 1.06, 0.86, 1.06, 1.04, 1.02, 0.9];
/** [F] school referrals fell 76% with schools closed: school contacts in holidays at 24%. */
export const schoolHolidayFactor = 0.24;
/** [A] weekday pattern per source (Mon..Sun); police every day, schools weekdays only. */
export const weekdayFactor: Record<"police" | "school" | "weekday_services" | "public", number[]> = {
  police: [1.05, 1.0, 1.0, 1.0, 1.0, 1.12, 1.12],
  school: [1.05, 1.0, 1.0, 1.0, 0.95, 0.03, 0.02],
  weekday_services: [1.05, 1.0, 1.0, 1.0, 0.95, 0.3, 0.25],
  public: [1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.6],
};

/** Re-contacts: children and households recur. */
export const recurrence = {
  recontactProbability: 0.3, // [A] a contact is about a child seen in the last 12 months (DfE re-referral 22.6% at referral level)
  recontactRiskWeight: 0.8, // [A] children with higher unobserved risk come back more often
  siblingProbability: 0.25, // [A] a new child belongs to a household already known
  householdRiskSd: 0.6, // [A] unobserved household risk (shared by siblings)
  childRiskSd: 0.6, // [A] unobserved child risk on top of the household's
  initialCpPlan: 0.04, // [I] 32.6 per 10k on a plan; ever-on-plan among contacted children higher
  initialOpenCase: {early_help: 0.05, cin: 0.05, cp: 0.01, lac: 0.01},
};

/**
 * [A] True need for multi-agency information sharing: log-odds. Calibrated so
 * that about 30% of contacts are shared ([I] 21–27% of contacts become referrals;
 * information sharing precedes the referral decision).
 */
export const truthEffects = {
  targetShareRate: 0.3,
  concern: {
    sexual_abuse: 1.6,
    cse: 1.5,
    physical_abuse: 1.2,
    neglect: 0.9,
    gangs: 0.9,
    self_harm: 0.8,
    going_missing: 0.7,
    emotional_abuse: 0.5,
    drug_misuse: 0.5,
    alcohol_misuse: 0.4,
    mental_health: 0.4,
    domestic_abuse: 0.3,
  } as Record<Concern, number>,
  toxicTrio: 0.5, // domestic abuse + mental health + substance misuse together
  daRisk: {standard: -0.3, medium: 0.6, high: 1.6},
  age: {unborn: 0.8, "0-4": 0.4, "5-9": 0.0, "10-15": 0.1, "16-17": -0.2},
  priorContactsPerContact: 0.25,
  priorContactsCap: 4,
  previousCpPlan: 0.7,
  openCase: {none: 0, early_help: 0.2, cin: 0.5, cp: 0.4, lac: 0.3},
  disability: 0.2,
  source: {
    police: -0.3,
    school: 0,
    health: 0.1,
    la_services: 0.3,
    individual: -0.2,
    other: 0,
    other_legal: 0.2,
    education_services: 0,
    anonymous: -0.6,
    unknown: -0.2,
    housing: 0,
  } as Record<ReferralSource, number>,
};

/** [A] DASH risk level on police domestic-abuse notifications. */
export const daRiskShare = {standard: 0.6, medium: 0.28, high: 0.12};

/** Staff decisions: true need plus the planted effects below [A]. */
export const staffEffects = {
  screeners: 36,
  teams: 4,
  lenientScreeners: 2, // planted: share less often
  strictScreeners: 2, // planted: share more often
  lenientBias: -0.8,
  strictBias: 0.8,
  otherScreenerSd: 0.04,
  workloadSlope: -0.8, // log-odds per unit of (day volume / usual volume − 1), clipped to ±0.5
  policyShiftDate: "2017-10-01", // revised threshold guidance
  policyShiftStandardDa: -1.0, // standard-risk DA notifications without other concerns shared less
  labelBiasEthnicity: {mixed: 0.5, black: 0.5} as Record<string, number>, // staff share more often for these groups, beyond true need
  ragNoiseSd: 0.6,
};

/**
 * The pilot of the model alongside practice: in some teams only (`--pilot-teams`; by default
 * `teamShare` of the teams, chosen by seed), so that a concurrent comparison exists. Its effects
 * apply to contacts screened by a pilot team inside the window; `--no-pilot-effects` keeps the
 * band and the response but plants no effect (the impact evaluation's null run).
 */
export const pilot = {
  start: "2019-01-01",
  end: "2019-03-31",
  decisionDelayFactor: 0.75, // [A] planted: decisions 25% faster in pilot teams during the pilot
  screenerBiasFactor: 0.5, // [A] planted: screener biases halved in pilot teams during the pilot
  teamShare: 0.5, // [A] default: half the teams (rounded down, at least one) run the pilot
  scoreNoiseSd: 0.6, // [A] the model's score: the true log-odds of need plus this much noise (log-odds SD)
  bands: 20, // the score's ventiles, as the Thresholds page and `workbench score` band it
  ventileDays: 365, // ventile cuts from the scores of the contacts in the year before the pilot starts
  suggestShareFromBand: 15, // [A] the band suggests sharing from this band up (bands 15–20: the top 30%)
};

/** [F/A] Decision timescales by RAG (Luton MASH policy; hours [A]) and for contacts not shared. */
export const decisionDelayHours = {red: 3, amber: 20, green: 40, notShared: 16, sigma: 0.6, workloadSlope: 0.8};

/** [I] Outcome after information sharing (DfE E1 2017: 21.6% NFA, 33.2% child in need, 11.6% s47 …). */
export const outcomeShare = {nfa: 0.22, early_help: 0.18, cin_assessment: 0.45, s47_strategy: 0.15};
export const outcomeDelayDays = 10; // [A] outcome known ten days after the decision; later = still open (empty)

/** [A] Not shared: split by true severity into NFA, advice and signposting, early help. */
export const notSharedShare = {nfa: 0.55, advice_signposting: 0.25, early_help: 0.2};
/** [A] True severity (RAG) shares among all contacts. */
export const severityShare = {green: 0.55, amber: 0.32, red: 0.13};

/** [A] Consent to share (police DA notifications: not required). */
export const consentShare = {given: 0.55, not_sought: 0.22, refused: 0.08, missing: 0.15};

/** [A] Missing values beyond those above. */
export const missingness = {age: 0.012, gender: 0.005, district: 0.004};

/** [A] Messiness at level 1 (the default); level L multiplies each rate by L. */
export const messinessRates = {
  codeVariant: 0.04, // "Police", "POLICE", "Suffolk Constabulary"
  whitespace: 0.01, // stray spaces around values
  malformed: 0.0008, // rows a validator must quarantine
  duplicate: 0.002, // the same contact exported twice
};

/** Defaults of `workbench generate`. */
export const defaults = {
  start: "2015-01-01",
  months: 51, // January 2015 to March 2019
  seed: 20190331,
  messiness: 1,
};
