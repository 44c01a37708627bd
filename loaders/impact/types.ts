/**
 * The shape of the Impact page's data (src/data/impact.json): aggregates only — counts, rates,
 * estimates with intervals — never a record key, a child or a named screener. Every estimate is a
 * src/lib/impact Result ({status: "estimate", value, lo, hi, p, nullValue, n, unit, method} or
 * {status: "too few", n, reason, method}). `headline` holds what a printable board pack quotes.
 * Re-exported by loaders/pages/impact.ts.
 */
import type {RateInterval} from "../../src/lib/intervals.ts";
import type {ChangePointResult} from "../../src/lib/impact/change-point.ts";
import type {DidCell} from "../../src/lib/impact/did.ts";
import type {ClaimVerdict} from "../../src/lib/impact/multiplicity.ts";
import type {GroupShares, OutcomeByAction} from "../../src/lib/impact/overrides.ts";
import type {Result} from "../../src/lib/impact/result.ts";
import type {SafetyWindow} from "../../src/lib/impact/safety.ts";

/** The answer when the dictionary or project file lacks what the page needs: what, in a sentence. */
export interface ImpactUnavailable {
  available: false;
  /** e.g. ["pilot (workbench.yaml)", "roles.team"] */
  needs: string[];
  reason: string;
}

/** A share with its Wilson interval, or null below the page's minimum group size. */
export interface Share {
  k: number;
  n: number;
  rate: RateInterval | null;
}

/** Every section opens with the question, the pre-registered comparison and the method. */
export interface Section {
  question: string;
  /** stated before the figures */
  comparison: string;
}

export interface ImpactData {
  available: true;
  /** what the data are: decided contacts, the contacts' first and last day */
  data: {contacts: number; decided: number; from: string; to: string; dictionary: string};
  design: {
    window: {start: string; end: string};
    /** the same months a year earlier */
    before: {start: string; end: string};
    pilotTeams: string[];
    otherTeams: string[];
    teamsFrom: "project" | "bands";
    /** contacts of the pilot teams inside the window, and of them how many carry a band */
    pilotContacts: number;
    banded: number;
  };
  /** the case-mix model: its id, and the check that it knows neither the date nor who decided */
  caseMix: {model: string; trainedAt: string; features: number; excludes: string[]; check: string};
  decisionTime: Section & {
    /** exp(difference-in-differences), adjusted for RAG rating */
    overall: Result;
    cells: DidCell[];
    byRag: {rag: string; ratio: Result; cells: DidCell[]}[];
    /** the same comparison a year earlier, where nothing changed: the parallel-trends check */
    placebo: {window: {start: string; end: string}; before: {start: string; end: string}; overall: Result; cells: DidCell[]};
    /** geometric mean hours by month and group, for the parallel-trends chart */
    monthly: {month: string; group: "pilot teams" | "other teams"; n: number; geometricMeanHours: number}[];
    /** interrupted time series of the whole MASH (RAG-adjusted monthly mean log hours) */
    its: {
      levelChange: Result;
      pointsBefore: number;
      pointsAfter: number;
      placebos: number;
      series: {month: string; n: number; hours: number; fitted: number; counterfactual: number}[];
    };
  };
  consistency: Section & {
    groups: {
      group: "pilot teams" | "other teams";
      screeners: number;
      leftOut: number;
      before: {tau: Result; q: number; df: number; contacts: number} | {tooFew: string};
      during: {tau: Result; q: number; df: number; contacts: number} | {tooFew: string};
      sdRatio: Result;
      varianceRatio: Result;
      /** each screener's effect before and during (screeners unnamed: numbered by their effect before) */
      effects: {screener: string; period: "before" | "during"; n: number; effect: number; lo: number; hi: number}[];
    }[];
  };
  noSharing: Section & {
    /** the staff-did-not-share share by group and period */
    cells: {group: "pilot teams" | "other teams"; period: "before" | "during"; share: Share}[];
    /** (pilot during − before) − (others during − before), in proportions */
    difference: Result;
    /** the same difference-in-differences of the case-mix model's expected share: a change in what was referred, not in decisions */
    caseMix: Result;
    /** by referral source (all teams), before and during, with the concerns of the contacts staff did not share */
    bySource: {
      source: string;
      period: "before" | "during";
      share: Share;
      tooFew: string | null;
      concerns: {concern: string; share: Share}[];
    }[];
  };
  safety: Section & {windows: SafetyWindow[]; dataEnd: string | null; note: string};
  workload: Section & {
    sharingSlope: Result;
    decisionTimeSlope: Result;
    byBand: {band: string; rate: RateInterval}[];
    days: {days: number; meanCount: number; busier: number; quieter: number};
    /** days binned by excess volume: the share staff shared and the geometric mean hours, for the chart */
    bins: {excess: number; days: number; shared: Share; hours: number | null}[];
    leftOut: string;
  };
  overrides:
    | (Section & {
        overall: GroupShares;
        byBand: GroupShares[];
        byTeam: GroupShares[];
        outcomes: {days: number; byAction: OutcomeByAction[]; difference: Result}[];
        method: string;
      })
    | {unavailable: string};
  changePoint: Section & {
    subgroup: {label: string; definition: string; scan: ChangePointResult};
    all: {label: string; scan: ChangePointResult};
  };
  claims: ClaimVerdict[];
  holmMethod: string;
  headline: {
    decisionTimeRatio: Result;
    screenerSdRatio: Result;
    screenerVarianceRatio: Result;
    noFurtherSharing: {before: Share; during: Share; difference: Result};
    safety30: Result;
    safety90: Result;
    claims: ClaimVerdict[];
  };
}
