/**
 * Confidence intervals for proportions, shared by Node and the browser.
 * Wilson's score interval: good coverage for small n and rates near 0 or 1,
 * where the textbook ±1.96·SE interval fails.
 *
 * @example wilson(12, 40) // {rate: 0.3, lo: 0.18…, hi: 0.45…, n: 40}
 */
export interface RateInterval {
  k: number;
  n: number;
  rate: number;
  lo: number;
  hi: number;
}

export function wilson(k: number, n: number, z = 1.959963984540054): RateInterval {
  if (!(n > 0)) return {k, n, rate: NaN, lo: NaN, hi: NaN};
  if (k < 0 || k > n) throw new Error(`wilson: k must lie in 0..n, got k = ${k}, n = ${n}`);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {k, n, rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half)};
}

/** Below this many contacts a group's rate is shown as "too few to tell". */
export const MIN_GROUP = 30;

/** Adds Wilson intervals to rows holding counts `k` of `n`. */
export function withIntervals<T extends {k: number | bigint; n: number | bigint}>(rows: Iterable<T>): (T & RateInterval)[] {
  return Array.from(rows, (d) => ({...d, ...wilson(Number(d.k), Number(d.n))}));
}

/** The pooled rate of rows with counts, with its interval. */
export function pooled(rows: {k: number; n: number}[]): RateInterval {
  return wilson(
    rows.reduce((a, d) => a + d.k, 0),
    rows.reduce((a, d) => a + d.n, 0),
  );
}

/** "31.2% (29.8–32.6)", or "too few to tell" below `minN`. */
export function formatRate(d: RateInterval, minN = MIN_GROUP): string {
  if (d.n < minN) return "too few to tell";
  const pct = (x: number) => (100 * x).toFixed(1);
  return `${pct(d.rate)}% (${pct(d.lo)}–${pct(d.hi)})`;
}
