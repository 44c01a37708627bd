// Workload on simulated days: 2017-01 to 2018-06, a season by month, a weekday pattern and growth
// in the expected volume, day-to-day noise (SD 0.08) and Poisson counts. Sharing log-odds fall by
// 0.8 per unit of excess volume (clipped ±0.5) and decision times are (1 + 0.8 × excess⁺) as long,
// as the generator plants them: both slopes inside their intervals; with no workload effect, a
// slope is claimed on at most 3 of 20 seeds; too few days or contacts → "too few".
import {describe, expect, it} from "vitest";
import {dayNumber, calendarMonth, weekday} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {dailyCounts, expectedVolume, workloadDecisionTime, workloadSharing, type DayVolume} from "../../../src/lib/impact/workload.ts";
import {draws, expit, numbersIn, seeds} from "./simulate.ts";

const WEEKDAY = [0.55, 1.1, 1.1, 1.05, 1.05, 1.0, 0.6];
const MONTH = [1, 1, 1.02, 0.98, 1, 1, 1.06, 0.86, 1.06, 1, 1, 0.9];

function simulate(seed: number, slope: number, delay: number, perDay = 40, days = 540) {
  const d = draws(seed);
  const first = dayNumber("2017-01-01");
  const volume: DayVolume[] = [];
  const rec = {day: [] as number[], shared: [] as number[], expected: [] as number[], hours: [] as number[], stratum: [] as string[]};
  for (let k = 0; k < days; k++) {
    const day = first + k;
    const expected = perDay * WEEKDAY[weekday(day)] * MONTH[calendarMonth(day) - 1] * (1 + 0.04 * (k / 365));
    const count = d.poisson(expected * Math.exp(d.normal(0, 0.08)));
    volume.push({day, count});
    const excess = count / expected - 1;
    for (let i = 0; i < count; i++) {
      const caseMix = -0.9 + 0.9 * d.normal();
      const rag = d.uniform() < 0.5 ? "amber" : "green";
      rec.day.push(day + d.uniform());
      rec.expected.push(expit(caseMix));
      rec.shared.push(d.bernoulli(expit(caseMix + slope * Math.max(-0.5, Math.min(0.5, excess)))));
      rec.hours.push(Math.exp(Math.log(rag === "amber" ? 20 : 40) + d.normal(0, 0.6)) * (1 + delay * Math.max(0, excess)));
      rec.stratum.push(rag);
    }
  }
  return {rec, volume};
}

describe("expectedVolume", () => {
  it("fits a month × weekday table exactly (iterative proportional fitting) and counts empty days", () => {
    // counts = month level × weekday factor exactly → ratio 1 everywhere
    const days = Array.from({length: 56}, (_, k) => {
      const day = dayNumber("2018-01-01") + k;
      return {day, count: (calendarMonth(day) === 1 ? 10 : 20) * [1, 2, 2, 2, 2, 2, 1][weekday(day)]};
    });
    for (const d of expectedVolume(days)) expect(d.ratio).toBeCloseTo(1, 8);
    expect(dailyCounts([dayNumber("2018-01-01") + 0.2, dayNumber("2018-01-03"), dayNumber("2018-01-03") + 0.9])).toEqual([
      {day: dayNumber("2018-01-01"), count: 1},
      {day: dayNumber("2018-01-02"), count: 0},
      {day: dayNumber("2018-01-03"), count: 2},
    ]);
  });
});

describe("workloadSharing and workloadDecisionTime", () => {
  it("recover the planted slopes −0.8 (sharing log-odds) and 0.8 (decision-time multiplier)", () => {
    const {rec, volume} = simulate(1, -0.8, 0.8);
    const v = expectedVolume(volume);
    const sharing = workloadSharing(rec, v);
    const time = workloadDecisionTime(rec, v);
    for (const [r, truth] of [
      [sharing.slope, -0.8],
      [time, 0.8],
    ] as const) {
      expect(r.status).toBe("estimate");
      if (r.status !== "estimate") continue;
      expect(r.lo).toBeLessThan(truth);
      expect(r.hi).toBeGreaterThan(truth);
      expect(isClaimed(r)).toBe(true);
    }
    expect(sharing.byBand.find((b) => b.band === "busier")!.rate.rate).toBeLessThan(
      sharing.byBand.find((b) => b.band === "quieter")!.rate.rate,
    );
    // the log-linear form sees the same direction
    const loglinear = workloadDecisionTime(rec, v, {form: "log-linear"});
    expect(loglinear.status === "estimate" && loglinear.lo > 0).toBe(true);
  });

  it("cover both planted slopes on at least 17 of 20 seeds", () => {
    let sharingCovered = 0;
    let timeCovered = 0;
    for (const seed of seeds(20)) {
      const {rec, volume} = simulate(seed, -0.8, 0.8, 30, 365);
      const v = expectedVolume(volume);
      const s = workloadSharing(rec, v).slope;
      const t = workloadDecisionTime(rec, v);
      if (s.status === "estimate" && s.lo <= -0.8 && -0.8 <= s.hi) sharingCovered++;
      if (t.status === "estimate" && t.lo <= 0.8 && 0.8 <= t.hi) timeCovered++;
    }
    expect(sharingCovered).toBeGreaterThanOrEqual(17);
    expect(timeCovered).toBeGreaterThanOrEqual(17);
  });

  it("with no workload effect, claim a slope on at most 3 of 20 seeds each", () => {
    let sharingClaims = 0;
    let timeClaims = 0;
    for (const seed of seeds(20, 501)) {
      const {rec, volume} = simulate(seed, 0, 0, 30, 365);
      const v = expectedVolume(volume);
      if (isClaimed(workloadSharing(rec, v).slope)) sharingClaims++;
      if (isClaimed(workloadDecisionTime(rec, v))) timeClaims++;
    }
    expect(sharingClaims).toBeLessThanOrEqual(3);
    expect(timeClaims).toBeLessThanOrEqual(3);
  });

  it("say too few, never NaN: no contacts, too few days", () => {
    const empty = workloadSharing({day: [], shared: []}, []);
    const {rec, volume} = simulate(2, -0.8, 0.8, 30, 10);
    const v = expectedVolume(volume);
    const results = [
      empty.slope,
      workloadDecisionTime({day: [], hours: []}, []),
      workloadSharing(rec, v).slope,
      workloadDecisionTime(rec, v),
    ];
    for (const r of results) expect(r.status).toBe("too few");
    expect(numbersIn(empty.slope).every(Number.isFinite)).toBe(true);
    const tooFewDays = results[2];
    if (tooFewDays.status === "too few") expect(tooFewDays.reason).toMatch(/10 days/);
  });
});
