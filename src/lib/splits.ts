/**
 * Train / validation / test splits by time, grouped by child, with the pilot window
 * held apart. Splits are decided before any shuffling, from dates alone, so the same
 * data always splits the same way. A child seen in an earlier split is left out of
 * the later ones (counted), so no child is on both sides of a comparison.
 *
 * Targets with a follow-up window (a re-contact within 365 days) are censored at each
 * boundary too: a training contact is used only when its follow-up ends before the
 * validation period starts, a validation contact only when it ends before the test period
 * starts (the warehouse's labels already need the whole window inside the data). So no label
 * uses what happened in a later period.
 *
 * @example assignSplits(rows, {validFrom: "2018-01-01", testFrom: "2018-07-01", pilotFrom: "2019-01-01", pilotTo: "2019-03-31"})
 */
export type Split = "train" | "valid" | "test" | "pilot" | "excluded";

export interface SplitPlan {
  /** first day of validation (train is everything before) */
  validFrom: string;
  /** first day of test */
  testFrom: string;
  /** the pilot window, inclusive, held apart from all three */
  pilotFrom?: string;
  pilotTo?: string;
  /** the label's follow-up in days (a recurrence target): see {@link crossesBoundary} */
  followUpDays?: number;
}

export interface SplitRow {
  child: string;
  /** ISO date or date-time; compared as text (YYYY-MM-DD…) */
  time: string;
}

export interface SplitResult {
  splits: Split[];
  counts: Record<Split, number>;
  /** contacts left out because their child was already in an earlier split */
  excludedSeenChild: number;
  /** contacts left out because their follow-up reaches into the next period (counted in `excluded` too) */
  censoredAtBoundary: number;
}

const ORDER: Split[] = ["train", "valid", "test", "pilot"];

export function periodOf(time: string, plan: SplitPlan): Exclude<Split, "excluded"> {
  const day = time.slice(0, 10);
  if (plan.pilotFrom && plan.pilotTo && day >= plan.pilotFrom && day <= plan.pilotTo) return "pilot";
  if (day < plan.validFrom) return "train";
  if (day < plan.testFrom) return "valid";
  return "test";
}

/**
 * The day (YYYY-MM-DD) `days` days after `day` (before, when negative); a time of day is dropped.
 *
 * @example addDays("2016-10-01", 365) // "2017-10-01"
 */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether a contact's label would use follow-up past the start of the next period: a training
 * contact whose follow-up (contact day + followUpDays) does not end before validFrom, or a
 * validation contact whose follow-up does not end before testFrom. Always false without a window.
 *
 * @example crossesBoundary("2017-06-01 10:00:00", {validFrom: "2018-01-01", testFrom: "2018-07-01", followUpDays: 365}) // true
 */
export function crossesBoundary(time: string, plan: SplitPlan): boolean {
  if (!plan.followUpDays) return false;
  const period = periodOf(time, plan);
  const next = period === "train" ? plan.validFrom : period === "valid" ? plan.testFrom : undefined;
  return next !== undefined && addDays(time, plan.followUpDays) >= next;
}

export function assignSplits(rows: SplitRow[], plan: SplitPlan): SplitResult {
  if (!(plan.validFrom < plan.testFrom))
    throw new Error(`the validation period must start before the test period (${plan.validFrom} ≥ ${plan.testFrom})`);
  const first = new Map<string, number>(); // child → earliest split rank
  const periods = rows.map((r) => periodOf(r.time, plan));
  // A contact whose follow-up reaches into the next period has no usable label: it is left out, and
  // its child is not "seen" (the contact takes part in no comparison).
  const crossing = rows.map((r) => crossesBoundary(r.time, plan));
  rows.forEach((r, i) => {
    if (crossing[i]) return;
    const rank = ORDER.indexOf(periods[i]);
    const had = first.get(r.child);
    if (had === undefined || rank < had) first.set(r.child, rank);
  });
  const counts: Record<Split, number> = {train: 0, valid: 0, test: 0, pilot: 0, excluded: 0};
  const splits = periods.map((p, i) => {
    const s: Split = !crossing[i] && ORDER.indexOf(p) === first.get(rows[i].child) ? p : "excluded";
    counts[s]++;
    return s;
  });
  const censoredAtBoundary = crossing.filter(Boolean).length;
  return {splits, counts, excludedSeenChild: counts.excluded - censoredAtBoundary, censoredAtBoundary};
}

/** The first day of the month of `day` (YYYY-MM-DD), moved by `months`. */
function monthStart(day: string, months = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Whole months from `from` to `to` (days YYYY-MM-DD): 2015-01-01 → 2015-07-02 is 6. */
function wholeMonths(from: string, to: string): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  return to.slice(8, 10) >= from.slice(8, 10) ? months : months - 1;
}

/** The test period of a follow-up split is at least this many whole months. */
export const FOLLOW_UP_TEST_MONTHS = 6;

/** Options of {@link deriveSplit}. */
export interface DeriveOptions {
  /** the label's follow-up in days: every period's labels must be observed before the next starts */
  followUpDays?: number;
  /** whole months of test (follow-up splits only; default {@link FOLLOW_UP_TEST_MONTHS}) */
  testMonths?: number;
}

/**
 * A split plan from the data's own date range when none is given: roughly the first 70% of
 * the months for training, the next 15% for validation and the last 15% for test, each
 * starting on the first of a month; no pilot window. At least one month each.
 *
 * With a follow-up window of W days (data ending on day D) the plan is worked back from the end:
 * test is the last `testMonths` whole months of contacts whose follow-up the data cover (to
 * D − W); validation the whole months before testFrom − W (their follow-up ends before test
 * starts), as many as test at most and half of training at most; training the contacts before
 * validFrom − W. The gaps between are contacts whose labels would use a later period. Throws,
 * naming the dates, when the data are too short.
 *
 * @example deriveSplit("2016-04-01", "2019-03-31") // {validFrom: "2018-06-01", testFrom: "2018-11-01"}
 * @example deriveSplit("2015-01-01", "2019-03-31", {followUpDays: 365}) // {validFrom: "2016-07-01", testFrom: "2017-10-01", followUpDays: 365}
 */
export function deriveSplit(first: string, last: string, options: DeriveOptions = {}): SplitPlan {
  if (options.followUpDays) return deriveFollowUpSplit(first.slice(0, 10), last.slice(0, 10), options.followUpDays, options.testMonths);
  const months = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
  if (months < 3)
    throw new Error(`the data spans ${months} month(s) (${first.slice(0, 10)} to ${last.slice(0, 10)}): a time split needs at least 3`);
  const test = Math.max(1, Math.round(months * 0.15));
  const valid = Math.max(1, Math.round(months * 0.15));
  return {validFrom: monthStart(first, months - test - valid), testFrom: monthStart(first, months - test)};
}

function deriveFollowUpSplit(first: string, last: string, days: number, testMonths = FOLLOW_UP_TEST_MONTHS): SplitPlan {
  const observedTo = addDays(last, -days); // the last contact day whose whole follow-up the data cover
  const testTo = monthStart(addDays(observedTo, 1)); // the end (exclusive) of the last whole month up to it
  const testFrom = monthStart(testTo, -testMonths);
  const validTo = addDays(testFrom, -days); // validation contacts before this day: follow-up ends before testFrom
  for (let valid = testMonths; valid >= 1; valid--) {
    const validFrom = monthStart(validTo, -valid);
    const trainTo = addDays(validFrom, -days); // training contacts before this day
    if (wholeMonths(first, trainTo) >= 2 * valid) return {validFrom, testFrom, followUpDays: days};
  }
  const trainTo = addDays(monthStart(validTo, -1), -days);
  throw new Error(
    `the data (${first} to ${last}) are too short for a ${days}-day follow-up: test would be ${testFrom} to ${observedTo} ` +
      `(${testMonths} whole months whose follow-up the data cover), validation before ${validTo} and training before ${trainTo}, ` +
      `at least 2 months of it, so the data must start by ${monthStart(trainTo, -2)}. Add earlier extracts, shorten the ` +
      `target's recurrence_days in the dictionary, or give a split (validFrom, testFrom) in a --config file`,
  );
}

/** The first and last day of each period's usable contacts, and what bounds them (for cards and logs). */
export interface SplitPeriods {
  train: {to: string};
  valid: {from: string; to: string};
  test: {from: string; to: string};
}

/**
 * The days each period's usable contacts fall in, given the data's last day: with a follow-up,
 * training ends W days before validation starts, validation W days before test starts and test
 * W days before the data end.
 *
 * @example splitPeriods({validFrom: "2016-07-01", testFrom: "2017-10-01", followUpDays: 365}, "2019-03-31") // {train: {to: "2015-07-01"}, valid: {from: "2016-07-01", to: "2016-09-30"}, test: {from: "2017-10-01", to: "2018-03-31"}}
 */
export function splitPeriods(plan: SplitPlan, last: string): SplitPeriods {
  const w = plan.followUpDays ?? 0;
  const before = (day: string) => addDays(day, -w - 1);
  return {
    train: {to: before(plan.validFrom)},
    valid: {from: plan.validFrom, to: before(plan.testFrom)},
    test: {from: plan.testFrom, to: addDays(last, -w)},
  };
}

/** A follow-up target's default split leaves at least this many test contacts, or says it cannot. */
export const MIN_TEST_CONTACTS = 5000;

/** The split a model is trained with, where it came from and why (card.json and the console report it). */
export interface SplitChoice {
  plan: SplitPlan;
  source: "config" | "dictionary" | "derived";
  why: string;
  result: SplitResult;
}

/** What {@link chooseSplit} chooses from. */
export interface SplitCandidates {
  /** a split the user gave (train --config): used as it is, refused when it leaves no training or test contact */
  given?: SplitPlan;
  /** the dictionary's split */
  dictionary?: SplitPlan;
  /** the data's first and last event times */
  first: string;
  last: string;
  /** the target's follow-up window in days */
  followUpDays?: number;
  /** default {@link MIN_TEST_CONTACTS} */
  minTest?: number;
}

const planText = (plan: SplitPlan) => `validation from ${plan.validFrom}, test from ${plan.testFrom}`;

/**
 * The split a target is trained with. A given split is used as it is. Without a follow-up window:
 * the dictionary's, else one derived from the dates. With one (labels need W days observed,
 * before the next period starts): the dictionary's when it still leaves `minTest` test contacts,
 * else a follow-up split derived from the dates, with as many test months (6 or more) as it takes
 * to reach `minTest`, while the data allow and training keeps at least as many contacts as test;
 * when none reaches it, the 6-month test, saying it is short. Throws naming the dates when a split
 * leaves no training or no test contact.
 *
 * @example chooseSplit(rows, {dictionary, first: "2015-01-01", last: "2019-03-31", followUpDays: 365}).plan
 */
export function chooseSplit(rows: SplitRow[], c: SplitCandidates): SplitChoice {
  const w = c.followUpDays;
  const minTest = c.minTest ?? MIN_TEST_CONTACTS;
  const withWindow = (plan: SplitPlan): SplitPlan => (w ? {...plan, followUpDays: w} : plan);
  const window = w
    ? ` once each label's ${w}-day follow-up must end before the next period starts (and before the data end, ${c.last.slice(0, 10)})`
    : "";
  const usable = (r: SplitResult) => r.counts.train > 0 && r.counts.test > 0;
  if (c.given) {
    const plan = withWindow(c.given);
    const result = assignSplits(rows, plan);
    if (!usable(result)) {
      let example = "";
      try {
        example = ` (from these data: ${planText(deriveSplit(c.first, c.last, w ? {followUpDays: w} : {}))})`;
      } catch {
        // the data are too short for any split: the counts above say so
      }
      const after = w ? ` − ${w} days` : "";
      throw new Error(
        `the given split (${planText(plan)}) leaves ${result.counts.train} training and ${result.counts.test} test contacts${window}. ` +
          `Test contacts must fall on or before ${addDays(c.last, -(w ?? 0))}, validation contacts before testFrom${after} and training ` +
          `contacts before validFrom${after}, after the data's first day ${c.first.slice(0, 10)}: change validFrom and testFrom in the ` +
          `--config file, or leave split out to have one derived${example}`,
      );
    }
    return {
      plan,
      source: "config",
      why: `the split given in the training config${w ? `, censored for the ${w}-day follow-up` : ""}`,
      result,
    };
  }
  if (!w) {
    const plan = c.dictionary ?? deriveSplit(c.first, c.last);
    const why = c.dictionary
      ? "the dictionary's split"
      : "no split in the dictionary: derived from the data's dates (70/15/15% of the months)";
    return {plan, source: c.dictionary ? "dictionary" : "derived", why, result: assignSplits(rows, plan)};
  }
  let fallback = "no split in the dictionary";
  if (c.dictionary) {
    const plan = withWindow(c.dictionary);
    const result = assignSplits(rows, plan);
    const n = result.counts.test;
    if (n >= minTest && result.counts.train > 0)
      return {plan, source: "dictionary", why: `the dictionary's split leaves ${n} test contacts${window}`, result};
    fallback = `the dictionary's split (${planText(c.dictionary)}) leaves ${n} test contacts${window}, fewer than ${minTest.toLocaleString("en-GB")}`;
  }
  let chosen: SplitChoice | undefined;
  for (let months = FOLLOW_UP_TEST_MONTHS; months <= 4 * FOLLOW_UP_TEST_MONTHS; months++) {
    let plan: SplitPlan;
    try {
      plan = deriveSplit(c.first, c.last, {followUpDays: w, testMonths: months});
    } catch (error) {
      if (chosen) break; // the data allow no longer test period
      throw new Error(`${fallback}; ${(error as Error).message}`);
    }
    const result = assignSplits(rows, plan);
    // A longer test period takes months from training: never below as many contacts as test.
    if (!usable(result) || (months > FOLLOW_UP_TEST_MONTHS && result.counts.train < result.counts.test)) break;
    chosen = {
      plan,
      source: "derived",
      why: `${fallback}: derived from the data's dates, test the last ${months} whole months whose follow-up is observed`,
      result,
    };
    if (result.counts.test >= minTest) return chosen;
  }
  if (!chosen)
    throw new Error(
      `${fallback}, and the split derived for the ${w}-day follow-up leaves no training or no test contact: add data or shorten recurrence_days`,
    );
  // None reached the minimum: the 6-month test, said plainly.
  const first = deriveSplit(c.first, c.last, {followUpDays: w});
  const result = assignSplits(rows, first);
  return {
    plan: first,
    source: "derived",
    why: `${fallback}: derived from the data's dates, test the last ${FOLLOW_UP_TEST_MONTHS} whole months whose follow-up is observed; it leaves only ${result.counts.test} test contacts (fewer than ${minTest.toLocaleString("en-GB")}), so intervals are wide`,
    result,
  };
}

/** The calendar quarter of a day (YYYY-MM-DD…), e.g. "2018-Q3". */
export const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
