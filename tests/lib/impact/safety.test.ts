// Re-contact after "no further action" on simulated children: each NFA contact's child comes back
// within 30 days with a set probability (before 10%, during 10% + effect); re-contacts counted by
// hand on a tiny fixture, censoring at the data's end, the planted difference inside the interval,
// no difference claimed on at most 3 of 20 seeds, all-censored → "too few".
import {describe, expect, it} from "vitest";
import {dayNumber, type Period} from "../../../src/lib/impact/periods.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {twoProportionP} from "../../../src/lib/impact/distributions.ts";
import {recontactAfterNfa, type SafetyRecords} from "../../../src/lib/impact/safety.ts";
import {draws, numbersIn, seeds} from "./simulate.ts";

const BEFORE = [dayNumber("2018-01-01"), dayNumber("2018-03-31")];
const DURING = [dayNumber("2019-01-01"), dayNumber("2019-03-31")];
const END = dayNumber("2019-06-30");

/** `n` NFA contacts a period; a child comes back (within 1–29 days) with probability `base` before and `base + effect` during. */
function simulate(seed: number, effect: number, n = 600, base = 0.1): SafetyRecords & {period: (Period | null)[]} {
  const d = draws(seed);
  const rec = {person: [] as string[], day: [] as number[], noFurtherAction: [] as number[], period: [] as (Period | null)[]};
  let id = 0;
  for (const [period, [from, to]] of [
    ["before", BEFORE],
    ["during", DURING],
  ] as const)
    for (let i = 0; i < n; i++) {
      const person = `c${id++}`;
      const day = from + d.uniform() * (to - from);
      rec.person.push(person);
      rec.day.push(day);
      rec.noFurtherAction.push(1);
      rec.period.push(period);
      const p = period === "during" ? base + effect : base;
      if (d.uniform() < p) {
        // the re-contact itself: a later contact outside the compared periods' NFA set
        rec.person.push(person);
        rec.day.push(day + 1 + d.uniform() * 28);
        rec.noFurtherAction.push(0);
        rec.period.push(null);
      }
    }
  return rec;
}

describe("recontactAfterNfa", () => {
  it("counts re-contacts by hand, leaves censored contacts out and never counts a non-NFA contact", () => {
    const day = (iso: string) => dayNumber(iso);
    const r = recontactAfterNfa(
      {
        person: ["a", "a", "b", "c", "c", "d"],
        day: [day("2018-01-10"), day("2018-01-25"), day("2018-02-01"), day("2019-01-05"), day("2019-03-01"), day("2019-03-20")],
        noFurtherAction: [1, 0, 1, 1, 1, 0],
        period: ["before", null, "before", "during", "during", "during"],
      },
      {windows: [30, 90], end: day("2019-04-10"), minContacts: 1},
    );
    const [w30, w90] = r.windows;
    expect([w30.before.k, w30.before.n, w30.before.censored]).toEqual([1, 2, 0]); // a came back after 15 days, b did not
    // c (5 Jan): next contact 55 days later; c (1 Mar): 30 days end on 31 Mar, inside the data
    expect([w30.during.k, w30.during.n, w30.during.censored]).toEqual([0, 2, 0]);
    // within 90 days c (5 Jan) came back; c (1 Mar)'s 90 days run past 10 April: censored
    expect([w90.during.k, w90.during.n, w90.during.censored]).toEqual([1, 1, 1]);
  });

  it("recovers a planted rise of 8 points in 30-day re-contact", () => {
    const r = recontactAfterNfa(simulate(1, 0.08), {end: END});
    const w = r.windows[0];
    expect(w.difference.status).toBe("estimate");
    if (w.difference.status !== "estimate") return;
    expect(w.difference.lo).toBeLessThan(0.08);
    expect(w.difference.hi).toBeGreaterThan(0.08);
    expect(isClaimed(w.difference)).toBe(true);
    expect(w.before.rate!.lo).toBeLessThan(0.1);
  });

  it("covers the planted difference on at least 17 of 20 seeds, and claims none on at most 3 of 20 without one", () => {
    const covered = seeds(20).filter((seed) => {
      const d = recontactAfterNfa(simulate(seed, 0.05, 300), {end: END}).windows[0].difference;
      return d.status === "estimate" && d.lo <= 0.05 && 0.05 <= d.hi;
    }).length;
    expect(covered).toBeGreaterThanOrEqual(17);
    const claims = seeds(20, 601).filter((seed) =>
      isClaimed(recontactAfterNfa(simulate(seed, 0, 300), {end: END}).windows[0].difference),
    ).length;
    expect(claims).toBeLessThanOrEqual(3);
  });

  it("says too few, never NaN, when every pilot contact is censored or there are none", () => {
    const sim = simulate(2, 0, 200);
    const censored = recontactAfterNfa(sim, {end: dayNumber("2019-03-31")});
    const w90 = censored.windows[1];
    expect(w90.during.n).toBe(0);
    expect(w90.during.censored).toBe(200);
    expect(w90.difference.status).toBe("too few");
    if (w90.difference.status === "too few") expect(w90.difference.reason).toMatch(/every one of the 200/);
    const empty = recontactAfterNfa({person: [], day: [], noFurtherAction: [], period: []});
    expect(empty.windows.every((w) => w.difference.status === "too few")).toBe(true);
    expect(numbersIn([censored, empty]).every(Number.isFinite)).toBe(true);
  });

  it("twoProportionP matches the z-test by hand", () => {
    // p̂ = 0.25, se = √(0.25·0.75·0.02) = 0.0612, z = 1.633
    expect(twoProportionP(30, 100, 20, 100)).toBeCloseTo(0.1025, 3);
  });
});
