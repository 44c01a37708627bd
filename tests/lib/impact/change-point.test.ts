// The change-point scan on a simulated subgroup: 51 months (2015-01 to 2019-03) of 150 contacts,
// a case mix the expected probabilities know, month-to-month noise the model does not (SD 0.1 on
// the log-odds scale), and a step of −1.0 log-odds from October 2017: found within a month, the
// date interval holding it, the step's interval holding −1.0; with no step, a change is claimed on
// at most 3 of 20 seeds; too short a series → "too few".
import {describe, expect, it} from "vitest";
import {changePointScan, monthlyAdjusted, type ChangePointRecords} from "../../../src/lib/impact/change-point.ts";
import {dayNumber, monthIndex} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {draws, expit, numbersIn, seeds} from "./simulate.ts";

const SHIFT_DAY = dayNumber("2017-10-01");

function simulate(seed: number, step: number, perMonth = 150, months = 51): ChangePointRecords {
  const d = draws(seed);
  const rec = {day: [] as number[], shared: [] as number[], expected: [] as number[]};
  for (let m = 0; m < months; m++) {
    const y = 2015 + Math.floor(m / 12);
    const first = dayNumber(`${y}-${String((m % 12) + 1).padStart(2, "0")}-01`);
    const monthNoise = d.normal(0, 0.1);
    for (let i = 0; i < perMonth; i++) {
      const day = first + d.int(28);
      const caseMix = -1.2 + 0.8 * d.normal();
      rec.day.push(day);
      rec.expected.push(expit(caseMix));
      rec.shared.push(d.bernoulli(expit(caseMix + monthNoise + (day >= SHIFT_DAY ? step : 0))));
    }
  }
  return rec;
}

const monthsApart = (a: string, b: string) => Math.abs(monthIndex(dayNumber(`${a}-01`)) - monthIndex(dayNumber(`${b}-01`)));

describe("changePointScan", () => {
  it("finds a step of −1.0 log-odds in October 2017 by itself, with its size in the interval", () => {
    const r = changePointScan(simulate(1, -1.0), {permutations: 499, bootstrap: 300});
    expect(r.best).not.toBeNull();
    expect(monthsApart(r.best!.month, "2017-10")).toBeLessThanOrEqual(1);
    expect(r.dateInterval!.from <= "2017-10" && "2017-10" <= r.dateInterval!.to).toBe(true);
    expect(isClaimed(r.step)).toBe(true);
    if (r.step.status !== "estimate") return;
    expect(r.step.lo).toBeLessThan(-1.0);
    expect(r.step.hi).toBeGreaterThan(-1.0);
    expect(r.months).toHaveLength(51);
    expect(r.scan.find((s) => s.month === r.best!.month)!.lr).toBe(Math.max(...r.scan.map((s) => s.lr)));
  });

  it("finds it within a month and covers −1.0 on at least 17 of 20 seeds", () => {
    const good = seeds(20).filter((seed) => {
      const r = changePointScan(simulate(seed, -1.0, 100), {permutations: 199, bootstrap: 200});
      return (
        r.step.status === "estimate" && r.step.p < 0.05 && monthsApart(r.best!.month, "2017-10") <= 1 && r.step.lo <= -1 && -1 <= r.step.hi
      );
    }).length;
    expect(good).toBeGreaterThanOrEqual(17);
  });

  it("with no step, claims a change on at most 3 of 20 seeds", () => {
    const claims = seeds(20, 401).filter((seed) =>
      isClaimed(changePointScan(simulate(seed, 0, 100), {permutations: 199, bootstrap: 50}).step),
    ).length;
    expect(claims).toBeLessThanOrEqual(3);
  });

  it("adjusts each month for its case mix: a month of riskier contacts is not a change", () => {
    const rec = {day: [] as number[], shared: [] as number[], expected: [] as number[]};
    for (const [month, p] of [
      ["2018-01", 0.2],
      ["2018-02", 0.6],
    ] as const)
      for (let i = 0; i < 100; i++) {
        rec.day.push(dayNumber(`${month}-10`));
        rec.expected.push(p);
        rec.shared.push(i < 100 * p ? 1 : 0);
      }
    const {months} = monthlyAdjusted(rec);
    expect(months.map((m) => m.logOdds)).toEqual([expect.closeTo(0, 6), expect.closeTo(0, 6)]);
  });

  it("says too few, never NaN: no contacts, a series shorter than two segments, months too thin", () => {
    const cases = [
      changePointScan({day: [], shared: [], expected: []}),
      changePointScan(simulate(2, -1, 100, 5)),
      changePointScan(simulate(2, -1, 5, 51)),
    ];
    for (const r of cases) {
      expect(r.step.status).toBe("too few");
      expect(numbersIn(r).every(Number.isFinite)).toBe(true);
    }
    expect(cases[2].monthsDropped).toBe(51);
  });
});
