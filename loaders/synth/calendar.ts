/**
 * The calendar of the synthetic extract: one entry per day with its weekday,
 * month, school-holiday flag and trend, and each referral source's expected
 * share of that day's contacts. Pure: depends only on the window.
 */
import {REFERRAL_SOURCES, monthFactor, schoolHolidayFactor, sourceShare, volume, weekdayFactor, type ReferralSource} from "./params.ts";

export interface Day {
  index: number;
  /** "YYYY-MM-DD" */
  date: string;
  year: number;
  /** 1..12 */
  month: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  schoolHoliday: boolean;
}

const MS_DAY = 86_400_000;

/** Parses "YYYY-MM-DD" (or "YYYY-MM") to a UTC day number; throws a clear error otherwise. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!m) throw new Error(`expected a date as YYYY-MM-DD, got "${text}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? "1")];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new Error(`no such date: "${text}"`);
  return t / MS_DAY;
}

export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * MS_DAY).toISOString().slice(0, 10);
}

/** Easter Sunday (Gregorian, anonymous algorithm) as month (1-based) and day. */
function easter(y: number): [number, number] {
  const a = y % 19,
    b = Math.floor(y / 100),
    c = y % 100,
    d = Math.floor(b / 4),
    e = b % 4;
  const f = Math.floor((b + 8) / 25),
    g = Math.floor((b - f + 1) / 3),
    h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4),
    k = c % 4,
    l = (32 + 2 * e + 2 * i - h - k) % 7,
    m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

/**
 * Approximate English school holidays [A]: Christmas (20 Dec–3 Jan), February
 * half-term (13–21 Feb), Easter (a week either side of Easter Sunday), May half-term
 * (25–31 May), summer (21 Jul–3 Sep) and October half-term (22–30 Oct).
 */
export function isSchoolHoliday(dayNumber: number): boolean {
  const dt = new Date(dayNumber * MS_DAY);
  const y = dt.getUTCFullYear(),
    m = dt.getUTCMonth() + 1,
    d = dt.getUTCDate();
  const md = m * 100 + d;
  if (md >= 1220 || md <= 103) return true;
  if (md >= 213 && md <= 221) return true;
  if (md >= 525 && md <= 531) return true;
  if (md >= 721 && md <= 903) return true;
  if (md >= 1022 && md <= 1030) return true;
  const [em, ed] = easter(y);
  const easterDay = Date.UTC(y, em - 1, ed) / MS_DAY;
  return Math.abs(dayNumber - easterDay) <= 7;
}

/** Which weekday profile a source follows. */
export function weekdayProfile(source: ReferralSource): keyof typeof weekdayFactor {
  if (source === "police") return "police";
  if (source === "school" || source === "education_services") return "school";
  if (source === "individual" || source === "anonymous" || source === "unknown") return "public";
  return "weekday_services";
}

/** Days from `start` for `months` calendar months. */
export function makeDays(start: string, months: number): Day[] {
  if (!Number.isInteger(months) || months < 1) throw new Error(`--months must be a whole number ≥ 1, got ${months}`);
  const first = parseDay(start);
  const s = new Date(first * MS_DAY);
  const end = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + months, s.getUTCDate()) / MS_DAY;
  const days: Day[] = [];
  for (let n = first; n < end; n++) {
    const dt = new Date(n * MS_DAY);
    days.push({
      index: n - first,
      date: formatDay(n),
      year: dt.getUTCFullYear(),
      month: dt.getUTCMonth() + 1,
      weekday: (dt.getUTCDay() + 6) % 7,
      schoolHoliday: isSchoolHoliday(n),
    });
  }
  return days;
}

/**
 * Expected contacts of each source on each day, normalised so that over the whole
 * window each source's share equals its target share: the calendar shapes *when*
 * contacts arrive, never the overall mix. Returns a days × sources matrix whose
 * total is 1.
 */
export function sourceIntensity(days: Day[]): Float64Array[] {
  const raw = days.map((day) =>
    Float64Array.from(REFERRAL_SOURCES, (src) => {
      let f = monthFactor[day.month - 1] * weekdayFactor[weekdayProfile(src)][day.weekday];
      f *= Math.pow(1 + volume.annualGrowth, day.index / 365.25);
      if ((src === "school" || src === "education_services") && day.schoolHoliday) f *= schoolHolidayFactor;
      return f;
    }),
  );
  const totals = REFERRAL_SOURCES.map((_, s) => raw.reduce((acc, r) => acc + r[s], 0));
  return raw.map((r) => Float64Array.from(r, (v, s) => (v / totals[s]) * sourceShare[REFERRAL_SOURCES[s]]));
}
