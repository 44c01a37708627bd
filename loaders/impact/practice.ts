/**
 * The Impact page's sections on how the MASH works: workload (sharing and decision time against
 * the day's volume), agreement with and overrides of the band during the pilot, and the
 * change-point scan over the case-mix adjusted sharing rate (a subgroup and, as a check, all
 * contacts).
 *
 * @example workloadSection(records, pilotTeam, window)
 */
import {recontacts} from "../../src/lib/outcome-test.ts";
import {changePointScan} from "../../src/lib/impact/change-point.ts";
import {overrideSummary} from "../../src/lib/impact/overrides.ts";
import {dayNumber, weekday, type Window} from "../../src/lib/impact/periods.ts";
import {dailyCounts, expectedVolume, type DayRatio, workloadDecisionTime, workloadSharing} from "../../src/lib/impact/workload.ts";
import {shareOf} from "./decisions.ts";
import type {ImpactRecords} from "./records.ts";
import type {ImpactData} from "./types.ts";

const inWindow = (day: number, w: Window) => Math.floor(day) >= dayNumber(w.start) && Math.floor(day) <= dayNumber(w.end);

/**
 * Each day's contacts against those expected for it: per referral source, a Poisson main-effects
 * model of the source's daily counts on its week (Monday to Sunday) and day of the week, summed over
 * sources. The week absorbs school holidays, bank holidays and growth, which the dictionary holds no
 * calendar of, and a source's own weekly rhythm (schools close at weekends and in holidays, police
 * do not); what is left is the day-to-day pressure within a week.
 */
export function dayVolumes(r: {day: ArrayLike<number>; source: readonly string[]}): DayRatio[] {
  const all = dailyCounts(r.day);
  const expected = new Float64Array(all.length);
  const first = all.length ? all[0].day : 0;
  for (const source of new Set(r.source)) {
    const counts = new Float64Array(all.length);
    for (let i = 0; i < r.day.length; i++) if (r.source[i] === source) counts[Math.floor(r.day[i]) - first]++;
    const fit = expectedVolume(
      all.map((v, k) => ({day: v.day, count: counts[k], dayType: `week of ${v.day - ((weekday(v.day) + 6) % 7)}`})),
    );
    fit.forEach((v, k) => (expected[k] += v.expected));
  }
  return all.map((v, k) => ({...v, expected: expected[k], ratio: expected[k] > 0 ? v.count / expected[k] : null}));
}

export function workloadSection(r: ImpactRecords, pilotTeam: Uint8Array, window: Window): ImpactData["workload"] {
  const volume = dayVolumes(r);
  // The pilot's own contacts are left out: the pilot changed their pace and decisions.
  const keep: number[] = [];
  for (let i = 0; i < r.day.length; i++) if (!(pilotTeam[i] && inWindow(r.day[i], window))) keep.push(i);
  const scored = keep.filter((i) => r.shared[i] >= 0 && Number.isFinite(r.expected[i]));
  const sharing = workloadSharing(
    {day: scored.map((i) => r.day[i]), shared: scored.map((i) => r.shared[i]), expected: scored.map((i) => r.expected[i])},
    volume,
  );
  const decisionTimeSlope = workloadDecisionTime(
    {day: keep.map((i) => r.day[i]), hours: keep.map((i) => r.hours[i]), stratum: keep.map((i) => r.rag[i] || "Not recorded")},
    volume,
  );
  // Days binned by excess volume (0.1 wide, clipped at ±0.5): sharing and geometric mean hours.
  const ratioOf = new Map(volume.map((v) => [v.day, v.ratio]));
  const bins = new Map<number, {days: Set<number>; k: number; n: number; log: number; h: number}>();
  for (const i of keep) {
    const ratio = ratioOf.get(Math.floor(r.day[i]));
    if (ratio === null || ratio === undefined) continue;
    const excess = Math.round(Math.max(-0.5, Math.min(0.5, ratio - 1)) * 10) / 10;
    const b = bins.get(excess) ?? bins.set(excess, {days: new Set(), k: 0, n: 0, log: 0, h: 0}).get(excess)!;
    b.days.add(Math.floor(r.day[i]));
    if (r.shared[i] >= 0) ((b.n += 1), (b.k += r.shared[i]));
    if (r.hours[i] > 0) ((b.log += Math.log(r.hours[i])), (b.h += 1));
  }
  const ratios = volume.filter((v) => v.ratio !== null).map((v) => v.ratio!);
  return {
    question: "On busier days, do staff share less and decide more slowly?",
    comparison:
      "Pre-registered: each day's volume against the volume expected for its week and day of the week (per referral source, summed); the change in the log-odds of sharing (case-mix adjusted) and in time to decision per unit of excess volume (1 = twice the expected contacts). Not a pilot effect: a context for the board, measured outside the pilot's own contacts.",
    sharingSlope: sharing.slope,
    decisionTimeSlope,
    byBand: sharing.byBand.map((b) => ({band: b.band, rate: b.rate})),
    days: {
      days: ratios.length,
      meanCount: volume.reduce((a, v) => a + v.count, 0) / Math.max(1, volume.length),
      busier: ratios.filter((x) => x > 1.1).length,
      quieter: ratios.filter((x) => x < 0.9).length,
    },
    bins: [...bins.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([excess, b]) => ({excess, days: b.days.size, shared: shareOf(b.k, b.n), hours: b.h >= 30 ? Math.exp(b.log / b.h) : null})),
    leftOut:
      "No school-holiday or bank-holiday calendar: the dictionary holds none, so the expected volume takes each week as it came (per referral source) and the slopes measure pressure within a week. A busy week as a whole is not counted as excess, and the day's expected volume is itself estimated, which pulls both slopes towards 0 (measured on the synthetic sample: by about a seventh).",
  };
}

export function overridesSection(
  r: ImpactRecords,
  pilotTeam: Uint8Array,
  window: Window,
  teamLabel: (code: string) => string,
  hasPerson: boolean,
): ImpactData["overrides"] {
  const idx: number[] = [];
  for (let i = 0; i < r.day.length; i++) if (pilotTeam[i] && inWindow(r.day[i], window) && r.band[i] !== null) idx.push(i);
  const followUps = hasPerson ? [30, 90] : [];
  const again = followUps.map((days) => recontacts({person: r.person, day: r.day}, {followUpDays: days}));
  const base = {band: idx.map((i) => r.band[i]!), team: idx.map((i) => teamLabel(r.team[i])), action: idx.map((i) => r.response[i])};
  const summary = overrideSummary(base);
  const outcomes = followUps.map((days, k) => {
    const o = overrideSummary({...base, outcome: idx.map((i) => again[k][i])}, {outcomeLabel: `re-contact within ${days} days`});
    return {days, byAction: o.outcome!.byAction, difference: o.outcome!.difference};
  });
  return {
    question: "How often did screeners agree with, follow or override the band, and what happened where they overrode it?",
    comparison:
      "Pre-registered (descriptive): of the pilot contacts where the screener saw a band, the shares that agreed with it, followed it or overrode it, by band and by team; and re-contact within 30 and 90 days where staff overrode the band against where they followed it.",
    overall: summary.overall,
    byBand: summary.byBand,
    byTeam: summary.byTeam,
    outcomes,
    method: summary.method,
  };
}

export function changePointSection(r: ImpactRecords, subgroup: {label: string; definition: string} | null): ImpactData["changePoint"] {
  const scan = (keep: (i: number) => boolean) => {
    const idx: number[] = [];
    for (let i = 0; i < r.day.length; i++) if (r.shared[i] >= 0 && Number.isFinite(r.expected[i]) && keep(i)) idx.push(i);
    return changePointScan({day: idx.map((i) => r.day[i]), shared: idx.map((i) => r.shared[i]), expected: idx.map((i) => r.expected[i])});
  };
  return {
    question: "Did practice change at some date nobody announced? (a check the page runs by itself)",
    comparison:
      "Pre-registered: a scan over every month for one step in the case-mix adjusted log-odds of sharing, in the subgroup named below and, as a check, in all contacts; the date is found from the data, not read from any record of the change.",
    subgroup: {
      label: subgroup?.label ?? "no subgroup",
      definition: subgroup?.definition ?? "the dictionary does not define the subgroup's codes",
      scan: scan((i) => subgroup !== null && r.subgroup[i] === 1),
    },
    all: {label: "all contacts", scan: scan(() => true)},
  };
}
