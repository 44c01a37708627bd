/**
 * Train / validation / test splits by time, grouped by child, with the pilot window
 * held apart. Splits are decided before any shuffling, from dates alone, so the same
 * data always splits the same way. A child seen in an earlier split is left out of
 * the later ones (counted), so no child is on both sides of a comparison.
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
}

const ORDER: Split[] = ["train", "valid", "test", "pilot"];

export function periodOf(time: string, plan: SplitPlan): Exclude<Split, "excluded"> {
  const day = time.slice(0, 10);
  if (plan.pilotFrom && plan.pilotTo && day >= plan.pilotFrom && day <= plan.pilotTo) return "pilot";
  if (day < plan.validFrom) return "train";
  if (day < plan.testFrom) return "valid";
  return "test";
}

export function assignSplits(rows: SplitRow[], plan: SplitPlan): SplitResult {
  if (!(plan.validFrom < plan.testFrom))
    throw new Error(`the validation period must start before the test period (${plan.validFrom} ≥ ${plan.testFrom})`);
  const first = new Map<string, number>(); // child → earliest split rank
  const periods = rows.map((r) => periodOf(r.time, plan));
  rows.forEach((r, i) => {
    const rank = ORDER.indexOf(periods[i]);
    const had = first.get(r.child);
    if (had === undefined || rank < had) first.set(r.child, rank);
  });
  const counts: Record<Split, number> = {train: 0, valid: 0, test: 0, pilot: 0, excluded: 0};
  const splits = periods.map((p, i) => {
    const s: Split = ORDER.indexOf(p) === first.get(rows[i].child) ? p : "excluded";
    counts[s]++;
    return s;
  });
  return {splits, counts, excludedSeenChild: counts.excluded};
}

/** The first day of the month of `day` (YYYY-MM-DD), moved by `months`. */
function monthStart(day: string, months = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * A split plan from the data's own date range when none is given: roughly the first 70% of
 * the months for training, the next 15% for validation and the last 15% for test, each
 * starting on the first of a month; no pilot window. At least one month each.
 *
 * @example deriveSplit("2016-04-01", "2019-03-31") // {validFrom: "2018-06-01", testFrom: "2018-11-01"}
 */
export function deriveSplit(first: string, last: string): SplitPlan {
  const months = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
  if (months < 3)
    throw new Error(`the data spans ${months} month(s) (${first.slice(0, 10)} to ${last.slice(0, 10)}): a time split needs at least 3`);
  const test = Math.max(1, Math.round(months * 0.15));
  const valid = Math.max(1, Math.round(months * 0.15));
  return {validFrom: monthStart(first, months - test - valid), testFrom: monthStart(first, months - test)};
}

/** The calendar quarter of a day (YYYY-MM-DD…), e.g. "2018-Q3". */
export const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
