/**
 * Writes a synthetic extract to disk, streaming day by day: contacts.csv, the
 * ground truth (truth/contacts_truth.csv and truth/truth.json, never read by model
 * or page code) and manifest.json (seed, parameters, profile, counts, file hashes).
 * Deterministic: the same options give byte-identical files. The profile
 * (profiles.ts) decides only how contacts.csv is written: the contacts and
 * truth/contacts_truth.csv are the same in every profile.
 */
import {createHash, type Hash} from "node:crypto";
import {createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync, type WriteStream} from "node:fs";
import {once} from "node:events";
import {join} from "node:path";
import {Engine, type Contact} from "./engine.ts";
import {calibrate} from "./calibrate.ts";
import {Messer} from "./messiness.ts";
import {csvLine, DEFAULT_PROFILE, profile as profileNamed, type ProfileName} from "./profiles.ts";
import * as P from "./params.ts";
import {makeDays} from "./calendar.ts";
import {impactTargets, plantedEffects} from "./planted.ts";
import {PILOT_RESPONSES} from "./pilot.ts";

export {plantedEffects};

export interface GenerateOptions {
  seed: number;
  start: string;
  months: number;
  /** Total contacts; default: about 2,500 a month. */
  contacts?: number;
  messiness: number;
  pilotStart: string;
  pilotEnd: string;
  out: string;
  /** how the extract is written (profiles.ts): "suffolk" (the default) or "essex" */
  profile?: ProfileName;
  /** multiplier of the planted label bias (params.ts labelBiasEthnicity): 1 as planted (the default), 0 off */
  labelBias?: number;
  /** teams that run the pilot: team codes, "all", or absent for half of them chosen by seed */
  pilotTeams?: readonly string[] | "all";
  /** false: the pilot's band and response are written, its effects not planted (the null run); default true */
  pilotEffects?: boolean;
}

export const GENERATOR_VERSION = "mash-workbench-synth/4";

export interface Manifest {
  generator: string;
  seed: number;
  parameters: Omit<GenerateOptions, "out" | "pilotTeams"> & {contacts: number; profile: ProfileName; pilotTeams: string[]};
  /** the dictionary that describes contacts.csv (the profile's) */
  dictionary: string;
  counts: {contacts: number; rows: number; children: number; households: number; malformed: number; duplicates: number; pending: number};
  files: Record<string, {bytes: number; rows: number; sha256: string}>;
}

const TRUTH_COLUMNS = [
  "contact_id",
  "p_share_true",
  "p_share_staff",
  "p_share_observable",
  "true_severity",
  "severity_score",
  "child_risk",
  "household_risk",
  "screener_effect",
  "workload_effect",
  "policy_effect",
  "label_bias_effect",
  "in_pilot",
  "delay_hours",
  "pilot_team",
  "pilot_score",
  "would_share",
];

class HashedFile {
  readonly hash: Hash = createHash("sha256");
  bytes = 0;
  rows = 0;
  private readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path, {encoding: "utf8"});
  }
  async write(text: string, rows: number): Promise<void> {
    this.hash.update(text);
    this.bytes += Buffer.byteLength(text);
    this.rows += rows;
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
  async close(): Promise<{bytes: number; rows: number; sha256: string}> {
    this.stream.end();
    await once(this.stream, "finish");
    return {bytes: this.bytes, rows: this.rows, sha256: this.hash.digest("hex")};
  }
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(6));

export function contactFields(c: Contact): string[] {
  return [
    c.contactId,
    c.childId,
    c.householdId,
    c.contactDatetime,
    c.referralSource,
    c.ageYears,
    c.gender,
    c.ethnicity,
    c.disability,
    c.district,
    c.concerns.join(";"),
    c.primaryConcern,
    c.daRiskLevel,
    String(c.priorContacts12m),
    c.previousCpPlan,
    c.openCaseStatus,
    c.consent,
    c.screenerId,
    c.team,
    c.decisionDatetime,
    c.ragRating,
    c.mashDecision,
    c.outcomeAfterSharing,
    c.pilotBand,
    c.pilotResponse,
  ];
}

function truthFields(c: Contact): string {
  const t = c.truth;
  return [
    c.contactId,
    num(t.pShareTrue),
    num(t.pShareStaff),
    num(t.pShareObservable),
    t.trueSeverity,
    num(t.severityScore),
    num(t.childRisk),
    num(t.householdRisk),
    num(t.screenerEffect),
    num(t.workloadEffect),
    num(t.policyEffect),
    num(t.labelBiasEffect),
    t.inPilot ? "1" : "0",
    num(t.delayHours),
    t.pilotTeam ? "1" : "0",
    num(t.pilotScore),
    t.wouldShare === null ? "" : t.wouldShare ? "1" : "0",
  ].join(",");
}

/** Streaming AUC from score histograms (2,000 bins; ties within a bin count half). */
class HistogramAuc {
  private readonly pos = new Float64Array(2000);
  private readonly neg = new Float64Array(2000);
  add(score: number, label: boolean): void {
    const b = Math.min(1999, Math.max(0, Math.floor(score * 2000)));
    (label ? this.pos : this.neg)[b]++;
  }
  value(): number {
    let negBelow = 0,
      acc = 0,
      nPos = 0,
      nNeg = 0;
    for (let b = 0; b < 2000; b++) {
      acc += this.pos[b] * (negBelow + this.neg[b] / 2);
      negBelow += this.neg[b];
      nPos += this.pos[b];
      nNeg += this.neg[b];
    }
    return acc / (nPos * nNeg);
  }
}

/** Default number of contacts for a window: about 2,500 a month. */
export function defaultContacts(months: number): number {
  return Math.round(P.volume.contactsPerMonth * months);
}

/**
 * Generates the extract into `options.out`. Files are written under a temporary
 * name and renamed at the end, so an interrupted run never leaves a half file
 * that looks complete. `onProgress(done, total)` is called once a day.
 */
export async function generateExtract(options: GenerateOptions, onProgress?: (done: number, total: number) => void): Promise<Manifest> {
  makeDays(options.start, options.months); // validates the window before any file is touched
  const contacts = options.contacts ?? defaultContacts(options.months);
  const engineOptions = {
    seed: options.seed,
    start: options.start,
    months: options.months,
    contacts,
    pilotStart: options.pilotStart,
    pilotEnd: options.pilotEnd,
    labelBias: options.labelBias ?? 1,
    pilotTeams: options.pilotTeams,
    pilotEffects: options.pilotEffects ?? true,
  };
  const profile = profileNamed(options.profile ?? DEFAULT_PROFILE);
  const messer = new Messer(options.seed, options.messiness, profile);
  const calibration = calibrate(engineOptions);
  const engine = new Engine(engineOptions, calibration);
  const out = options.out;
  const tmp = join(out, `.generating-${process.pid}`); // per process: two runs never share a half-written folder
  rmSync(tmp, {recursive: true, force: true});
  mkdirSync(join(tmp, "truth"), {recursive: true});
  const extract = new HashedFile(join(tmp, "contacts.csv"));
  const truth = new HashedFile(join(tmp, "truth", "contacts_truth.csv"));
  await extract.write(csvLine(profile.order.map((c) => profile.header[c])) + "\n", 0);
  await truth.write(TRUTH_COLUMNS.join(",") + "\n", 0);

  let line = 2;
  let done = 0;
  let pending = 0;
  let shared = 0;
  let decided = 0;
  const aucStaff = new HistogramAuc();
  const aucObservable = new HistogramAuc();
  const aucTrueNeed = new HistogramAuc();
  const byScreener = new Map<string, {n: number; shared: number; expected: number}>();
  const pilot = {contacts: 0, banded: 0, responses: Object.fromEntries(PILOT_RESPONSES.map((r) => [r, 0])) as Record<string, number>};
  for (let d = 0; d < engine.days.length; d++) {
    const batch = engine.runDay(d);
    if (d < engine.firstDay) continue; // the warm-up year is simulated, not written
    const lines: string[] = [];
    const truthLines: string[] = [];
    for (const c of batch) {
      for (const l of messer.apply(contactFields(c), line)) {
        lines.push(l);
        line++;
      }
      truthLines.push(truthFields(c));
      if (c.truth.inPilot) pilot.contacts++;
      if (c.pilotBand !== "") pilot.banded++;
      if (c.pilotResponse !== "") pilot.responses[c.pilotResponse]++;
      if (c.mashDecision === "") {
        pending++;
        continue;
      }
      const isShared = c.mashDecision === "info_sharing";
      decided++;
      if (isShared) shared++;
      aucStaff.add(c.truth.pShareStaff, isShared);
      aucObservable.add(c.truth.pShareObservable, isShared);
      aucTrueNeed.add(c.truth.pShareTrue, isShared);
      const s = byScreener.get(c.screenerId) ?? {n: 0, shared: 0, expected: 0};
      const withoutScreener = 1 / (1 + Math.exp(-(Math.log(c.truth.pShareStaff / (1 - c.truth.pShareStaff)) - c.truth.screenerEffect)));
      s.n++;
      s.shared += isShared ? 1 : 0;
      s.expected += withoutScreener;
      byScreener.set(c.screenerId, s);
    }
    if (lines.length) await extract.write(lines.join("\n") + "\n", lines.length);
    if (truthLines.length) await truth.write(truthLines.join("\n") + "\n", truthLines.length);
    done += batch.length;
    onProgress?.(done, contacts);
  }
  const extractInfo = await extract.close();
  const truthInfo = await truth.close();

  const design = {
    pilotStart: options.pilotStart,
    pilotEnd: options.pilotEnd,
    pilotTeams: engine.pilotTeams,
    pilotEffects: engine.pilotEffects,
  };
  const truthJson = {
    generator: GENERATOR_VERSION,
    note: "Ground truth of the synthetic extract. Never read by model or page code: only by tests and evaluation checks.",
    calibration,
    plantedEffects: plantedEffects({...design, labelBias: options.labelBias}),
    pilot: {
      start: options.pilotStart,
      end: options.pilotEnd,
      teams: engine.pilotTeams,
      effects: engine.pilotEffects,
      bands: P.pilot.bands,
      bandCuts: engine.pilotBandCuts,
      suggestShareFromBand: P.pilot.suggestShareFromBand,
      scoreNoiseSd: P.pilot.scoreNoiseSd,
    },
    impact: impactTargets(design, engine.screeners),
    screeners: engine.screeners.map((s) => ({...s, ...(byScreener.get(s.id) ?? {n: 0, shared: 0, expected: 0})})),
    realised: {
      contacts,
      decided,
      pending,
      shareRate: shared / decided,
      aucStaffDecisionOracle: aucStaff.value(),
      aucStaffDecisionObservable: aucObservable.value(),
      aucTrueNeedVsStaffDecision: aucTrueNeed.value(),
      pilot: {
        contactsInWindow: pilot.contacts,
        contactsWithBand: pilot.banded,
        responses: pilot.responses,
      },
    },
    messiness: {level: options.messiness, ...messer.log},
  };
  const truthJsonText = JSON.stringify(truthJson, null, 1) + "\n";
  writeFileSync(join(tmp, "truth", "truth.json"), truthJsonText);
  const manifest: Manifest = {
    generator: GENERATOR_VERSION,
    seed: options.seed,
    parameters: {
      seed: options.seed,
      start: options.start,
      months: options.months,
      contacts,
      messiness: options.messiness,
      pilotStart: options.pilotStart,
      pilotEnd: options.pilotEnd,
      pilotTeams: engine.pilotTeams,
      profile: profile.name as ProfileName,
      // recorded only when changed, so the default sample's manifest stays as it was
      ...(options.labelBias !== undefined && options.labelBias !== 1 ? {labelBias: options.labelBias} : {}),
      ...(engine.pilotEffects ? {} : {pilotEffects: false}),
    },
    dictionary: profile.dictionary,
    counts: {
      contacts,
      rows: extractInfo.rows,
      children: engine.childCount,
      households: engine.householdCount,
      malformed: messer.log.malformed.length,
      duplicates: messer.log.duplicates.length,
      pending,
    },
    files: {
      "contacts.csv": extractInfo,
      "truth/contacts_truth.csv": truthInfo,
      "truth/truth.json": {
        bytes: Buffer.byteLength(truthJsonText),
        rows: 0,
        sha256: createHash("sha256").update(truthJsonText).digest("hex"),
      },
    },
  };
  writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  // Swap the finished files into place.
  mkdirSync(join(out, "truth"), {recursive: true});
  for (const f of ["contacts.csv", "truth/contacts_truth.csv", "truth/truth.json", "manifest.json"]) renameSync(join(tmp, f), join(out, f));
  rmSync(tmp, {recursive: true, force: true});
  return manifest;
}
