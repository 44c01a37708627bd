// The daily-capacity view on every contact of the period (src/lib/eval-view.ts periodView,
// src/lib/thresholds.ts contactsPerDay and capacityCutoff) and the decision curve's interval,
// each checked against counts made here by hand.
import {describe, expect, it} from "vitest";
import {flags, periodView, seenSplit, view, type Cohort, type ModelColumns} from "../../src/lib/eval-view.ts";
import {capacityCutoff, contactsPerDay, decisionCurve, flagByCapacity} from "../../src/lib/thresholds.ts";
import {seeded} from "../../src/lib/metrics.ts";

// Six contacts over two days: five in the test set, one pilot; and two contacts of children already
// seen, which the test set leaves out (evaluation.json's testPeriod.seenContacts).
const cohort: Cohort = {
  target: "t",
  n: 6,
  split: {levels: ["pilot", "test"], codes: [1, 1, 1, 1, 1, 0]},
  day: {levels: ["2018-07-01", "2018-07-02", "2019-01-01"], codes: [0, 0, 1, 1, 1, 2]},
  y: [1, 0, 0, 1, 0, 1],
  groups: {g: {levels: ["a"], codes: [0, 0, 0, 0, 0, 0]}},
};
const model: ModelColumns = {
  id: "m",
  cohort: 0,
  score: [0.9, 0.2, 0.4, 0.8, 0.1, 0.5],
  band: [18, 4, 8, 16, 2, 10],
  household: [0, 0, 0, 0, 0, 0],
};
const seen = {day: ["2018-07-01", "2018-07-02"], y: [1, 1], score: [0.95, 0.3], band: [19, 6]};

describe("the capacity view on every contact of the period", () => {
  it("periodView holds the test set, then the period's seen contacts; without them it is the test set", () => {
    const all = periodView(cohort, model, seen);
    const test = view(cohort, model);
    expect(seenSplit("test")).toBe("test-seen");
    expect(all.n).toBe(7);
    expect(all.seen).toBe(2);
    expect(test.n).toBe(5);
    expect(all.score).toEqual([0.9, 0.2, 0.4, 0.8, 0.1, 0.95, 0.3]);
    expect(all.y).toEqual([1, 0, 0, 1, 0, 1, 1]);
    expect(all.day).toEqual(["2018-07-01", "2018-07-01", "2018-07-02", "2018-07-02", "2018-07-02", "2018-07-01", "2018-07-02"]);
    expect(all.month).toHaveLength(7);
    expect(all.household).toEqual([0, 0, 0, 0, 0, null, null]);
    expect(all.groups).toEqual({});
    expect(periodView(cohort, model, null)).toEqual({...test, seen: 0, groups: {}});
    expect(() => periodView(cohort, model, {...seen, y: [1]})).toThrow(/different lengths/);
  });

  it("top k a day on all contacts differs from top k on the thinned test set: a seen child's contact takes a place", () => {
    const all = periodView(cohort, model, seen),
      test = view(cohort, model);
    // Day 1 on all contacts: 0.95 (seen) and 0.9 are the top 2; on the test set alone, 0.9 and 0.2.
    expect(Array.from(flags({mode: "capacity", value: 2}, all))).toEqual([1, 0, 1, 1, 0, 1, 0]);
    expect(Array.from(flags({mode: "capacity", value: 2}, test))).toEqual([1, 1, 1, 1, 0]);
    expect(contactsPerDay(all.day)).toEqual({n: 7, days: 2, perDay: 3.5, busiest: 4});
    expect(contactsPerDay(test.day)).toEqual({n: 5, days: 2, perDay: 2.5, busiest: 3});
  });

  it("capacityCutoff: the fixed score flagging k a day on average, and the days it flags more than k", () => {
    const all = periodView(cohort, model, seen);
    const c = capacityCutoff(all.score, all.day, 2);
    // 2 a day × 2 days = 4 contacts: 0.95, 0.9, 0.8, 0.4 → cut-off 0.4; day 1 gets 2, day 2 gets 2.
    expect(c).toEqual({threshold: 0.4, flagged: 4, perDay: 2, days: 2, daysOver: 0, maxInADay: 2});
    const one = capacityCutoff(all.score, all.day, 1); // 2 contacts: 0.95 and 0.9, both on day 1
    expect(one).toEqual({threshold: 0.9, flagged: 2, perDay: 1, days: 2, daysOver: 1, maxInADay: 2});
  });

  it("on seeded data, the cut-off flags k·days contacts (no ties), and top-k flags exactly k each day", () => {
    const r = seeded(4);
    const n = 3000;
    const score = Array.from({length: n}, () => r());
    const day = Array.from({length: n}, () => `d${Math.floor(r() * 30)}`);
    const k = 12;
    const c = capacityCutoff(score, day, k);
    expect(c.flagged).toBe(k * 30);
    expect(c.perDay).toBe(k);
    const counts = new Map<string, number>();
    day.forEach((d, i) => score[i] >= c.threshold && counts.set(d, (counts.get(d) ?? 0) + 1));
    expect(c.daysOver).toBe([...counts.values()].filter((x) => x > k).length);
    expect(c.daysOver).toBeGreaterThan(0); // busy days exceed a fixed cut-off's average
    const f = flagByCapacity(score, day, k);
    const perDay = new Map<string, number>();
    day.forEach((d, i) => f[i] && perDay.set(d, (perDay.get(d) ?? 0) + 1));
    for (const v of perDay.values()) expect(v).toBe(k);
  });
});

describe("decisionCurve's interval", () => {
  it("is the mean of per-contact net benefits ± 1.96 standard errors, computed here contact by contact", () => {
    const r = seeded(9);
    const s = Array.from({length: 800}, () => r());
    const y = s.map((p) => (r() < p ? 1 : 0));
    for (const d of decisionCurve(s, y, [0.1, 0.3, 0.6])) {
      const odds = d.threshold / (1 - d.threshold);
      const v = s.map((p, i) => (p >= d.threshold ? (y[i] === 1 ? 1 : -odds) : 0));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      expect(d.model).toBeCloseTo(mean, 12);
      expect(d.lo).toBeCloseTo(mean - (1.959963984540054 * sd) / Math.sqrt(v.length), 12);
      expect(d.hi).toBeCloseTo(mean + (1.959963984540054 * sd) / Math.sqrt(v.length), 12);
      expect(d.n).toBe(800);
    }
  });
});
