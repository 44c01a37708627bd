/**
 * The synthetic MASH contact engine: walks the calendar day by day and produces
 * each contact with its true need, the staff decision and everything planted on
 * top of it. Pure and seeded; writing files is write.ts's job.
 *
 * Memory is bounded by a few typed arrays of length `contacts` (children and
 * households are at most one per contact), so 1,000,000 contacts stay well under 1 GB.
 */
import {Rng, cumulative, permute32, sigmoid, logit} from "./random.ts";
import {makeDays, parseDay, sourceIntensity, type Day} from "./calendar.ts";
import * as P from "./params.ts";
import {bandOf, choosePilotTeams, screenerResponse, teamCodes, ventileCuts} from "./pilot.ts";

export interface EngineOptions {
  seed: number;
  start: string;
  months: number;
  contacts: number;
  pilotStart: string;
  pilotEnd: string;
  /** multiplier of the planted label bias (params.ts labelBiasEthnicity): 1 as planted (the default), 0 switches it off */
  labelBias?: number;
  /** teams whose screeners run the pilot: team codes, "all", or absent for `pilot.teamShare` of them chosen by seed (pilot.ts) */
  pilotTeams?: readonly string[] | "all";
  /** false: the band and the response are recorded but no pilot effect is planted (the null run); default true */
  pilotEffects?: boolean;
}

/** A contact as the extract shows it (clean codes) plus its hidden truth. */
export interface Contact {
  index: number;
  contactId: string;
  childId: string;
  householdId: string;
  contactDatetime: string;
  referralSource: P.ReferralSource;
  ageYears: string; // integer, "unborn", or "" when missing
  gender: string;
  ethnicity: string;
  disability: string;
  district: string;
  concerns: P.Concern[];
  primaryConcern: P.Concern;
  daRiskLevel: string;
  priorContacts12m: number;
  previousCpPlan: string;
  openCaseStatus: string;
  consent: string;
  screenerId: string;
  team: string;
  decisionDatetime: string;
  ragRating: string;
  mashDecision: string;
  outcomeAfterSharing: string;
  /** the band (1–20) the screener saw: pilot teams inside the pilot window only, else "" */
  pilotBand: string;
  /** agreed, followed or overrode: pilot contacts with a decision only, else "" */
  pilotResponse: string;
  truth: ContactTruth;
}

export interface ContactTruth {
  pShareTrue: number;
  pShareStaff: number;
  /** Staff-decision probability with the unobserved child risk integrated out (the Bayes reference). */
  pShareObservable: number;
  trueSeverity: "green" | "amber" | "red";
  childRisk: number;
  householdRisk: number;
  screenerEffect: number;
  workloadEffect: number;
  policyEffect: number;
  labelBiasEffect: number;
  /** the contact arrived inside the pilot window (whatever its team) */
  inPilot: boolean;
  /** the screener's team runs the pilot */
  pilotTeam: boolean;
  /** the model-like score behind the band (every contact: the true log-odds plus noise) */
  pilotScore: number;
  /** a pilot contact's would-be decision, with the screener's full bias; null outside the pilot */
  wouldShare: boolean | null;
  delayHours: number;
  /** Latent severity score behind the true RAG (thresholded by the calibration's cuts). */
  severityScore: number;
}

export interface Screener {
  id: string;
  team: string;
  role: "lenient" | "strict" | "none";
  bias: number;
  fte: number;
  activeFrom: string;
  activeTo: string;
}

export interface Calibration {
  concernIntercept: Record<P.Concern, number>;
  shareIntercept: number;
  severityCuts: [number, number];
  notSharedCuts: [number, number];
  outcomeCuts: [number, number, number];
  daCuts: [number, number];
}

const AGE_BANDS = ["unborn", "0-4", "5-9", "10-15", "16-17"] as const;
const AGE_RANGE: Record<(typeof AGE_BANDS)[number], [number, number]> = {
  unborn: [-0.7, 0],
  "0-4": [0, 5],
  "5-9": [5, 10],
  "10-15": [10, 16],
  "16-17": [16, 18],
};
const GENDERS = ["male", "female", "unknown"] as const;
const ETHNICITIES = ["white", "mixed", "asian", "black", "other", ""] as const;
const OPEN = ["none", "early_help", "cin", "cp", "lac"] as const;
/** [A] Months simulated before the extract starts, so early contacts have a history. */
export const WARMUP_MONTHS = 12;
/** [A] At most this many children per household, and no re-contact beyond this many in 12 months. */
const MAX_HOUSEHOLD = 6;
const MAX_RECENT = 12;
const MS_DAY = 86_400_000;
const formatDayNumber = (n: number) => new Date(n * MS_DAY).toISOString().slice(0, 10);
function shiftMonths(dayNumber: number, months: number): number {
  const t = new Date(dayNumber * MS_DAY);
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, t.getUTCDate()) / MS_DAY;
}

/**
 * E[sigmoid(eta + sd·Z)], Z ~ N(0,1), by the probit approximation
 * sigmoid(eta / sqrt(1 + π sd² / 8)) (error below 0.02; cheap enough per contact).
 */
export function expectedSigmoid(eta: number, sd: number): number {
  return sigmoid(eta / Math.sqrt(1 + (Math.PI * sd * sd) / 8));
}

/** A categorical draw from shares, with the cumulative weights computed once. */
class Picker<T> {
  private readonly cum: Float64Array;
  constructor(
    readonly keys: readonly T[],
    shares: Record<string, number>,
  ) {
    this.cum = cumulative(keys.map((k) => shares[String(k) === "" ? "missing" : String(k)]));
  }
  draw(rng: Rng): T {
    return this.keys[rng.pickCumulative(this.cum)];
  }
}

const AGE_PICK = new Picker(AGE_BANDS, P.ageBandShare);
const DISTRICT_PICK = new Picker(P.DISTRICTS, P.districtShare);
const ETHNICITY_PICK = new Picker(ETHNICITIES, P.ethnicityShare);
const CONSENT_PICK = new Picker(["given", "not_sought", "refused", ""] as const, P.consentShare);
const CONCERN_BIT = Object.fromEntries(P.CONCERNS.map((k, i) => [k, 1 << i])) as Record<P.Concern, number>;

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));
const hexId = (prefix: string, n: number) => prefix + n.toString(16).toUpperCase().padStart(8, "0");

export class Engine {
  /** Every simulated day, including the 12-month warm-up that gives early contacts a history. */
  readonly days: Day[];
  /** Index of the first day written to the extract (days before it are the warm-up). */
  readonly firstDay: number;
  readonly screeners: Screener[];
  readonly pilotFrom: number;
  readonly pilotTo: number;
  /** the teams running the pilot (team codes, in order) */
  readonly pilotTeams: string[];
  /** whether the pilot's effects are planted (false: the null run) */
  readonly pilotEffects: boolean;
  readonly policyDay: number;
  readonly endMinute: number;
  private readonly intensity: Float64Array[];
  private readonly dayCounts: Int32Array;
  private readonly dayWorkload: Float64Array;
  private readonly keys: {contact: number; child: number; household: number};
  private readonly screenerFrom: Int32Array;
  private readonly screenerTo: Int32Array;
  private readonly rng: Rng;
  /** the pilot's own stream (the band's score noise): the contacts' draws never depend on it */
  private readonly pilotRng: Rng;
  private readonly screenerInPilot: Uint8Array;
  /** scores of the contacts in the year before the pilot, until the band cuts are fixed from them */
  private preScores: number[] = [];
  private bandCuts: number[] | null = null;
  // Per contact
  private readonly contactDay: Int32Array;
  private readonly contactChild: Int32Array;
  private readonly prevOfChild: Int32Array;
  // Per child
  private nChildren = 0;
  private readonly childHousehold: Int32Array;
  private readonly childRisk: Float32Array;
  private readonly childBirth: Int32Array;
  private readonly childGender: Uint8Array;
  private readonly childEthnicity: Uint8Array;
  private readonly childDisability: Uint8Array; // 0 no, 1 yes, 2 missing
  private readonly childCp: Uint8Array;
  private readonly childOpen: Uint8Array;
  private readonly childOpenUntil: Int32Array;
  private readonly childLast: Int32Array;
  // Per household
  private nHouseholds = 0;
  private readonly hhRisk: Float32Array;
  private readonly hhDistrict: Uint8Array; // 255 = out of county
  private readonly hhEthnicity: Uint8Array;
  private readonly hhSize: Uint8Array;
  private nextContact = 0;
  private outputChildren = 0;
  private outputHouseholds = 0;
  private readonly childSeen: Uint8Array;
  private readonly hhSeen: Uint8Array;
  private readonly window12m: number;

  constructor(
    readonly options: EngineOptions,
    readonly calibration: Calibration,
  ) {
    const {seed, contacts} = options;
    if (!Number.isInteger(contacts) || contacts < 1) throw new Error(`the number of contacts must be a whole number ≥ 1, got ${contacts}`);
    this.rng = Rng.stream(seed, 1);
    const outputStart = parseDay(options.start);
    const warmStart = shiftMonths(outputStart, -WARMUP_MONTHS);
    this.days = makeDays(formatDayNumber(warmStart), options.months + WARMUP_MONTHS);
    this.firstDay = outputStart - warmStart;
    const first = warmStart;
    this.pilotFrom = parseDay(options.pilotStart) - first;
    this.pilotTo = parseDay(options.pilotEnd) - first;
    if (this.pilotTo < this.pilotFrom) throw new Error(`the pilot ends (${options.pilotEnd}) before it starts (${options.pilotStart})`);
    if (this.pilotFrom < 1)
      throw new Error(
        `the pilot starts on ${options.pilotStart}, before any simulated contact: its bands come from the contacts before it (start it after ${formatDayNumber(first)})`,
      );
    this.policyDay = parseDay(P.staffEffects.policyShiftDate) - first;
    this.endMinute = this.days.length * 1440;
    this.intensity = sourceIntensity(this.days);
    const dayRng = Rng.stream(seed, 2);
    const expected = this.intensity.map((r) => r.reduce((a, b) => a + b, 0));
    const noisy = expected.map((e) => e * Math.exp(dayRng.normal(0, P.volume.dayNoiseSd)));
    const outputExpected = expected.slice(this.firstDay).reduce((a, b) => a + b, 0);
    const warmExpected = expected.slice(0, this.firstDay).reduce((a, b) => a + b, 0);
    const warmContacts = Math.round((contacts * warmExpected) / outputExpected);
    this.dayCounts = new Int32Array(this.days.length);
    this.dayCounts.set(allocate(warmContacts, noisy.slice(0, this.firstDay)), 0);
    this.dayCounts.set(allocate(contacts, noisy.slice(this.firstDay)), this.firstDay);
    const perExpected = contacts / outputExpected;
    this.dayWorkload = Float64Array.from(this.dayCounts, (n, d) => n / (perExpected * expected[d]));
    const capacity = contacts + warmContacts;
    this.keys = {contact: dayRng.nextUint32(), child: dayRng.nextUint32(), household: dayRng.nextUint32()};
    const made = makeScreeners(Rng.stream(seed, 3), this.days);
    this.screeners = made.screeners;
    this.screenerFrom = made.from;
    this.screenerTo = made.to;
    this.pilotTeams = choosePilotTeams(options.pilotTeams, seed);
    this.pilotEffects = options.pilotEffects ?? true;
    this.screenerInPilot = Uint8Array.from(this.screeners, (s) => (this.pilotTeams.includes(s.team) ? 1 : 0));
    this.pilotRng = Rng.stream(seed, 11);
    this.contactDay = new Int32Array(capacity);
    this.contactChild = new Int32Array(capacity);
    this.prevOfChild = new Int32Array(capacity);
    this.childHousehold = new Int32Array(capacity);
    this.childRisk = new Float32Array(capacity);
    this.childBirth = new Int32Array(capacity);
    this.childGender = new Uint8Array(capacity);
    this.childEthnicity = new Uint8Array(capacity);
    this.childDisability = new Uint8Array(capacity);
    this.childCp = new Uint8Array(capacity);
    this.childOpen = new Uint8Array(capacity);
    this.childOpenUntil = new Int32Array(capacity);
    this.childLast = new Int32Array(capacity);
    this.hhRisk = new Float32Array(capacity);
    this.hhDistrict = new Uint8Array(capacity);
    this.hhEthnicity = new Uint8Array(capacity);
    this.hhSize = new Uint8Array(capacity);
    this.childSeen = new Uint8Array(capacity);
    this.hhSeen = new Uint8Array(capacity);
    this.window12m = Math.max(1, Math.round((contacts * 365) / this.days.length));
  }

  /** Children with at least one contact in the extract (the warm-up year not counted). */
  get childCount(): number {
    return this.outputChildren;
  }

  /** Households with at least one contact in the extract. */
  get householdCount(): number {
    return this.outputHouseholds;
  }

  get totalContacts(): number {
    return this.options.contacts;
  }

  dayCount(d: number): number {
    return this.dayCounts[d];
  }

  /** The score cuts between the pilot's bands, fixed from the year before the pilot (null until the pilot starts). */
  get pilotBandCuts(): readonly number[] | null {
    return this.bandCuts;
  }

  /** The band of a score: the cuts are fixed, once, from the contacts scored before the pilot. */
  private band(score: number): number {
    if (!this.bandCuts) {
      this.bandCuts = ventileCuts(this.preScores);
      this.preScores = [];
    }
    return bandOf(score, this.bandCuts);
  }

  /** All contacts of day `d`, in time order. Days must be visited in order. */
  runDay(d: number): Contact[] {
    const day = this.days[d];
    const n = this.dayCounts[d];
    const rng = this.rng;
    const srcCum = cumulative(Array.from(this.intensity[d]));
    const active: number[] = [];
    const fte: number[] = [];
    this.screeners.forEach((s, i) => {
      if (this.screenerFrom[i] <= d && d <= this.screenerTo[i]) {
        active.push(i);
        fte.push(s.fte);
      }
    });
    const fteCum = cumulative(fte);
    const drafts: {source: P.ReferralSource; minute: number}[] = [];
    for (let k = 0; k < n; k++) {
      const source = P.REFERRAL_SOURCES[rng.pickCumulative(srcCum)];
      drafts.push({source, minute: contactMinute(rng, source)});
    }
    drafts.sort((a, b) => a.minute - b.minute);
    return drafts.map((dr) => this.contact(day, dr.source, dr.minute, active[rng.pickCumulative(fteCum)]));
  }

  /** The child of contact `i` on day `d`: someone seen in the last 12 months, or a new child. */
  private chooseChild(d: number, i: number): number {
    const rng = this.rng;
    if (i > 0 && rng.bernoulli(P.recurrence.recontactProbability)) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const j = i - 1 - rng.int(Math.min(i, this.window12m));
        if (d - this.contactDay[j] > 365) continue;
        const c = this.contactChild[j];
        if (d - this.childBirth[c] >= 18 * 365.25) continue;
        if (this.recentContacts(c, d) >= MAX_RECENT) continue;
        if (rng.bernoulli(sigmoid(P.recurrence.recontactRiskWeight * this.childRisk[c]))) return c;
      }
    }
    return this.newChild(d, i);
  }

  private newChild(d: number, i: number): number {
    const rng = this.rng;
    let h = -1;
    if (i > 0 && rng.bernoulli(P.recurrence.siblingProbability)) {
      h = this.childHousehold[this.contactChild[i - 1 - rng.int(Math.min(i, this.window12m))]];
      if (this.hhSize[h] >= MAX_HOUSEHOLD) h = -1;
    }
    if (h < 0) {
      h = this.nHouseholds++;
      this.hhRisk[h] = rng.normal(0, P.recurrence.householdRiskSd);
      this.hhDistrict[h] = rng.bernoulli(P.districtOutOfCounty) ? 255 : P.DISTRICTS.indexOf(DISTRICT_PICK.draw(rng));
      this.hhEthnicity[h] = ETHNICITIES.indexOf(ETHNICITY_PICK.draw(rng));
    }
    const c = this.nChildren++;
    this.childHousehold[c] = h;
    this.hhSize[h]++;
    const u = this.hhRisk[h] + rng.normal(0, P.recurrence.childRiskSd);
    this.childRisk[c] = u;
    const band = AGE_PICK.draw(rng);
    const [lo, hi] = AGE_RANGE[band];
    this.childBirth[c] = Math.round(d - (lo + rng.uniform() * (hi - lo)) * 365.25);
    // Unborn children are recorded as unknown; the others are male or female in the stated ratio.
    this.childGender[c] = band === "unborn" ? 2 : rng.bernoulli(P.genderShare.male / (P.genderShare.male + P.genderShare.female)) ? 0 : 1;
    this.childEthnicity[c] = rng.bernoulli(0.95) ? this.hhEthnicity[h] : ETHNICITIES.indexOf(ETHNICITY_PICK.draw(rng));
    const dis = rng.uniform();
    this.childDisability[c] = dis < P.disabilityShare.yes ? 1 : dis < P.disabilityShare.yes + P.disabilityShare.no ? 0 : 2;
    this.childCp[c] = rng.bernoulli(Math.min(0.5, P.recurrence.initialCpPlan * Math.exp(0.5 * u))) ? 1 : 0;
    const o = rng.uniform();
    const io = P.recurrence.initialOpenCase;
    let acc = 0;
    let open = 0;
    for (const [k, share] of Object.entries(io)) {
      acc += share;
      if (o < acc) {
        open = OPEN.indexOf(k as (typeof OPEN)[number]);
        break;
      }
    }
    this.childOpen[c] = open;
    this.childOpenUntil[c] = open ? d + 30 + rng.int(300) : -1;
    this.childLast[c] = -1;
    return c;
  }

  private contact(day: Day, source: P.ReferralSource, minute: number, screener: number): Contact {
    const rng = this.rng;
    const cal = this.calibration;
    const d = day.index;
    const i = this.nextContact++;
    const c = this.chooseChild(d, i);
    const h = this.childHousehold[c];
    const u = this.childRisk[c];
    if (d >= this.firstDay) {
      if (!this.childSeen[c]) ((this.childSeen[c] = 1), this.outputChildren++);
      if (!this.hhSeen[h]) ((this.hhSeen[h] = 1), this.outputHouseholds++);
    }

    // History: contacts of this child in the 12 months before this one.
    const prior = this.recentContacts(c, d);
    this.prevOfChild[i] = this.childLast[c];
    this.childLast[c] = i;
    this.contactDay[i] = d;
    this.contactChild[i] = c;

    const ageDays = d - this.childBirth[c];
    const age = ageDays < 0 ? -1 : Math.floor(ageDays / 365.25);
    const band: (typeof AGE_BANDS)[number] = age < 0 ? "unborn" : age < 5 ? "0-4" : age < 10 ? "5-9" : age < 16 ? "10-15" : "16-17";
    if (this.childOpen[c] && this.childOpenUntil[c] < d) this.childOpen[c] = 0;
    const open = OPEN[this.childOpen[c]];

    // Concerns: correlated through a shared "toxic trio" factor.
    const z = rng.normal() + 0.3 * u;
    const shift = P.concernSourceShift[source] ?? {};
    const concerns: P.Concern[] = [];
    let mask = 0;
    let best: P.Concern = P.CONCERNS[0];
    let bestLogit = -Infinity;
    for (const k of P.CONCERNS) {
      const l = cal.concernIntercept[k] + P.concernTrioLoading[k] * z + (shift[k] ?? 0);
      if (l > bestLogit) [best, bestLogit] = [k, l];
      if (rng.uniform() < sigmoid(l)) {
        concerns.push(k);
        mask |= CONCERN_BIT[k];
      }
    }
    if (concerns.length === 0) {
      concerns.push(best);
      mask |= CONCERN_BIT[best];
    }
    let primary = concerns[0];
    for (const k of concerns) if (P.concernSeverity[k] > P.concernSeverity[primary]) primary = k;

    let daRisk = "";
    if (source === "police" && mask & CONCERN_BIT.domestic_abuse) {
      const r = 0.5 * u + rng.normal();
      daRisk = r < cal.daCuts[0] ? "standard" : r < cal.daCuts[1] ? "medium" : "high";
    }

    // True need for information sharing (log-odds).
    const T = P.truthEffects;
    let eta = 0;
    for (const k of concerns) eta += T.concern[k];
    if (
      mask & CONCERN_BIT.domestic_abuse &&
      mask & CONCERN_BIT.mental_health &&
      (mask & CONCERN_BIT.drug_misuse || mask & CONCERN_BIT.alcohol_misuse)
    )
      eta += T.toxicTrio;
    if (daRisk) eta += T.daRisk[daRisk as keyof typeof T.daRisk];
    eta += T.age[band];
    eta += T.priorContactsPerContact * Math.min(prior, T.priorContactsCap);
    if (this.childCp[c]) eta += T.previousCpPlan;
    eta += T.openCase[open];
    if (this.childDisability[c] === 1) eta += T.disability;
    eta += T.source[source];
    const etaObserved = cal.shareIntercept + eta;
    const pShareTrue = sigmoid(etaObserved + u);

    // The pilot: a model-like score for every contact (its own stream); the band from it for
    // contacts screened by a pilot team inside the window, where the pilot's effects apply.
    const pilotScore = sigmoid(etaObserved + u + this.pilotRng.normal(0, P.pilot.scoreNoiseSd));
    if (d < this.pilotFrom && d >= this.pilotFrom - P.pilot.ventileDays) this.preScores.push(pilotScore);
    const inPilot = d >= this.pilotFrom && d <= this.pilotTo;
    const pilotTeam = this.screenerInPilot[screener] === 1;
    const pilotContact = inPilot && pilotTeam;
    const pilotEffect = pilotContact && this.pilotEffects;

    // Staff decision: true need plus screener, workload, policy, label bias.
    const bias = this.screeners[screener].bias;
    const screenerEffect = bias * (pilotEffect ? P.pilot.screenerBiasFactor : 1);
    const workload = this.dayWorkload[d] - 1;
    const workloadEffect = P.staffEffects.workloadSlope * Math.max(-0.5, Math.min(0.5, workload));
    const policyEffect = d >= this.policyDay && daRisk === "standard" ? P.staffEffects.policyShiftStandardDa : 0;
    const ethnicity = ETHNICITIES[this.childEthnicity[c]];
    const labelBiasEffect = (this.options.labelBias ?? 1) * (P.staffEffects.labelBiasEthnicity[ethnicity] ?? 0);
    const staffOffset = screenerEffect + workloadEffect + policyEffect + labelBiasEffect;
    const pShareStaff = sigmoid(etaObserved + u + staffOffset);
    const uSd = Math.hypot(P.recurrence.householdRiskSd, P.recurrence.childRiskSd);
    const pShareObservable = expectedSigmoid(etaObserved + staffOffset, uSd);
    const draw = rng.uniform();
    const shared = draw < pShareStaff;
    // The screener's own judgement, before the band: the same draw with the full bias (so without
    // the pilot's effect it is the recorded decision, and with it differs only where halving moved it).
    const fullOffset = pilotEffect ? bias + workloadEffect + policyEffect + labelBiasEffect : staffOffset;
    const wouldShare = pilotContact ? draw < sigmoid(etaObserved + u + fullOffset) : null;

    // Severity, RAG, the decision and what followed.
    const sev = 0.5 * (eta + u) + rng.normal(0, 0.7);
    const trueSeverity = sev < cal.severityCuts[0] ? "green" : sev < cal.severityCuts[1] ? "amber" : "red";
    let decision: string;
    let rag = "";
    let outcome = "";
    if (shared) {
      decision = "info_sharing";
      const r = sev + rng.normal(0, P.staffEffects.ragNoiseSd);
      rag = r < cal.severityCuts[0] ? "green" : r < cal.severityCuts[1] ? "amber" : "red";
      const o = sev + 0.5 * u + rng.normal(0, 0.6);
      outcome =
        o < cal.outcomeCuts[0] ? "nfa" : o < cal.outcomeCuts[1] ? "early_help" : o < cal.outcomeCuts[2] ? "cin_assessment" : "s47_strategy";
    } else {
      const r = sev + rng.normal(0, 0.5);
      decision = r < cal.notSharedCuts[0] ? "nfa" : r < cal.notSharedCuts[1] ? "advice_signposting" : "early_help";
    }
    const base = P.decisionDelayHours;
    const delayBase = shared ? base[rag as "red" | "amber" | "green"] : base.notShared;
    const delayHours =
      rng.lognormal(delayBase, base.sigma) *
      (1 + base.workloadSlope * Math.max(0, workload)) *
      (pilotEffect ? P.pilot.decisionDelayFactor : 1);
    const decisionMinute = minute + d * 1440 + Math.max(5, Math.round(delayHours * 60));
    const pending = decisionMinute >= this.endMinute;
    if (!pending) {
      if (outcome === "s47_strategy") {
        if (rng.bernoulli(0.45)) this.childCp[c] = 1;
        this.setOpen(c, "cp", d + 270);
      } else if (outcome === "cin_assessment") {
        if (rng.bernoulli(0.6)) this.setOpen(c, "cin", d + 180);
      } else if (outcome === "early_help" || decision === "early_help") {
        if (rng.bernoulli(0.7)) this.setOpen(c, "early_help", d + 120);
      }
    }
    const outcomeKnown = !pending && decisionMinute + P.outcomeDelayDays * 1440 < this.endMinute;
    let pilotBand = "";
    let pilotResponse = "";
    if (pilotContact) {
      const band = this.band(pilotScore);
      pilotBand = String(band);
      if (!pending) pilotResponse = screenerResponse(band >= P.pilot.suggestShareFromBand, wouldShare!, shared);
    }

    const consentDraw = CONSENT_PICK.draw(rng);
    const consent = source === "police" && mask & CONCERN_BIT.domestic_abuse ? "not_required" : consentDraw;
    const missAge = rng.bernoulli(P.missingness.age);
    const missGender = rng.bernoulli(P.missingness.gender);
    const missDistrict = rng.bernoulli(P.missingness.district);
    const district = this.hhDistrict[h] === 255 || missDistrict ? "" : P.DISTRICTS[this.hhDistrict[h]];
    const s = this.screeners[screener];

    return {
      index: i,
      contactId: hexId("C", permute32(i, this.keys.contact)),
      childId: hexId("P", permute32(c, this.keys.child)),
      householdId: hexId("H", permute32(h, this.keys.household)),
      contactDatetime: `${day.date} ${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00`,
      referralSource: source,
      ageYears: missAge ? "" : age < 0 ? "unborn" : String(age),
      gender: missGender ? "" : GENDERS[this.childGender[c]],
      ethnicity,
      disability: ["no", "yes", ""][this.childDisability[c]],
      district,
      concerns,
      primaryConcern: primary,
      daRiskLevel: daRisk,
      priorContacts12m: prior,
      previousCpPlan: this.childCp[c] ? "yes" : "no",
      openCaseStatus: open,
      consent,
      screenerId: s.id,
      team: s.team,
      decisionDatetime: pending ? "" : formatMinute(this.days, decisionMinute),
      ragRating: pending ? "" : rag,
      mashDecision: pending ? "" : decision,
      outcomeAfterSharing: outcomeKnown ? outcome : "",
      pilotBand,
      pilotResponse,
      truth: {
        pShareTrue,
        pShareStaff,
        pShareObservable,
        trueSeverity,
        childRisk: u,
        householdRisk: this.hhRisk[h],
        screenerEffect,
        workloadEffect,
        policyEffect,
        labelBiasEffect,
        inPilot,
        pilotTeam,
        pilotScore,
        wouldShare,
        delayHours,
        severityScore: sev,
      },
    };
  }

  /** Contacts of child `c` in the 365 days up to day `d`. */
  private recentContacts(c: number, d: number): number {
    let n = 0;
    for (let j = this.childLast[c]; j >= 0 && d - this.contactDay[j] <= 365; j = this.prevOfChild[j]) n++;
    return n;
  }

  private setOpen(c: number, status: (typeof OPEN)[number], until: number): void {
    const rank = OPEN.indexOf(status);
    if (rank >= this.childOpen[c] || this.childOpenUntil[c] < until) {
      this.childOpen[c] = Math.max(rank, this.childOpen[c]);
      this.childOpenUntil[c] = Math.max(until, this.childOpenUntil[c]);
    }
  }
}

function formatMinute(days: Day[], m: number): string {
  const d = Math.floor(m / 1440);
  const r = m - d * 1440;
  return `${days[d].date} ${pad2(Math.floor(r / 60))}:${pad2(r % 60)}:00`;
}

/** Minute of day a contact arrives [A]: police round the clock (more in the evening), schools in school hours, others in office hours. */
function contactMinute(rng: Rng, source: P.ReferralSource): number {
  if (source === "police") {
    const r = rng.uniform();
    return r < 0.7 ? 480 + rng.int(960) : rng.int(1440);
  }
  if (source === "school" || source === "education_services") return 510 + rng.int(450);
  return 480 + rng.int(600);
}

/** Splits `total` into integer counts proportional to `weights` (cumulative rounding: exact total, deterministic). */
export function allocate(total: number, weights: number[]): Int32Array {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = new Int32Array(weights.length);
  let acc = 0;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    const upTo = Math.round((acc / sum) * total);
    out[i] = upTo - given;
    given = upTo;
  }
  return out;
}

function makeScreeners(rng: Rng, days: Day[]): {screeners: Screener[]; from: Int32Array; to: Int32Array} {
  const S = P.staffEffects;
  const n = S.screeners;
  const key = rng.nextUint32();
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  const last = days.length - 1;
  const fullSpan: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.uniform();
    from[i] = 0;
    to[i] = last;
    if (r < 0.15) from[i] = rng.int(Math.floor(last * 0.6));
    else if (r < 0.3) to[i] = Math.floor(last * 0.4) + rng.int(Math.floor(last * 0.6));
    else fullSpan.push(i);
  }
  // Plant the lenient and strict screeners among those who work the whole window.
  const planted = new Map<number, "lenient" | "strict">();
  for (const role of ["lenient", "strict"] as const) {
    const count = role === "lenient" ? S.lenientScreeners : S.strictScreeners;
    for (let k = 0; k < count && fullSpan.length > 0; k++) planted.set(fullSpan.splice(rng.int(fullSpan.length), 1)[0], role);
  }
  const ids = new Set<string>();
  const screeners: Screener[] = [];
  for (let i = 0; i < n; i++) {
    const role = planted.get(i) ?? "none";
    const bias = role === "lenient" ? S.lenientBias : role === "strict" ? S.strictBias : rng.normal(0, S.otherScreenerSd);
    const fr = rng.uniform();
    const id = "SCR-" + (permute32(i, key) & 0xfffff).toString(16).toUpperCase().padStart(5, "0");
    if (ids.has(id)) throw new Error("screener pseudonym collision: change the seed");
    ids.add(id);
    screeners.push({
      id,
      team: teamCodes()[i % S.teams],
      role,
      bias,
      fte: fr < 0.2 ? 0.5 : fr < 0.4 ? 0.8 : 1,
      activeFrom: days[from[i]].date,
      activeTo: days[to[i]].date,
    });
  }
  return {screeners, from, to};
}

/** Helpers shared with calibration. */
export {logit};
