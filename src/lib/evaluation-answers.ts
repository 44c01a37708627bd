/**
 * The plain-English answers the Performance and Thresholds pages start with, for a MASH
 * manager: short sentences with every number taken from the data, each with its n and a
 * 95% interval, in words about what was measured (what staff decided, not what was needed).
 * Pure text builders, tested in Node.
 *
 * @example rankingAnswer(bins, 12466) // "Of every 100 test contacts the model ranks in its top tenth, about 62 were shared by staff …"
 */
import type {ReliabilityBin, NoiseFloor} from "./calibration.js";
import type {RateInterval} from "./intervals.js";
import type {Confusion, ConfusionRates, CapacityCutoff} from "./thresholds.js";

/** An estimate with its interval and n, as the evaluation data carry it (null where JSON held NaN). */
export interface Interval {
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

const count = (x: number) => x.toLocaleString("en-GB");
/** A share as "N in 100": whole numbers, one decimal below 10 (or at the precision of `like`, for an interval's ends). */
const per100 = (p: number, like = p) => (100 * p).toFixed(100 * like < 10 ? 1 : 0);
const pct = (p: number | null, digits = 1) => (p === null || !Number.isFinite(p) ? "—" : `${(100 * p).toFixed(digits)}%`);
const num = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? "—" : x.toFixed(digits).replace(/^-/, "−"));
/** "(95% interval 59 to 65)" on the per-100 scale, at the precision of the value `like`. */
const per100Interval = (lo: number, hi: number, like: number) => `(95% interval ${per100(lo, like)} to ${per100(hi, like)})`;
const interval = (e: Interval, f: (x: number | null) => string) => `${f(e.value)} (95% interval ${f(e.lo)} to ${f(e.hi)})`;

/**
 * How the model ranks: the top and bottom tenths of the equal-count reliability bins.
 *
 * @example rankingAnswer(reliability(scores, labels, {bins: 10}), "test contacts")
 */
export function rankingAnswer(bins: Pick<ReliabilityBin, "n" | "k" | "observed" | "lo" | "hi">[], what = "test contacts"): string {
  if (bins.length < 2) return `Too few ${what} to rank (${bins.reduce((a, b) => a + b.n, 0)}).`;
  const top = bins[bins.length - 1],
    bottom = bins[0];
  const n = bins.reduce((a, b) => a + b.n, 0),
    k = bins.reduce((a, b) => a + b.k, 0);
  return (
    `Of every 100 ${what} the model ranks in its top tenth (${count(top.n)} contacts), about ${per100(top.observed)} were shared by staff ` +
    `${per100Interval(top.lo, top.hi, top.observed)}; of every 100 in its bottom tenth (${count(bottom.n)}), about ${per100(bottom.observed)} ` +
    `${per100Interval(bottom.lo, bottom.hi, bottom.observed)}. Across all ${count(n)} ${what}, staff shared ${per100(k / n)} in 100.`
  );
}

/**
 * Are the scores about right? The mean score against the rate staff shared, the bin nearest
 * `near` (default 30%), and the ECE beside its noise floor.
 *
 * @example calibrationAnswer({bins, rate, meanScore, ece, eceNoiseFloor})
 */
export function calibrationAnswer({
  bins,
  rate,
  meanScore,
  ece,
  eceNoiseFloor,
  near = 0.3,
}: {
  bins: Pick<ReliabilityBin, "n" | "predicted" | "observed" | "lo" | "hi">[];
  rate: Interval;
  meanScore: Interval;
  ece: Interval;
  eceNoiseFloor: Pick<NoiseFloor, "median" | "p95" | "n">;
  near?: number;
}): string {
  const m = meanScore.value ?? NaN,
    lo = rate.lo ?? NaN,
    hi = rate.hi ?? NaN;
  const verdict =
    m >= lo && m <= hi ? "Scores are about right on average" : m > hi ? "Scores run high on average" : "Scores run low on average";
  const bin = [...bins].sort((a, b) => Math.abs(a.predicted - near) - Math.abs(b.predicted - near))[0];
  const floor = eceNoiseFloor;
  // The simulated ECEs of a perfectly calibrated score are the null distribution of the ECE itself.
  const chance =
    (ece.value ?? NaN) <= floor.p95
      ? "within what chance alone gives"
      : "more than chance alone gives (a perfectly calibrated score shows as much in fewer than 5 of 100 simulations)";
  return (
    `${verdict}: over ${count(rate.n)} contacts the mean score is ${interval(meanScore, pct)} and staff shared ${interval(rate, pct)}. ` +
    (bin
      ? `Of the ${count(bin.n)} contacts scored near ${pct(bin.predicted, 0)}, ${pct(bin.observed, 0)} were shared by staff ` +
        `(95% interval ${pct(bin.lo, 0)} to ${pct(bin.hi, 0)}). `
      : "") +
    `The average gap between score and outcome over ten score bins (ECE) is ${interval(ece, num)}; a perfectly calibrated score ` +
    `would show about ${num(floor.median)} at this n by chance alone (95% of the time below ${num(floor.p95)}), so the gap is ${chance}.`
  );
}

/** One part of the test period as the evaluation data carry it (loaders/evaluate/evaluate.ts periodSummary). */
export interface PeriodPart {
  n: number;
  days: number;
  perDay: number;
  rate: Interval;
  meanScore: Interval;
  calibrationInTheLarge: Interval;
}

const within = (x: number | null, e: Interval) => x !== null && e.lo !== null && e.hi !== null && x >= e.lo && x <= e.hi;

/**
 * What leaving out children already seen does to the test set: its share of the period, the
 * rate staff shared and calibration-in-the-large, test set against all contacts of the period.
 *
 * @example testSetAnswer({...all, test, seen})
 */
export function testSetAnswer(period: PeriodPart & {test: PeriodPart; seen: PeriodPart}): string {
  const {test, seen} = period;
  if (!seen.n)
    return `The test set holds all ${count(period.n)} contacts of its period (${period.perDay.toFixed(1)} a day): no child in it was seen earlier.`;
  const seenRate = seen.rate.value ?? NaN,
    testRate = test.rate.value ?? NaN;
  const citl = (e: Interval) => interval(e, (x) => num(x, 3));
  const direction = (e: Interval) =>
    (e.hi ?? NaN) < 0 ? "the scores run higher than staff decisions" : (e.lo ?? NaN) > 0 ? "the scores run lower" : "no clear gap";
  return (
    `The test set leaves out the ${count(seen.n)} contacts (${pct(seen.n / period.n, 0)}) of its period from children already seen in ` +
    `training or validation, so that no child is on both sides of the comparison: ${count(test.n)} of ${count(period.n)} contacts ` +
    `(${test.perDay.toFixed(1)} a day of ${period.perDay.toFixed(1)}). Staff shared ${interval(seen.rate, pct)} of the left-out ` +
    `contacts against ${interval(test.rate, pct)} of the test set; over the whole period, ${interval(period.rate, pct)}. So the ` +
    `test set's rate is ${seenRate > testRate ? "lower" : "higher"} than the period's. Calibration-in-the-large (0 when the mean score ` +
    `is right) is ${citl(test.calibrationInTheLarge)} on the test set (${direction(test.calibrationInTheLarge)}) and ` +
    `${citl(period.calibrationInTheLarge)} over all contacts of the period (${direction(period.calibrationInTheLarge)}); ` +
    `the model scored the left-out contacts ${pct(seen.meanScore.value)} on average, for ${pct(seen.rate.value)} shared. ` +
    (within(period.calibrationInTheLarge.value, test.calibrationInTheLarge)
      ? "Over the whole period calibration-in-the-large stays within the test set's interval: leaving those children out changes the rate, not the gap between scores and staff decisions. "
      : "Over the whole period calibration-in-the-large falls outside the test set's interval: leaving those children out changes the gap between scores and staff decisions, so the test set's calibration holds for children new to the model only. ") +
    `Figures below describe children new to the model; the daily-capacity view on the Thresholds page uses every contact of the period.`
  );
}

/**
 * What a cut-off does, for the Thresholds page: the share flagged, false reassurance against
 * staff decisions and PPV, on the contacts it was computed on; for a daily capacity, the
 * period's volume and the fixed cut-off that flags as many on average.
 *
 * @example thresholdAnswer({setting: "a cut-off of score ≥ 0.20", what: "test contacts", c, r})
 */
export function thresholdAnswer({
  setting,
  what,
  c,
  r,
  capacity,
}: {
  setting: string;
  what: string;
  c: Confusion;
  r: Pick<ConfusionRates, "selection" | "falseOmission" | "ppv">;
  capacity?: {k: number; perDay: number; testPerDay: number; seen: number; cutoff: CapacityCutoff};
}): string {
  const rate = (d: RateInterval) => `${per100(d.rate)} ${per100Interval(d.lo, d.hi, d.rate)}`;
  const base =
    `With ${setting}, the model flags ${per100(r.selection.rate)} in every 100 of the ${count(c.n)} ${what} as likely ` +
    `(${count(c.tp + c.fp)} contacts). Of every 100 it flags as unlikely (${count(c.fn + c.tn)}), staff shared about ` +
    `${rate(r.falseOmission)}: that is the false reassurance, measured against what staff decided, not against what was needed. ` +
    `Of every 100 it flags as likely, staff shared about ${rate(r.ppv)}.`;
  if (!capacity) return base;
  const {k, perDay, testPerDay, seen, cutoff} = capacity;
  return (
    `${base} The MASH received ${perDay.toFixed(1)} contacts a day in this period` +
    (seen
      ? `, counting the ${count(seen)} of children already seen that the test set leaves out (the test set alone has ${testPerDay.toFixed(1)} a day)`
      : "") +
    `. A fixed cut-off of score ≥ ${cutoff.threshold.toFixed(3)} would flag as many on average (${cutoff.perDay.toFixed(1)} a day), ` +
    `but more than ${k} on ${cutoff.daysOver} of ${cutoff.days} days (up to ${cutoff.maxInADay}); taking the top ${k} each day never does.`
  );
}
