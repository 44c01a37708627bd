/**
 * Safety: after a "no further action" decision, how often is the same child the subject of another
 * contact within 30 or 90 days — before against during the pilot (a pilot must not let children
 * through). A contact counts only when its whole follow-up window lies inside the data (its day +
 * the window ≤ the data's end): a later contact cannot have been seen yet, so the rest are
 * reported as censored, never as "not re-contacted". Rates with Wilson intervals; the difference
 * during − before with Newcombe's hybrid score interval (src/lib/outcome-test.ts) and the pooled
 * two-proportion z-test's p-value. Pure, shared by Node and the browser.
 *
 * @example
 *   recontactAfterNfa({person, day, noFurtherAction, period}, {end: dayNumber("2019-06-30")}).windows[0]
 *   // {days: 30, before: {k, n, rate: {rate, lo, hi}, censored}, during: …, difference: {value: 0.004, lo: -0.01, hi: 0.019, …}}
 */
import {wilson, type RateInterval} from "../intervals.js";
import {newcombeDifference, recontacts} from "../outcome-test.js";
import {twoProportionP} from "./distributions.js";
import type {Period} from "./periods.js";
import {estimate, MIN_CONTACTS, tooFew, type Result} from "./result.js";

/** Every contact (a re-contact can be any later contact), as aligned columns. */
export interface SafetyRecords {
  /** the child each contact is about */
  person: ArrayLike<string>;
  /** contact time as a day number */
  day: ArrayLike<number>;
  /** 1 the decision was no further action, 0 another decision, −1 not decided yet */
  noFurtherAction: ArrayLike<number>;
  /** "before", "during" or null: src/lib/impact/periods.ts periodsOf */
  period: ArrayLike<Period | null>;
}

export interface PeriodRate {
  /** re-contacted, of `n` "no further action" contacts with a complete follow-up */
  k: number;
  n: number;
  /** the rate with its Wilson interval; null when n is 0 */
  rate: RateInterval | null;
  /** "no further action" contacts of the period left out because their window runs past the data */
  censored: number;
}

export interface SafetyWindow {
  days: number;
  before: PeriodRate;
  during: PeriodRate;
  /** re-contact rate during − before (0 = no change; above 0 = more children came back) */
  difference: Result;
}

/** Re-contact after "no further action", before against during, for each follow-up window. */
export function recontactAfterNfa(
  r: SafetyRecords,
  {windows = [30, 90], end, minContacts = MIN_CONTACTS}: {windows?: number[]; end?: number; minContacts?: number} = {},
): {windows: SafetyWindow[]; end: number | null} {
  const N = r.day.length;
  let last = -Infinity;
  for (let i = 0; i < N; i++) last = Math.max(last, r.day[i]);
  const until = end ?? last;
  const out = windows.map((days): SafetyWindow => {
    const method =
      `Share of "no further action" contacts followed by another contact about the same child within ${days} days ` +
      `(only contacts with all ${days} days inside the data), during − before, with Newcombe's hybrid score 95% interval.`;
    const again = N ? recontacts({person: r.person, day: r.day}, {followUpDays: days, end: until}) : new Int8Array(0);
    const tally = {before: {k: 0, n: 0, censored: 0}, during: {k: 0, n: 0, censored: 0}};
    for (let i = 0; i < N; i++) {
      const p = r.period[i];
      if (!p || r.noFurtherAction[i] !== 1) continue;
      if (again[i] < 0) tally[p].censored++;
      else {
        tally[p].n++;
        tally[p].k += again[i];
      }
    }
    const rate = (p: Period): PeriodRate => {
      const t = tally[p];
      return {k: t.k, n: t.n, rate: t.n > 0 ? wilson(t.k, t.n) : null, censored: t.censored};
    };
    const before = rate("before");
    const during = rate("during");
    const n = before.n + during.n;
    const thin = (["before", "during"] as const).find((p) => tally[p].n < minContacts);
    let difference: Result;
    if (thin) {
      const t = tally[thin];
      const why =
        t.censored > 0 && t.n === 0
          ? `every one of the ${t.censored} is within ${days} days of the data's end`
          : `${t.censored} more are within ${days} days of the data's end`;
      difference = tooFew(
        n,
        `${t.n} "no further action" contacts ${thin === "during" ? "during the pilot" : "before"} with a complete ${days}-day follow-up (fewer than ${minContacts}; ${why})`,
        method,
      );
    } else {
      const d = newcombeDifference(during.k, during.n, before.k, before.n);
      difference = estimate({
        value: d.value,
        lo: d.lo,
        hi: d.hi,
        p: twoProportionP(during.k, during.n, before.k, before.n),
        nullValue: 0,
        n,
        method,
      });
    }
    return {days, before, during, difference};
  });
  return {windows: out, end: N ? until : null};
}
