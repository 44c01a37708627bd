/**
 * Agreement between decisions on near-identical records: records are grouped by
 * a key of case features (records with the same key look the same on paper), and
 * every pair of records in a group is a comparison. The agreement rate is the
 * share of pairs decided by DIFFERENT staff members (screeners, in a MASH) that got
 * the same decision; the same rate for pairs decided by the SAME staff member is
 * the yardstick (how much near-identical records differ anyway: the key does not
 * hold everything a staff member reads). Pairs within a group are not independent,
 * so the interval comes from a bootstrap over groups, not from a binomial formula.
 *
 * Counting is exact and needs only counts per group and staff member: with A
 * positive and B negative decisions in a group, C(A,2) + C(B,2) pairs agree; the
 * same sums within each staff member give the same-staff pairs, and the rest are
 * cross-staff.
 *
 * @example
 *   pairCounts([{positive: 2, negative: 1}, {positive: 1, negative: 0}])
 *   // {pairs: 6, same: 3, withinPairs: 3, withinSame: 1, crossPairs: 3, crossSame: 2}
 */
import {seeded} from "./metrics.js";

/** One staff member's decisions within one key group: how many were the target's positive decision, how many not. */
export interface StaffCell {
  positive: number;
  negative: number;
}

export interface PairCounts {
  pairs: number;
  same: number;
  withinPairs: number;
  withinSame: number;
  crossPairs: number;
  crossSame: number;
}

const choose2 = (k: number) => (k * (k - 1)) / 2;

/** Pair counts of one key group, given each staff member's positive / negative counts there. */
export function pairCounts(cells: StaffCell[]): PairCounts {
  let a = 0,
    b = 0,
    n = 0,
    withinPairs = 0,
    withinSame = 0;
  for (const c of cells) {
    a += c.positive;
    b += c.negative;
    withinPairs += choose2(c.positive + c.negative);
    withinSame += choose2(c.positive) + choose2(c.negative);
  }
  n = a + b;
  const pairs = choose2(n),
    same = choose2(a) + choose2(b);
  return {pairs, same, withinPairs, withinSame, crossPairs: pairs - withinPairs, crossSame: same - withinSame};
}

export interface AgreementEstimate {
  /** share of cross-staff pairs with the same decision */
  rate: number;
  lo: number;
  hi: number;
  /** cross-staff pairs */
  pairs: number;
  /** key groups with at least one cross-staff pair */
  groups: number;
  /** records in those groups */
  records: number;
  /** the same-staff agreement rate, its interval and pairs (the yardstick) */
  within: {rate: number; lo: number; hi: number; pairs: number};
  /** cross − same-staff agreement, with a bootstrap 95% interval from the same resamples (below 0: staff members differ) */
  difference: {value: number; lo: number; hi: number};
  /** agreement expected if decisions were independent of the case at the pooled positive rate: p² + (1 − p)² */
  chance: number;
  replicates: number;
}

/**
 * Agreement over key groups (each a list of staff cells), with percentile
 * bootstrap 95% intervals from resampling groups (seeded).
 */
export function agreement(groups: StaffCell[][], {replicates = 1000, seed = 20190331} = {}): AgreementEstimate {
  // Groups of a single record hold no pair: they say nothing about agreement.
  const all = groups.map(pairCounts);
  const keep = all.map((c) => c.crossPairs > 0 || c.withinPairs > 0);
  const counts = all.filter((_, i) => keep[i]);
  const used = groups.filter((_, i) => keep[i]);
  const G = counts.length;
  const sum = (f: (c: PairCounts) => number) => {
    let s = 0;
    for (const c of counts) s += f(c);
    return s;
  };
  const cross = sum((c) => c.crossSame) / sum((c) => c.crossPairs);
  const within = sum((c) => c.withinSame) / sum((c) => c.withinPairs);
  const rand = seeded(seed);
  const crossReps: number[] = [],
    withinReps: number[] = [],
    diffReps: number[] = [];
  // Each group's counts as arrays, summed over a resample in one pass (the same sums, in the same order).
  const [crossPairs, crossSame, withinPairs, withinSame] = (["crossPairs", "crossSame", "withinPairs", "withinSame"] as const).map((k) =>
    Float64Array.from(counts, (c) => c[k]),
  );
  for (let r = 0; r < replicates && G > 0; r++) {
    let cp = 0,
      cs = 0,
      wp = 0,
      ws = 0;
    for (let k = 0; k < G; k++) {
      const g = Math.floor(rand() * G);
      cp += crossPairs[g];
      cs += crossSame[g];
      wp += withinPairs[g];
      ws += withinSame[g];
    }
    if (cp > 0) crossReps.push(cs / cp);
    if (wp > 0) withinReps.push(ws / wp);
    if (cp > 0 && wp > 0) diffReps.push(crossReps[crossReps.length - 1] - withinReps[withinReps.length - 1]);
  }
  const pct = (xs: number[], f: number) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((x, y) => x - y);
    const h = (s.length - 1) * f,
      lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(s.length - 1, lo + 1)] ?? s[lo]) - s[lo]);
  };
  let positive = 0,
    total = 0;
  for (const g of used)
    for (const c of g) {
      positive += c.positive;
      total += c.positive + c.negative;
    }
  const p = total ? positive / total : NaN;
  return {
    rate: cross,
    lo: pct(crossReps, 0.025),
    hi: pct(crossReps, 0.975),
    pairs: sum((c) => c.crossPairs),
    groups: counts.filter((c) => c.crossPairs > 0).length,
    records: total,
    within: {rate: within, lo: pct(withinReps, 0.025), hi: pct(withinReps, 0.975), pairs: sum((c) => c.withinPairs)},
    difference: {value: cross - within, lo: pct(diffReps, 0.025), hi: pct(diffReps, 0.975)},
    chance: p * p + (1 - p) * (1 - p),
    replicates,
  };
}
