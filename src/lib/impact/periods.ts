/**
 * Calendar helpers for the impact estimators: days as whole numbers (days since 1970-01-01, UTC,
 * fractions allowed for times of day), months as indices, and the pilot's comparison periods.
 * Pure, shared by Node and the browser (UTC only, so no time zone moves a contact between days).
 *
 * @example
 *   const pilot = {start: "2019-01-01", end: "2019-03-31"};
 *   periodOf(dayNumber("2018-02-10"), pilot, "year-earlier") // "before"
 *   periodOf(dayNumber("2019-02-10"), pilot, "year-earlier") // "during"
 */

/** The pilot window: first and last day, inclusive, as ISO dates (YYYY-MM-DD). */
export interface Window {
  start: string;
  end: string;
}

/**
 * What "before" means: the same calendar months a year earlier (season held fixed), or the same
 * number of days just before the start (closer in time, different season).
 */
export type Comparison = "year-earlier" | "months-before";

export type Period = "before" | "during";

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) of an ISO date or date-time. */
export function dayNumber(iso: string): number {
  const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (!Number.isFinite(t)) throw new Error(`not a date: "${iso}" (expected YYYY-MM-DD)`);
  return t / MS_PER_DAY;
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export const isoDay = (day: number): string => new Date(Math.floor(day) * MS_PER_DAY).toISOString().slice(0, 10);

/** Month index year · 12 + month − 1 of a day number. */
export function monthIndex(day: number): number {
  const d = new Date(Math.floor(day) * MS_PER_DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** "YYYY-MM" of a month index. */
export const monthLabel = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;

/** Calendar month 1–12 of a day number. */
export const calendarMonth = (day: number): number => new Date(Math.floor(day) * MS_PER_DAY).getUTCMonth() + 1;

/** Day of the week 0 (Sunday) – 6 of a day number. */
export const weekday = (day: number): number => (((Math.floor(day) + 4) % 7) + 7) % 7;

/** The same date `years` earlier or later (29 February becomes 1 March). */
export function shiftYears(iso: string, years: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** First and last day numbers (inclusive) of the comparison period for a pilot window. */
export function beforeWindow(w: Window, comparison: Comparison): {from: number; to: number} {
  const start = dayNumber(w.start);
  const end = dayNumber(w.end);
  if (end < start) throw new Error(`the pilot window ends (${w.end}) before it starts (${w.start})`);
  if (comparison === "year-earlier") return {from: dayNumber(shiftYears(w.start, -1)), to: dayNumber(shiftYears(w.end, -1))};
  const length = end - start + 1;
  return {from: start - length, to: start - 1};
}

/**
 * Whether a contact (its day number; a fraction is the time of day) falls in the pilot window,
 * the comparison period, or neither (null).
 */
export function periodOf(day: number, w: Window, comparison: Comparison): Period | null {
  const d = Math.floor(day);
  if (d >= dayNumber(w.start) && d <= dayNumber(w.end)) return "during";
  const b = beforeWindow(w, comparison);
  return d >= b.from && d <= b.to ? "before" : null;
}

/** The periods of many contacts at once (the window's days computed once). */
export function periodsOf(days: ArrayLike<number>, w: Window, comparison: Comparison): (Period | null)[] {
  const start = dayNumber(w.start);
  const end = dayNumber(w.end);
  const b = beforeWindow(w, comparison);
  return Array.from(days, (day) => {
    const d = Math.floor(day);
    return d >= start && d <= end ? "during" : d >= b.from && d <= b.to ? "before" : null;
  });
}
