// The model pilot in the generator (issue 22): which teams run it (half by seed, all, or a list),
// the band and the response written only for pilot teams inside the window, coherent with the
// planted mechanism (would-be decision with the full bias, recorded one with the halved bias),
// the truth file's design and impact targets, and a null run (--no-pilot-effects) whose planted
// pilot effects are absent. Files come from the real generator into a temporary folder.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract, type GenerateOptions, type Manifest} from "../../../loaders/synth/write.ts";
import {bandOf, choosePilotTeams, screenerResponse, teamCodes, ventileCuts} from "../../../loaders/synth/pilot.ts";
import * as P from "../../../loaders/synth/params.ts";
import {generateCommand, pilotTeamList} from "../../../loaders/cli/generate.ts";

/** 60,000 clean contacts over the default window: about 3,500 in the pilot window. */
const base: Omit<GenerateOptions, "out"> = {
  seed: 22,
  start: "2015-01-01",
  months: 51,
  contacts: 60_000,
  messiness: 0,
  pilotStart: "2019-01-01",
  pilotEnd: "2019-03-31",
};
type Row = Record<string, string>;
let dir: string;

function readTable(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const cols = header.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? ""]));
  });
}

interface Run {
  manifest: Manifest;
  rows: Row[];
  truthRows: Row[];
  truth: any;
  lines: string[];
}
async function run(name: string, options: Partial<GenerateOptions> = {}): Promise<Run> {
  const out = join(dir, name);
  const manifest = await generateExtract({...base, ...options, out});
  return {
    manifest,
    rows: readTable(join(out, "contacts.csv")),
    truthRows: readTable(join(out, "truth", "contacts_truth.csv")),
    truth: JSON.parse(readFileSync(join(out, "truth", "truth.json"), "utf8")),
    lines: readFileSync(join(out, "contacts.csv"), "utf8").split("\n"),
  };
}

const inWindow = (r: Row) => r.contact_datetime >= "2019-01-01" && r.contact_datetime < "2019-04-01";
const aYearBefore = (r: Row) => r.contact_datetime >= "2018-01-01" && r.contact_datetime < "2018-04-01";
const hours = (r: Row) =>
  (Date.parse(r.decision_datetime.replace(" ", "T") + "Z") - Date.parse(r.contact_datetime.replace(" ", "T") + "Z")) / 3.6e6;
const meanLog = (rows: Row[]) => {
  const xs = rows.filter((r) => r.decision_datetime !== "").map((r) => Math.log(hours(r)));
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};
/** Difference-in-differences of log decision time: pilot teams against the others, the window against the same months a year before. */
function decisionTimeRatio(r: Run): number {
  const teams = new Set<string>(r.truth.pilot.teams);
  const diff = (rows: Row[]) => meanLog(rows.filter((x) => teams.has(x.team))) - meanLog(rows.filter((x) => !teams.has(x.team)));
  return Math.exp(diff(r.rows.filter(inWindow)) - diff(r.rows.filter(aYearBefore)));
}

let effects: Run;
let none: Run;
let all: Run;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pilot-"));
  effects = await run("effects");
  none = await run("none", {pilotEffects: false});
  all = await run("all", {pilotTeams: "all"});
}, 120_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("which teams run the pilot", () => {
  it("by default half the teams, the same for a seed everywhere, different across seeds", () => {
    const choices = Array.from({length: 20}, (_, s) => choosePilotTeams(undefined, s + 1));
    for (const c of choices) {
      expect(c).toHaveLength(Math.floor(teamCodes().length / 2));
      expect(new Set(c).size).toBe(c.length);
      for (const t of c) expect(teamCodes()).toContain(t);
    }
    expect(choosePilotTeams(undefined, 5)).toEqual(choosePilotTeams(undefined, 5));
    expect(new Set(choices.map((c) => c.join(","))).size).toBeGreaterThan(2);
    expect(effects.truth.pilot.teams).toEqual(choosePilotTeams(undefined, base.seed));
    expect(effects.manifest.parameters.pilotTeams).toEqual(effects.truth.pilot.teams);
  });

  it('takes "all" or a list (in team order), and refuses an unknown, repeated or empty list by name', () => {
    expect(choosePilotTeams("all", 1)).toEqual(teamCodes());
    expect(choosePilotTeams(["T3", "T1"], 1)).toEqual(["T1", "T3"]);
    expect(() => choosePilotTeams(["T1", "T9"], 1)).toThrow(/unknown pilot team "T9"; the generator's teams: T1, T2, T3, T4/);
    expect(() => choosePilotTeams(["T2", "T2"], 1)).toThrow(/pilot team "T2" is named twice/);
    expect(() => choosePilotTeams([], 1)).toThrow(/at least one pilot team/);
    expect(all.truth.pilot.teams).toEqual(teamCodes());
  });

  it("the command parses --pilot-teams and --no-pilot-effects, and refuses a bad team before generating", async () => {
    expect(pilotTeamList("all")).toBe("all");
    expect(pilotTeamList(" T3, T1")).toEqual(["T3", "T1"]);
    expect(() => pilotTeamList("T1,Team 5")).toThrow(/unknown pilot team "Team 5"/);
    const cmd = generateCommand()
      .exitOverride()
      .configureOutput({writeErr: () => {}});
    await expect(cmd.parseAsync(["--pilot-teams", "T7", "--out", join(dir, "never")], {from: "user"})).rejects.toThrow(
      /unknown pilot team "T7"/,
    );
    const help = generateCommand().helpInformation();
    expect(help).toMatch(/--pilot-teams <teams>/);
    expect(help).toMatch(/--no-pilot-effects/);
    const out = join(dir, "cli");
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write; // the progress bar and summary
    try {
      await generateCommand().parseAsync(
        [
          "--contacts",
          "2000",
          "--months",
          "24",
          "--start",
          "2017-04-01",
          "--messiness",
          "0",
          "--pilot-teams",
          "T2,T4",
          "--no-pilot-effects",
          "--out",
          out,
        ],
        {from: "user"},
      );
    } finally {
      process.stderr.write = stderr;
    }
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(m.parameters).toMatchObject({pilotTeams: ["T2", "T4"], pilotEffects: false});
  }, 30_000);
});

describe("the band and the response", () => {
  it("bands are ventiles of the year before, and a band is the same function of the score all through the pilot", () => {
    const cuts = ventileCuts(Array.from({length: 1000}, (_, i) => i / 1000));
    expect(cuts).toHaveLength(19);
    const counts = new Array(20).fill(0);
    for (let i = 0; i < 1000; i++) counts[bandOf(i / 1000, cuts) - 1]++;
    expect(counts).toEqual(new Array(20).fill(50));
    expect(bandOf(-1, cuts)).toBe(1);
    expect(bandOf(2, cuts)).toBe(20);
    expect(() => ventileCuts([0.1, 0.2])).toThrow(/at least 20 scored contacts/);
    // In the generated extract: the year before the pilot splits into twentieths by the truth's cuts,
    // and every written band is the band of the truth's score.
    const truthCuts: number[] = effects.truth.pilot.bandCuts;
    const yearBefore = effects.rows
      .map((r, i) => [r, effects.truthRows[i]] as const)
      .filter(([r]) => r.contact_datetime >= "2018-01-01" && r.contact_datetime < "2019-01-01");
    const byBand = new Array(20).fill(0);
    for (const [, t] of yearBefore) byBand[bandOf(Number(t.pilot_score), truthCuts) - 1]++;
    for (const n of byBand) expect(Math.abs(n / yearBefore.length - 0.05)).toBeLessThan(0.006);
    effects.rows.forEach((r, i) => {
      if (r.pilot_band !== "") expect(Number(r.pilot_band)).toBe(bandOf(Number(effects.truthRows[i].pilot_score), truthCuts));
    });
  });

  it("are written only for contacts screened by a pilot team inside the window (the response once decided), blank elsewhere", () => {
    for (const r of [effects, none, all]) {
      const teams = new Set<string>(r.truth.pilot.teams);
      let banded = 0;
      r.rows.forEach((x, i) => {
        const pilot = inWindow(x) && teams.has(x.team);
        expect(x.pilot_band !== "", x.contact_id).toBe(pilot);
        expect(x.pilot_response !== "", x.contact_id).toBe(pilot && x.mash_decision !== "");
        expect(r.truthRows[i].pilot_team).toBe(teams.has(x.team) ? "1" : "0");
        expect(r.truthRows[i].would_share !== "").toBe(pilot);
        if (pilot) banded++;
      });
      expect(banded).toBe(r.truth.realised.pilot.contactsWithBand);
      expect(banded).toBeGreaterThan(1000);
    }
    // Half the teams: some window contacts carry no band.
    expect(effects.rows.filter(inWindow).some((x) => x.pilot_band === "")).toBe(true);
    expect(all.rows.filter(inWindow).every((x) => x.pilot_band !== "")).toBe(true);
  });

  it("the response follows from the would-be and the recorded decision, in plausible shares", () => {
    expect(screenerResponse(true, true, true)).toBe("agreed");
    expect(screenerResponse(true, false, true)).toBe("followed");
    expect(screenerResponse(true, true, false)).toBe("overrode");
    expect(screenerResponse(false, true, false)).toBe("followed");
    expect(screenerResponse(false, true, true)).toBe("overrode");
    for (const r of [effects, none]) {
      const counts: Record<string, number> = {agreed: 0, followed: 0, overrode: 0};
      r.rows.forEach((x, i) => {
        if (x.pilot_response === "") return;
        counts[x.pilot_response]++;
        const suggests = Number(x.pilot_band) >= P.pilot.suggestShareFromBand;
        const shared = x.mash_decision === "info_sharing";
        const would = r.truthRows[i].would_share === "1";
        expect(x.pilot_response, x.contact_id).toBe(screenerResponse(suggests, would, shared));
      });
      const n = counts.agreed + counts.followed + counts.overrode;
      expect(counts).toEqual(r.truth.realised.pilot.responses);
      // Most decisions agree with the band; about a quarter go against it (the band is a noisy score,
      // the screener's decision another reading of the same need).
      expect(counts.agreed / n).toBeGreaterThan(0.6);
      expect(counts.agreed / n).toBeLessThan(0.9);
      expect(counts.overrode / n).toBeGreaterThan(0.1);
      expect(counts.overrode / n).toBeLessThan(0.35);
      // Only the halved bias changes a decision: "followed" is rare, and absent in the null run.
      expect(counts.followed / n).toBeLessThan(0.05);
      if (r === effects) expect(counts.followed).toBeGreaterThan(0);
      else expect(counts.followed).toBe(0);
    }
  });

  it("the upper bands are shared far more often than the lower ones", () => {
    const rate = (lo: number, hi: number) => {
      const xs = effects.rows.filter((x) => x.pilot_band !== "" && x.mash_decision !== "" && +x.pilot_band >= lo && +x.pilot_band <= hi);
      return xs.filter((x) => x.mash_decision === "info_sharing").length / xs.length;
    };
    expect(rate(16, 20)).toBeGreaterThan(0.45);
    expect(rate(1, 5)).toBeLessThan(0.15);
  });
});

describe("the planted pilot effects", () => {
  it("decisions in pilot teams are 25% faster than the other teams' (difference-in-differences), and not in the null run", () => {
    const planted = decisionTimeRatio(effects);
    const nullRun = decisionTimeRatio(none);
    expect(Math.abs(Math.log(planted / P.pilot.decisionDelayFactor))).toBeLessThan(0.12);
    expect(Math.abs(Math.log(nullRun))).toBeLessThan(0.12);
    // The pilot teams' own decisions against the same teams a year before: faster with the pilot only.
    const teams = new Set<string>(effects.truth.pilot.teams);
    const own = (r: Run) =>
      Math.exp(
        meanLog(r.rows.filter((x) => inWindow(x) && teams.has(x.team))) -
          meanLog(r.rows.filter((x) => aYearBefore(x) && teams.has(x.team))),
      );
    expect(own(effects)).toBeLessThan(0.85);
    expect(own(none)).toBeGreaterThan(0.88);
  });

  it("the screener effect is halved only for pilot contacts, in the truth", () => {
    const bias = new Map<string, number>(effects.truth.screeners.map((s: {id: string; bias: number}) => [s.id, s.bias]));
    for (const r of [effects, none]) {
      r.rows.forEach((x, i) => {
        if (i % 7) return;
        const factor = r === effects && x.pilot_band !== "" ? P.pilot.screenerBiasFactor : 1;
        expect(Number(r.truthRows[i].screener_effect)).toBeCloseTo(bias.get(x.screener_id)! * factor, 5);
      });
    }
  });

  it("the pilot's design moves no contact before the window: the same lines whatever the teams or the effects", () => {
    const before = (r: Run) => r.lines.slice(1).filter((l) => l.split(",")[3] < "2019-01-01");
    const a = before(effects);
    expect(a.length).toBeGreaterThan(50_000);
    expect(before(none)).toEqual(a);
    expect(before(all)).toEqual(a);
  });
});

describe("the truth file", () => {
  it("records the pilot's teams, window and each planted effect's size, and what the impact evaluation must recover", () => {
    const t = effects.truth;
    expect(t.pilot).toMatchObject({start: "2019-01-01", end: "2019-03-31", effects: true, bands: 20, suggestShareFromBand: 15});
    const planted = Object.fromEntries(t.plantedEffects.map((e: {name: string; size: unknown}) => [e.name, e.size]));
    expect(planted).toMatchObject({pilot_decision_delay: 0.75, pilot_screener_consistency: 0.5, pilot_band: P.pilot.scoreNoiseSd});
    expect(t.impact.design).toMatchObject({pilotTeams: t.pilot.teams, effects: true});
    expect([...t.impact.design.pilotTeams, ...t.impact.design.otherTeams].sort()).toEqual(teamCodes());
    expect(t.impact.decisionTimeRatio.value).toBe(0.75);
    expect(t.impact.screenerEffectVarianceRatio.value).toBe(0.25);
    const v = t.impact.screenerEffectVarianceRatio.variance;
    expect(v.duringPilot / v.withoutPilot).toBeCloseTo(0.25, 9);
    expect(t.impact.trueNeedShareChange.value).toBe(0);
    expect(t.impact.workloadSlope).toMatchObject({
      sharing: P.staffEffects.workloadSlope,
      decisionDelay: P.decisionDelayHours.workloadSlope,
    });
    expect(t.impact.policyShift).toMatchObject({date: "2017-10-01", size: -1});
  });

  it("the null run's truth says its pilot effects are 1 (absent), and its manifest says they are off", () => {
    const t = none.truth;
    expect(t.pilot.effects).toBe(false);
    const planted = Object.fromEntries(t.plantedEffects.map((e: {name: string; size: unknown}) => [e.name, e.size]));
    expect(planted).toMatchObject({pilot_decision_delay: 1, pilot_screener_consistency: 1});
    expect(t.impact.decisionTimeRatio.value).toBe(1);
    expect(t.impact.screenerEffectVarianceRatio.value).toBe(1);
    expect(none.manifest.parameters.pilotEffects).toBe(false);
    expect(effects.manifest.parameters).not.toHaveProperty("pilotEffects");
  });

  it("refuses a pilot that ends before it starts, or starts before any simulated contact", async () => {
    await expect(
      generateExtract({...base, contacts: 1000, pilotStart: "2019-03-01", pilotEnd: "2019-02-01", out: join(dir, "bad")}),
    ).rejects.toThrow(/the pilot ends \(2019-02-01\) before it starts \(2019-03-01\)/);
    await expect(
      generateExtract({...base, contacts: 1000, pilotStart: "2010-01-01", pilotEnd: "2010-02-01", out: join(dir, "bad")}),
    ).rejects.toThrow(/the pilot starts on 2010-01-01, before any simulated contact/);
  });
});
