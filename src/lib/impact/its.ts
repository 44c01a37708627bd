/**
 * Interrupted time series (segmented regression) for the whole MASH: a weekly or monthly series
 * (mean log decision time, or the sharing rate) regressed on a linear trend, season (calendar-month
 * terms or Fourier terms of the day of the year) and a level change at the pilot's start,
 * optionally a slope change too. The interval: with few points after the start, neither plain OLS
 * (it ignores autocorrelation) nor Newey–West (the level-change column has high leverage) nor an
 * AR(1) fit (its ρ is biased down in short series) holds its 5% level — in simulation with AR(1)
 * noise (ρ = 0.3) they claimed a change 9–13% of the time. So the standard error is the largest of
 * plain OLS, Newey–West and the in-time placebos': the same model fitted to the data before the
 * start only, with a level change of the same length at every earlier point where nothing changed;
 * the root mean square of those placebo level changes is what chance alone produces, with the
 * series' own autocorrelation and season misfit. t on (placebos ÷ window length) degrees of
 * freedom (overlapping placebos are not independent). Pure, shared by Node and the browser.
 *
 * @example
 *   const series = periodSeries(day, logHours, "month");
 *   interruptedTimeSeries(series, {start: "2019-01-01", ratio: true}).levelChange // exp(level): 0.86 (0.80 to 0.93)
 */
import {tP, tQuantile} from "./distributions.js";
import {calendarMonth, dayNumber, isoDay, weekday} from "./periods.js";
import {classicalCovariance, fitOls, neweyWestCovariance, neweyWestLag} from "./regression.js";
import {estimate, tooFew, type Result} from "./result.js";

/** One period of the series: its first day, the mean of the contacts in it and how many. */
export interface SeriesPoint {
  day: number;
  value: number;
  n: number;
}

/**
 * Means of `value` by calendar month or by week (weeks start on Monday), skipping values that are
 * not finite (not decided yet); periods in time order. `minN` drops thinner periods (a partial
 * first or last week).
 * @example periodSeries(days, logHours, "week") // [{day: 16440, value: 2.71, n: 512}, …]
 */
export function periodSeries(day: ArrayLike<number>, value: ArrayLike<number>, by: "month" | "week", minN = 1): SeriesPoint[] {
  const acc = new Map<number, {sum: number; n: number}>();
  for (let i = 0; i < day.length; i++) {
    const v = value[i];
    if (!Number.isFinite(v)) continue;
    const d = Math.floor(day[i]);
    const key = by === "month" ? dayNumber(`${isoDay(d).slice(0, 7)}-01`) : d - ((weekday(d) + 6) % 7);
    const a = acc.get(key) ?? {sum: 0, n: 0};
    a.sum += v;
    a.n++;
    acc.set(key, a);
  }
  return [...acc.entries()]
    .filter(([, a]) => a.n >= minN)
    .sort((a, b) => a[0] - b[0])
    .map(([d, a]) => ({day: d, value: a.sum / a.n, n: a.n}));
}

export interface ItsOptions {
  /**
   * first day of the intervention (ISO date). A point is "after" when its first day is on or after
   * it, so a week that straddles the start counts as before (2019-01-01 is a Tuesday).
   */
  start: string;
  /** last day of the intervention: later points are left out */
  end?: string;
  /** calendar-month terms (11 columns) or Fourier terms with this many harmonics (2 per harmonic) */
  season?: "month" | {harmonics: number};
  /** also estimate a change of slope at the start (needs `minAfterForSlope` points after) */
  slopeChange?: boolean;
  /** report exp(level change) (a ratio, for log decision times) instead of the difference */
  ratio?: boolean;
  /** what the series measures, for the method sentence */
  measure?: string;
  lag?: number;
  minBefore?: number;
  minAfter?: number;
  minAfterForSlope?: number;
}

export interface ItsResult {
  levelChange: Result;
  /** per year; null when not asked for */
  slopeChange: Result | null;
  pointsBefore: number;
  pointsAfter: number;
  lag: number;
  /** in-time placebo windows used for the interval, and the root mean square of their level changes */
  placebos: number;
  placeboRms: number | null;
  /** each point with the fitted value and the counterfactual (the fit without the changes), for a chart */
  fitted: {day: number; value: number; n: number; fitted: number; counterfactual: number}[];
}

type Season = "month" | {harmonics: number};

/** Days since 1 January of the day's year. */
const dayOfYear = (day: number): number =>
  Math.floor(day) - Date.UTC(new Date(Math.floor(day) * 86_400_000).getUTCFullYear(), 0, 1) / 86_400_000;

const seasonColumns = (season: Season) => (season === "month" ? 11 : 2 * season.harmonics);

/** The design: intercept, trend (years), season, level change from `stepFrom` (index), optional slope change. */
function design(
  points: SeriesPoint[],
  season: Season,
  stepFrom: number,
  withSlope: boolean,
): {X: Float64Array; y: Float64Array; k: number} {
  const n = points.length;
  const seasonCols = seasonColumns(season);
  const k = 3 + seasonCols + (withSlope ? 1 : 0);
  const X = new Float64Array(n * k);
  const y = new Float64Array(n);
  const first = points[0].day;
  const t0 = points[Math.min(stepFrom, n - 1)].day;
  points.forEach((p, i) => {
    const row = i * k;
    const on = i >= stepFrom ? 1 : 0;
    X[row] = 1;
    X[row + 1] = (p.day - first) / 365.25;
    if (season === "month") {
      const m = calendarMonth(p.day);
      if (m > 1) X[row + 1 + (m - 1)] = 1;
    } else
      for (let h = 1; h <= season.harmonics; h++) {
        const angle = (2 * Math.PI * h * dayOfYear(p.day)) / 365.25;
        X[row + 2 * h] = Math.sin(angle);
        X[row + 2 * h + 1] = Math.cos(angle);
      }
    X[row + 2 + seasonCols] = on;
    if (withSlope) X[row + 3 + seasonCols] = on * ((p.day - t0) / 365.25);
    y[i] = p.value;
  });
  return {X, y, k};
}

/** Level changes the model finds at every earlier start of the same length (before the real start only). */
function placeboSteps(points: SeriesPoint[], season: Season, before: number, length: number, minBefore: number): number[] {
  const out: number[] = [];
  // one design for the points before the real start; each placebo takes its first rows and moves the step
  const {X: full, y, k} = design(points.slice(0, before), season, before, false);
  for (let s = minBefore; s + length <= before; s++) {
    const rows = s + length;
    if (rows - k < 3) continue;
    const X = full.slice(0, rows * k);
    for (let i = 0; i < rows; i++) X[i * k + k - 1] = i >= s ? 1 : 0;
    try {
      out.push(fitOls(X, y.subarray(0, rows), rows, k).beta[k - 1]);
    } catch {
      // a placebo whose design is singular (too little of the year before it) says nothing
    }
  }
  return out;
}

/** The level change (and slope change) at the start, with the fitted series. */
export function interruptedTimeSeries(series: SeriesPoint[], options: ItsOptions): ItsResult {
  const {
    start,
    end,
    season = "month",
    slopeChange = false,
    ratio = false,
    measure = "the series",
    minBefore = 8,
    minAfter = 2,
    minAfterForSlope = 8,
  } = options;
  const t0 = dayNumber(start);
  const last = end === undefined ? Infinity : dayNumber(end);
  const points = series.filter((p) => Number.isFinite(p.value) && p.day <= last).sort((a, b) => a.day - b.day);
  const before = points.filter((p) => p.day < t0).length;
  const after = points.length - before;
  const seasonText = season === "month" ? "calendar-month terms" : `Fourier terms (${season.harmonics} harmonics)`;
  const method =
    `Segmented regression of ${measure} on a linear trend, ${seasonText} and a level change at ${start}` +
    `${slopeChange ? " and a change of slope" : ""}; 95% interval from the largest of the plain OLS, Newey–West and ` +
    `in-time placebo standard errors (the same model's level changes at earlier starts where nothing changed).`;
  const withSlope = slopeChange && after >= minAfterForSlope;
  const n = points.length;
  const contacts = points.reduce((a, p) => a + p.n, 0);
  const none = (reason: string): ItsResult => ({
    levelChange: tooFew(n, reason, method, "periods"),
    slopeChange: slopeChange ? tooFew(n, reason, method, "periods") : null,
    pointsBefore: before,
    pointsAfter: after,
    lag: 0,
    placebos: 0,
    placeboRms: null,
    fitted: [],
  });
  if (before < minBefore) return none(`${before} points before the start (fewer than ${minBefore})`);
  if (after < minAfter) return none(`${after} points after the start (fewer than ${minAfter})`);
  const {X, y, k} = design(points, season, before, withSlope);
  if (n - k < 3) return none(`${n} points for ${k} coefficients`);
  let fit;
  try {
    fit = fitOls(X, y, n, k);
  } catch (e) {
    return none((e as Error).message.replace("fitOls: ", ""));
  }
  const lag = options.lag ?? neweyWestLag(n);
  const nw = neweyWestCovariance(fit, lag).cov;
  const ols = classicalCovariance(fit).cov;
  const placebo = placeboSteps(points, season, before, after, minBefore);
  const placeboRms = placebo.length ? Math.sqrt(placebo.reduce((a, b) => a + b * b, 0) / placebo.length) : null;
  const placeboDf = Math.floor(placebo.length / after);
  if (placeboDf < 3)
    return none(
      `${placebo.length} earlier placebo windows of ${after} points (too few to calibrate the interval: need more points before the start)`,
    );
  const df = Math.min(n - k, placeboDf);
  const q = tQuantile(0.975, df);
  const stepCol = 2 + seasonColumns(season);
  const coef = (j: number, asRatio: boolean, what: string): Result => {
    const v = j * k + j;
    const se = Math.sqrt(Math.max(nw[v], ols[v], what === "level" ? (placeboRms ?? 0) ** 2 : 0));
    const b = fit.beta[j];
    const lo = b - q * se;
    const hi = b + q * se;
    const p = se > 0 ? tP(b / se, df) : 1;
    const m = what === "level" ? method : method.replace("a level change", "a level change and its slope change");
    const unit = `contacts in ${n} periods`;
    return asRatio
      ? estimate({value: Math.exp(b), lo: Math.exp(lo), hi: Math.exp(hi), p, nullValue: 1, n: contacts, unit, method: m})
      : estimate({value: b, lo, hi, p, nullValue: 0, n: contacts, unit, method: m});
  };
  const fitted = points.map((p, i) => {
    let f = 0;
    let cf = 0;
    for (let a = 0; a < k; a++) {
      const v = X[i * k + a] * fit.beta[a];
      f += v;
      if (a < stepCol) cf += v;
    }
    return {day: p.day, value: p.value, n: p.n, fitted: f, counterfactual: cf};
  });
  return {
    levelChange: coef(stepCol, ratio, "level"),
    slopeChange: slopeChange
      ? withSlope
        ? coef(stepCol + 1, false, "slope")
        : tooFew(n, `${after} points after the start (fewer than ${minAfterForSlope} for a slope change)`, method, "periods")
      : null,
    pointsBefore: before,
    pointsAfter: after,
    lag,
    placebos: placebo.length,
    placeboRms,
    fitted,
  };
}
