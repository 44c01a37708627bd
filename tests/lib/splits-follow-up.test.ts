// Splits for targets with a follow-up window (a re-contact within W days): no label may use
// follow-up past the start of the next period, and the default split is worked back from the
// data's end so that the test period's follow-up is observed.
import {describe, expect, it} from "vitest";
import {
  addDays,
  assignSplits,
  chooseSplit,
  crossesBoundary,
  deriveSplit,
  FOLLOW_UP_TEST_MONTHS,
  splitPeriods,
  type SplitPlan,
  type SplitRow,
} from "../../src/lib/splits.ts";

/** Whole days from a to b (YYYY-MM-DD), counted independently of addDays. */
const daysBetween = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

describe("censoring at each period's start", () => {
  const plan: SplitPlan = {validFrom: "2018-01-01", testFrom: "2018-07-01", followUpDays: 30};

  it("keeps a contact only when its follow-up ends before the next period starts, and does not count its child as seen", () => {
    const rows: SplitRow[] = [
      {child: "a", time: "2017-12-01 09:00:00"}, // 2017-12-01 + 30 = 2017-12-31 < 2018-01-01: train
      {child: "b", time: "2017-12-02 09:00:00"}, // + 30 = 2018-01-01: reaches validation → left out
      {child: "b", time: "2018-02-01 09:00:00"}, // b's first usable contact: valid
      {child: "c", time: "2018-05-31 23:00:00"}, // + 30 = 2018-06-30 < 2018-07-01: valid
      {child: "d", time: "2018-06-01 00:00:00"}, // + 30 = 2018-07-01: reaches test → left out
      {child: "d", time: "2018-08-01 00:00:00"}, // d's first usable contact: test
      {child: "a", time: "2018-09-01 00:00:00"}, // a was in training: excluded as seen
    ];
    const r = assignSplits(rows, plan);
    expect(r.splits).toEqual(["train", "excluded", "valid", "valid", "excluded", "test", "excluded"]);
    expect(r.censoredAtBoundary).toBe(2);
    expect(r.excludedSeenChild).toBe(1);
    expect(r.counts.excluded).toBe(3);
    // Without the window the same rows split as before: b and d are seen in their first period.
    expect(assignSplits(rows, {...plan, followUpDays: undefined}).splits).toEqual([
      "train",
      "train",
      "excluded",
      "valid",
      "valid",
      "excluded",
      "excluded",
    ]);
  });

  it("for every kept training and validation contact, contact day + window is before the next period's start", () => {
    // One contact a day for four years, each a different child.
    const rows = Array.from({length: 4 * 365}, (_, i) => ({child: `c${i}`, time: `${addDays("2015-01-01", i)} 12:00:00`}));
    const p: SplitPlan = {validFrom: "2016-07-01", testFrom: "2017-10-01", followUpDays: 365};
    const r = assignSplits(rows, p);
    rows.forEach((row, i) => {
      const day = row.time.slice(0, 10);
      if (r.splits[i] === "train") expect(daysBetween(day, p.validFrom)).toBeGreaterThan(365);
      if (r.splits[i] === "valid") expect(daysBetween(day, p.testFrom)).toBeGreaterThan(365);
      // Everything left out here is left out for its window (every child is new).
      if (r.splits[i] === "excluded") expect(crossesBoundary(row.time, p)).toBe(true);
    });
    // The periods' last usable days agree with the rule, one day either side.
    const periods = splitPeriods(p, "2018-12-31");
    expect(crossesBoundary(periods.train.to, p)).toBe(false);
    expect(crossesBoundary(addDays(periods.train.to, 1), p)).toBe(true);
    expect(crossesBoundary(periods.valid.to, p)).toBe(false);
    expect(crossesBoundary(addDays(periods.valid.to, 1), p)).toBe(true);
    expect(r.counts.train).toBe(daysBetween("2015-01-01", periods.train.to) + 1);
    expect(r.counts.valid).toBe(daysBetween(p.validFrom, periods.valid.to) + 1);
  });
});

describe("deriveSplit with a follow-up window", () => {
  it("works the sample's range back from its end: test the last 6 whole months whose 12-month follow-up is observed", () => {
    // Data 2015-01-01 to 2019-03-31: follow-up observed to 2018-03-31, so test Oct 2017–Mar 2018;
    // validation before 2017-10-01 − 365 days = 2016-10-01 (3 months, training 6 months before 2015-07-02).
    const plan = deriveSplit("2015-01-01", "2019-03-31", {followUpDays: 365});
    expect(plan).toEqual({validFrom: "2016-07-01", testFrom: "2017-10-01", followUpDays: 365});
    expect(splitPeriods(plan, "2019-03-31")).toEqual({
      train: {to: "2015-07-01"},
      valid: {from: "2016-07-01", to: "2016-09-30"},
      test: {from: "2017-10-01", to: "2018-03-31"},
    });
  });

  it("keeps every period's follow-up inside the next one's start, for many ranges and windows", () => {
    for (const w of [30, 90, 180, 365, 730])
      for (const first of ["2008-01-01", "2008-02-15", "2009-07-31"])
        for (const last of ["2016-12-31", "2017-02-28", "2018-06-14"]) {
          const plan = deriveSplit(first, last, {followUpDays: w});
          const p = splitPeriods(plan, last);
          const at = `${w} ${first} ${last}`;
          expect(plan.followUpDays, at).toBe(w);
          expect(plan.testFrom.slice(8), at).toBe("01");
          expect(daysBetween(p.test.to, last), at).toBe(w); // test to the last day whose follow-up is observed
          // At least 6 whole months of test, all of them observed.
          expect(daysBetween(plan.testFrom, addDays(p.test.to, 1)), at).toBeGreaterThanOrEqual(6 * 28);
          expect(daysBetween(p.valid.to, plan.testFrom), at).toBe(w + 1);
          expect(daysBetween(p.train.to, plan.validFrom), at).toBe(w + 1);
          expect(p.valid.from < p.valid.to && first < p.train.to, at).toBe(true);
        }
  });

  it("takes longer test periods when asked, and refuses data too short for the window, naming the dates and what to change", () => {
    const six = deriveSplit("2015-01-01", "2019-03-31", {followUpDays: 365});
    const nine = deriveSplit("2015-01-01", "2019-03-31", {followUpDays: 365, testMonths: 9});
    expect(nine.testFrom < six.testFrom).toBe(true);
    expect(FOLLOW_UP_TEST_MONTHS).toBe(6);
    expect(() => deriveSplit("2016-01-01", "2018-12-31", {followUpDays: 365})).toThrow(
      /too short for a 365-day follow-up: test would be 2017-07-01 to 2017-12-31.*data must start by .*recurrence_days/,
    );
  });
});

describe("chooseSplit", () => {
  // `perDay` new children a day from `from` to 2019-03-31, labelled where the 365-day follow-up is
  // observed (the warehouse labels no others); a dictionary split made for a target without follow-up.
  const contacts = (from: string, perDay: number): SplitRow[] =>
    Array.from({length: (daysBetween(from, "2018-03-31") + 1) * perDay}, (_, i) => ({
      child: `c${i}`,
      time: `${addDays(from, Math.floor(i / perDay))} 10:00:00`,
    }));
  const rows = contacts("2015-01-01", 20);
  const dictionary = {validFrom: "2018-01-01", testFrom: "2018-07-01", pilotFrom: "2019-01-01", pilotTo: "2019-03-31"};
  const range = {first: "2015-01-01 00:10:00", last: "2019-03-31 23:55:00"};
  const sixMonths = daysBetween("2017-10-01", "2018-03-31") + 1;

  it("keeps the dictionary's split for a target without follow-up, unchanged", () => {
    const c = chooseSplit(rows, {dictionary, ...range});
    expect(c.plan).toEqual(dictionary);
    expect(c.source).toBe("dictionary");
  });

  it("replaces a dictionary split that leaves too few test contacts by one derived for the window, saying why", () => {
    const c = chooseSplit(rows, {dictionary, ...range, followUpDays: 365, minTest: 3000});
    expect(c.source).toBe("derived");
    expect(c.why).toMatch(
      /dictionary's split \(validation from 2018-01-01, test from 2018-07-01\) leaves 0 test contacts.*fewer than 3,000/,
    );
    expect(c.plan).toEqual(deriveSplit(range.first, range.last, {followUpDays: 365}));
    expect(c.result.counts.test).toBe(20 * sixMonths);
  });

  it("lengthens the test period until it holds the minimum, while training keeps as many contacts", () => {
    // From 2012 there are years of training to spare: 7 months of test reach the minimum.
    const long = contacts("2012-01-01", 20);
    const c = chooseSplit(long, {first: "2012-01-01", last: range.last, followUpDays: 365, minTest: 20 * sixMonths + 1});
    expect(c.why).toMatch(/test the last 7 whole months/);
    expect(c.plan).toEqual(deriveSplit("2012-01-01", range.last, {followUpDays: 365, testMonths: 7}));
    expect(c.result.counts.test).toBeGreaterThan(20 * sixMonths);
    expect(c.result.counts.train).toBeGreaterThanOrEqual(c.result.counts.test);
    // From 2015 a longer test would leave training fewer contacts than test: the 6-month test, said plainly.
    const short = chooseSplit(rows, {...range, followUpDays: 365, minTest: 20 * sixMonths + 1});
    expect(short.plan).toEqual(deriveSplit(range.first, range.last, {followUpDays: 365}));
    expect(short.why).toMatch(/test the last 6 whole months .*leaves only 3640 test contacts \(fewer than 3,641\), so intervals are wide/);
  });

  it("keeps a dictionary split that still leaves enough test contacts with the window, censored", () => {
    const early = {validFrom: "2016-07-01", testFrom: "2017-09-01"};
    const c = chooseSplit(rows, {dictionary: early, ...range, followUpDays: 365, minTest: 1000});
    expect(c).toMatchObject({source: "dictionary", plan: {...early, followUpDays: 365}});
  });

  it("refuses a given split that cannot work, naming the dates to change", () => {
    expect(() => chooseSplit(rows, {given: dictionary, ...range, followUpDays: 365})).toThrow(
      /given split \(validation from 2018-01-01, test from 2018-07-01\) leaves \d+ training and 0 test contacts.*on or before 2018-03-31.*change validFrom and testFrom.*validation from 2016-07-01, test from 2017-10-01/,
    );
    const given = {validFrom: "2016-04-01", testFrom: "2017-06-01"};
    expect(chooseSplit(rows, {given, dictionary, ...range, followUpDays: 365})).toMatchObject({
      source: "config",
      plan: {...given, followUpDays: 365},
    });
  });
});
