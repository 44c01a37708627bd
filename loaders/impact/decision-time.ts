/**
 * The Impact page's decision-time section from the contacts' columns: the difference-in-differences
 * (pilot teams against the others, the window against the same months a year earlier; clustered by
 * screener, adjusted for RAG), the same comparison a year earlier as a placebo (parallel trends), the
 * two groups' monthly geometric means, and an interrupted time series of the whole MASH.
 *
 * @example decisionTimeSection(records, pilotTeam, {start: "2019-01-01", end: "2019-03-31"})
 */
import {decisionTimeDid} from "../../src/lib/impact/did.ts";
import {interruptedTimeSeries, periodSeries} from "../../src/lib/impact/its.ts";
import {beforeWindow, dayNumber, isoDay, monthIndex, monthLabel, shiftYears, type Window} from "../../src/lib/impact/periods.ts";
import {MIN_CONTACTS} from "../../src/lib/impact/result.ts";
import type {ImpactRecords} from "./records.ts";
import type {ImpactData} from "./types.ts";

/** RAG for the DiD's strata; an unrated shared contact is its own stratum. */
const stratumOf = (rag: string) => rag || "Not recorded";

export function decisionTimeSection(r: ImpactRecords, pilotTeam: Uint8Array, window: Window): ImpactData["decisionTime"] {
  const stratum = r.rag.map(stratumOf);
  const records = {day: r.day, hours: r.hours, pilotTeam, cluster: r.screener, stratum};
  const did = decisionTimeDid(records, {window, clusterName: "screener", stratumName: "RAG rating"});
  const placeboWindow = {start: shiftYears(window.start, -1), end: shiftYears(window.end, -1)};
  const placebo = decisionTimeDid(records, {window: placeboWindow, clusterName: "screener", stratumName: "RAG rating"});
  const before = beforeWindow(window, "year-earlier");

  // Monthly geometric means of both groups, from two years before the window to its end.
  const from = monthIndex(before.from) - 12;
  const to = monthIndex(dayNumber(window.end));
  const acc = new Map<string, {sum: number; n: number}>();
  for (let i = 0; i < r.day.length; i++) {
    const h = r.hours[i];
    if (!(h > 0)) continue;
    const m = monthIndex(r.day[i]);
    if (m < from || m > to) continue;
    const key = `${m}|${pilotTeam[i] ? "pilot teams" : "other teams"}`;
    const a = acc.get(key) ?? acc.set(key, {sum: 0, n: 0}).get(key)!;
    a.sum += Math.log(h);
    a.n++;
  }
  const monthly = [...acc.entries()]
    .filter(([, a]) => a.n >= MIN_CONTACTS)
    .map(([key, a]) => {
      const [m, group] = key.split("|");
      return {
        month: monthLabel(Number(m)),
        group: group as "pilot teams" | "other teams",
        n: a.n,
        geometricMeanHours: Math.exp(a.sum / a.n),
      };
    })
    .sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));

  // Interrupted time series: monthly mean of log hours less its RAG stratum's mean (so a change in the RAG mix is not read as a change in pace).
  const sums = new Map<string, {sum: number; n: number}>();
  for (let i = 0; i < r.day.length; i++)
    if (r.hours[i] > 0) {
      const a = sums.get(stratum[i]) ?? sums.set(stratum[i], {sum: 0, n: 0}).get(stratum[i])!;
      a.sum += Math.log(r.hours[i]);
      a.n++;
    }
  let grand = 0;
  let total = 0;
  for (const a of sums.values()) ((grand += a.sum), (total += a.n));
  grand = total ? grand / total : 0;
  const adjusted = Float64Array.from(r.hours, (h, i) => (h > 0 ? Math.log(h) - sums.get(stratum[i])!.sum / sums.get(stratum[i])!.n : NaN));
  const its = interruptedTimeSeries(periodSeries(r.day, adjusted, "month"), {
    start: window.start,
    end: window.end,
    ratio: true,
    measure: "the monthly mean of log hours to decision (each less its RAG rating's mean) for the whole MASH",
  });
  return {
    question: "Did the pilot change the time from contact to decision, overall and by RAG rating?",
    comparison: `Pre-registered: decided contacts of the pilot teams against the other teams, ${window.start} to ${window.end} against the same months a year earlier (${isoDay(before.from)} to ${isoDay(before.to)}), as a ratio of geometric mean times (1 = no change); a placebo of the same comparison a year earlier should read 1; and, for the whole MASH, a monthly interrupted time series with trend and season.`,
    overall: did.overall,
    cells: did.cells,
    byRag: did.byStratum.map((s) => ({rag: s.stratum, ratio: s.ratio, cells: s.cells})),
    placebo: {window: placeboWindow, before: placebo.before, overall: placebo.overall, cells: placebo.cells},
    monthly,
    its: {
      levelChange: its.levelChange,
      pointsBefore: its.pointsBefore,
      pointsAfter: its.pointsAfter,
      placebos: its.placebos,
      series: its.fitted.map((p) => ({
        month: isoDay(p.day).slice(0, 7),
        n: p.n,
        hours: Math.exp(grand + p.value),
        fitted: Math.exp(grand + p.fitted),
        counterfactual: Math.exp(grand + p.counterfactual),
      })),
    },
  };
}
