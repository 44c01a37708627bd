/**
 * The Impact page's null runs: with the pilot's effects switched off (`--no-pilot-effects`), its
 * pre-registered claims (loaders/impact/compute.ts claimSections, the page's own code) must not
 * be made more often than chance. The generator's engine runs in process on SEEDS seeds of
 * CONTACTS contacts over 36 months ending with the pilot window; one calibration serves every seed
 * (it fixes intercepts only). Each claim alone is tested at 5%, so over 20 seeds about one false
 * claim each is expected; Holm's family-wise 5% allows about one seed with any claim. The bounds
 * below fail with probability under 2% for a correct 5% test (binomial, 20 draws). The page's columns come
 * straight from the engine; the case-mix expectation is the generator's observable sharing probability
 * (truth's p_share_observable: it knows neither the date nor the screener), standing in for a trained model.
 */
import {describe, expect, it} from "vitest";
import {CLAIMS, claimSections, pilotTeamFlags} from "../../../loaders/impact/compute.ts";
import {Engine, type EngineOptions, type Calibration} from "../../../loaders/synth/engine.ts";
import {calibrate} from "../../../loaders/synth/calibrate.ts";
import type {ImpactContext} from "../../../loaders/impact/compute.ts";
import type {ImpactRecords} from "../../../loaders/impact/records.ts";

/** 36 months ending with the default pilot window: a year-earlier comparison, a placebo year and 33 months before for the time series (enough in-time placebos to calibrate its interval). */
const NULL_DESIGN = {start: "2016-04-01", months: 36, pilotStart: "2019-01-01", pilotEnd: "2019-03-31"};

const calibrationFor = (o: EngineOptions): Calibration => calibrate(o);

const dayOf = (t: string) => Date.parse(`${t.replace(" ", "T")}Z`) / 86_400_000;

function engineImpact(o: EngineOptions, calibration: Calibration): {records: ImpactRecords; context: ImpactContext; pilotTeams: string[]} {
  const engine = new Engine(o, calibration);
  const c = {
    person: [] as string[],
    day: [] as number[],
    hours: [] as number[],
    screener: [] as string[],
    team: [] as string[],
    shared: [] as number[],
    nfa: [] as number[],
    rag: [] as string[],
    source: [] as string[],
    concerns: [] as string[][],
    band: [] as (string | null)[],
    response: [] as (string | null)[],
    subgroup: [] as number[],
    expected: [] as number[],
  };
  const pilotTeams = new Set<string>();
  for (let d = 0; d < engine.days.length; d++) {
    const batch = engine.runDay(d);
    if (d < engine.firstDay) continue;
    for (const x of batch) {
      const day = dayOf(x.contactDatetime);
      const decided = x.mashDecision !== "";
      c.person.push(x.childId);
      c.day.push(day);
      c.hours.push(decided ? (dayOf(x.decisionDatetime) - day) * 24 : NaN);
      c.screener.push(x.screenerId);
      c.team.push(x.team);
      c.shared.push(!decided ? -1 : x.mashDecision === "info_sharing" ? 1 : 0);
      c.nfa.push(!decided ? -1 : x.mashDecision === "nfa" ? 1 : 0);
      c.rag.push(!decided ? "" : x.mashDecision !== "info_sharing" ? "Not shared" : x.ragRating);
      c.source.push(x.referralSource);
      c.concerns.push(x.concerns);
      c.band.push(x.pilotBand || null);
      c.response.push(x.pilotResponse || null);
      c.subgroup.push(x.daRiskLevel === "standard" ? 1 : 0);
      c.expected.push(x.truth.pShareObservable);
      if (x.pilotBand) pilotTeams.add(x.team);
    }
  }
  const records: ImpactRecords = {
    ...c,
    day: Float64Array.from(c.day),
    hours: Float64Array.from(c.hours),
    shared: Int8Array.from(c.shared),
    nfa: Int8Array.from(c.nfa),
    subgroup: Uint8Array.from(c.subgroup),
    expected: Float64Array.from(c.expected),
  };
  const teams = [...new Set(c.team)].sort();
  const context: ImpactContext = {
    window: {start: o.pilotStart, end: o.pilotEnd},
    pilotTeams: [...pilotTeams].sort(),
    teams,
    teamsFrom: "bands",
    labels: {team: {}, source: {}, concern: {}},
    hasPerson: true,
    hasResponse: true,
    subgroup: {label: "standard-risk domestic-abuse notifications", definition: "DASH standard"},
    caseMix: {
      model: "generator p_share_observable",
      trainedAt: "",
      features: 0,
      excludes: [],
      check: "the generator's observable probability",
    },
    dictionary: "generated",
  };
  return {records, context, pilotTeams: [...pilotTeams].sort()};
}

const SEEDS = Number(process.env.IMPACT_NULL_SEEDS ?? 20);
const CONTACTS = 40_000;

describe("Impact page: no pilot effect claimed when none was planted", () => {
  it(`over ${SEEDS} seeds, each claim and any claim after Holm at most as often as chance allows`, () => {
    const base = {...NULL_DESIGN, contacts: CONTACTS, pilotEffects: false};
    const calibration = calibrationFor({...base, seed: 1});
    const raw = new Map<string, number>(CLAIMS.map((c) => [c, 0]));
    const estimated = new Map<string, number>(CLAIMS.map((c) => [c, 0]));
    let anyHolm = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const {records, context} = engineImpact({...base, seed}, calibration);
      expect(context.pilotTeams.length, `seed ${seed}: pilot teams`).toBeGreaterThan(0);
      const s = claimSections(records, context, pilotTeamFlags(records, context.pilotTeams));
      for (const v of s.verdicts) {
        if (v.p !== null) estimated.set(v.name, estimated.get(v.name)! + 1);
        if (v.p !== null && v.p < 0.05) raw.set(v.name, raw.get(v.name)! + 1);
      }
      if (s.verdicts.some((v) => v.claimed)) anyHolm++;
    }
    const summary = CLAIMS.map((c) => `${c}: ${raw.get(c)}/${estimated.get(c)}`).join("; ");
    console.log(`impact null runs (${SEEDS} seeds × ${CONTACTS} contacts): ${summary}; any claim after Holm: ${anyHolm}`);
    // Claims that can be estimated on this design are estimated on most seeds (a null run that always reads "too few" tests nothing).
    // The consistency ratio is not among them: at this size the spread before the pilot is often indistinguishable from none, and
    // the page then reads "too few to tell" (it never claims); its null behaviour is measured on the seeds where it is estimated.
    for (const c of [CLAIMS[0], CLAIMS[1], CLAIMS[3], CLAIMS[4]])
      expect(estimated.get(c), `${c} estimated on too few seeds`).toBeGreaterThanOrEqual(Math.ceil(SEEDS * 0.7));
    const bound = SEEDS >= 20 ? 3 : Math.max(1, Math.ceil(SEEDS * 0.15));
    for (const c of CLAIMS) expect(raw.get(c), `${c}: claimed at 5% on ${raw.get(c)} of ${SEEDS} seeds`).toBeLessThanOrEqual(bound);
    expect(anyHolm, `any claim after Holm on ${anyHolm} of ${SEEDS} seeds`).toBeLessThanOrEqual(bound);
  }, 300_000);
});
