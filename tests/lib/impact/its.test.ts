// Interrupted time series on simulated weekly and monthly series: trend, season, autocorrelated
// noise (AR(1), ρ = 0.3) and a planted level change of log(0.85) at 2019-01-01, recovered within
// the interval; no change → claimed on at most 3 of 20 seeds (with plain OLS or Newey–West
// intervals, 9–13% of 300 seeds claimed one: the in-time placebos fix that); too few points → a reason.
import {describe, expect, it} from "vitest";
import {interruptedTimeSeries, periodSeries, type SeriesPoint} from "../../../src/lib/impact/its.ts";
import {calendarMonth, dayNumber} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {draws, numbersIn, seeds} from "./simulate.ts";

const START = "2019-01-01";
const LEVEL = Math.log(0.85);

/** Weekly or monthly points from 2015-01 to 2019-03: log hours ≈ 2.8 + trend + season + AR(1) noise + level change. */
function simulate(seed: number, level: number, by: "week" | "month"): SeriesPoint[] {
  const d = draws(seed);
  const out: SeriesPoint[] = [];
  let noise = 0;
  const sd = by === "week" ? 0.05 : 0.03;
  const days: number[] = [];
  if (by === "week") for (let day = dayNumber("2015-01-05"); day <= dayNumber("2019-03-25"); day += 7) days.push(day);
  else
    for (let y = 2015; y <= 2019; y++)
      for (let m = 1; m <= (y === 2019 ? 3 : 12); m++) days.push(dayNumber(`${y}-${String(m).padStart(2, "0")}-01`));
  for (const day of days) {
    noise = 0.3 * noise + d.normal(0, sd);
    const season = 0.08 * Math.sin((2 * Math.PI * calendarMonth(day)) / 12) + (calendarMonth(day) === 8 ? -0.05 : 0);
    const trend = 0.02 * ((day - days[0]) / 365.25);
    out.push({day, value: 2.8 + trend + season + noise + (day >= dayNumber(START) ? level : 0), n: by === "week" ? 600 : 2500});
  }
  return out;
}

describe("interruptedTimeSeries", () => {
  it("recovers a level change of ×0.85 from a weekly series (Fourier season) and a monthly one (month terms)", () => {
    const weekly = interruptedTimeSeries(simulate(1, LEVEL, "week"), {start: START, season: {harmonics: 2}, ratio: true});
    const monthly = interruptedTimeSeries(simulate(1, LEVEL, "month"), {start: START, ratio: true, slopeChange: true});
    for (const r of [weekly, monthly]) {
      expect(r.levelChange.status).toBe("estimate");
      if (r.levelChange.status !== "estimate") continue;
      expect(r.levelChange.lo).toBeLessThan(0.85);
      expect(r.levelChange.hi).toBeGreaterThan(0.85);
      expect(r.levelChange.hi).toBeLessThan(1);
    }
    expect(weekly.pointsAfter).toBe(12); // 2019-01-01 is a Tuesday: the week of 31 December counts as before
    expect(monthly.pointsAfter).toBe(3);
    // three months after the start cannot carry a slope change
    expect(monthly.slopeChange?.status).toBe("too few");
    // the interval is calibrated on earlier windows of the same length: 32 monthly placebos of 3 months
    expect(monthly.placebos).toBe(32);
    expect(monthly.levelChange.method).toMatch(/in-time placebo/);
    expect(weekly.fitted.at(-1)!.counterfactual - weekly.fitted.at(-1)!.fitted).toBeCloseTo(
      -Math.log((weekly.levelChange as {value: number}).value),
      10,
    );
  });

  it("covers the planted level change on at least 17 of 20 seeds (weekly)", () => {
    const covered = seeds(20).filter((seed) => {
      const r = interruptedTimeSeries(simulate(seed, LEVEL, "week"), {start: START, season: {harmonics: 2}, ratio: true}).levelChange;
      return r.status === "estimate" && r.lo <= 0.85 && 0.85 <= r.hi;
    }).length;
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  it("with no change, claims one on at most 3 of 20 seeds (weekly and monthly)", () => {
    for (const by of ["week", "month"] as const) {
      const claims = seeds(20, 201).filter((seed) =>
        isClaimed(
          interruptedTimeSeries(simulate(seed, 0, by), {start: START, season: by === "week" ? {harmonics: 2} : "month"}).levelChange,
        ),
      ).length;
      expect(claims).toBeLessThanOrEqual(3);
    }
  });

  it("builds the series from contacts: monthly and Monday-weekly means, skipping undecided contacts", () => {
    const day = [dayNumber("2019-01-07") + 0.5, dayNumber("2019-01-08"), dayNumber("2019-01-14"), dayNumber("2019-02-01")];
    expect(periodSeries(day, [1, 3, NaN, 5], "month")).toEqual([
      {day: dayNumber("2019-01-01"), value: 2, n: 2},
      {day: dayNumber("2019-02-01"), value: 5, n: 1},
    ]);
    expect(periodSeries(day, [1, 3, 4, 5], "week").map((p) => p.day)).toEqual([
      dayNumber("2019-01-07"),
      dayNumber("2019-01-14"),
      dayNumber("2019-01-28"),
    ]);
  });

  it("says too few, never NaN: no points, nothing after the start, too short before", () => {
    const s = simulate(3, 0, "month");
    const cases = [
      interruptedTimeSeries([], {start: START}),
      interruptedTimeSeries(
        s.filter((p) => p.day < dayNumber(START)),
        {start: START},
      ),
      interruptedTimeSeries(
        s.filter((p) => p.day >= dayNumber("2018-08-01")),
        {start: START},
      ),
    ];
    for (const r of cases) {
      expect(r.levelChange.status).toBe("too few");
      expect(numbersIn(r).every(Number.isFinite)).toBe(true);
    }
  });
});
