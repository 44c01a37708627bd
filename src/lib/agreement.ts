/**
 * Agreement between decisions on near-identical contacts: contacts are grouped by
 * a key of case features (contacts with the same key look the same on paper), and
 * every pair of contacts in a group is a comparison. The agreement rate is the
 * share of pairs decided by DIFFERENT screeners that got the same decision; the
 * same rate for pairs decided by the SAME screener is the yardstick (how much
 * near-identical contacts differ anyway: the key does not hold everything a
 * screener reads). Pairs within a group are not independent, so the interval
 * comes from a bootstrap over groups, not from a binomial formula.
 *
 * Counting is exact and needs only counts per group and screener: with A shared
 * and B not shared in a group, C(A,2) + C(B,2) pairs agree; the same sums within
 * each screener give the same-screener pairs, and the rest are cross-screener.
 *
 * @example
 *   pairCounts([{shared: 2, notShared: 1}, {shared: 1, notShared: 0}])
 *   // {pairs: 6, same: 3, withinPairs: 3, withinSame: 1, crossPairs: 3, crossSame: 2}
 */
import {seeded} from "./metrics.js";

/** One screener's decisions within one key group. */
export interface ScreenerCell {
  shared: number;
  notShared: number;
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

/** Pair counts of one key group, given each screener's shared / not-shared counts there. */
export function pairCounts(cells: ScreenerCell[]): PairCounts {
  let a = 0,
    b = 0,
    n = 0,
    withinPairs = 0,
    withinSame = 0;
  for (const c of cells) {
    a += c.shared;
    b += c.notShared;
    withinPairs += choose2(c.shared + c.notShared);
    withinSame += choose2(c.shared) + choose2(c.notShared);
  }
  n = a + b;
  const pairs = choose2(n),
    same = choose2(a) + choose2(b);
  return {pairs, same, withinPairs, withinSame, crossPairs: pairs - withinPairs, crossSame: same - withinSame};
}

export interface AgreementEstimate {
  /** share of cross-screener pairs with the same decision */
  rate: number;
  lo: number;
  hi: number;
  /** cross-screener pairs */
  pairs: number;
  /** key groups with at least one cross-screener pair */
  groups: number;
  /** contacts in those groups */
  contacts: number;
  /** the same-screener agreement rate, its interval and pairs (the yardstick) */
  within: {rate: number; lo: number; hi: number; pairs: number};
  /** cross − same-screener agreement, with a bootstrap 95% interval from the same resamples (below 0: screeners differ) */
  difference: {value: number; lo: number; hi: number};
  /** agreement expected if decisions were independent of the case at the pooled share rate: p² + (1 − p)² */
  chance: number;
  replicates: number;
}

/**
 * Agreement over key groups (each a list of screener cells), with percentile
 * bootstrap 95% intervals from resampling groups (seeded).
 */
export function agreement(groups: ScreenerCell[][], {replicates = 1000, seed = 20190331} = {}): AgreementEstimate {
  // Groups of a single contact hold no pair: they say nothing about agreement.
  const all = groups.map(pairCounts);
  const keep = all.map((c) => c.crossPairs > 0 || c.withinPairs > 0);
  const counts = all.filter((_, i) => keep[i]);
  const used = groups.filter((_, i) => keep[i]);
  const G = counts.length;
  const sum = (f: (c: PairCounts) => number, idx?: Int32Array) => {
    let s = 0;
    if (idx) for (let k = 0; k < idx.length; k++) s += f(counts[idx[k]]);
    else for (const c of counts) s += f(c);
    return s;
  };
  const cross = sum((c) => c.crossSame) / sum((c) => c.crossPairs);
  const within = sum((c) => c.withinSame) / sum((c) => c.withinPairs);
  const rand = seeded(seed);
  const crossReps: number[] = [],
    withinReps: number[] = [],
    diffReps: number[] = [];
  const idx = new Int32Array(G);
  for (let r = 0; r < replicates && G > 0; r++) {
    for (let k = 0; k < G; k++) idx[k] = Math.floor(rand() * G);
    const cp = sum((c) => c.crossPairs, idx),
      wp = sum((c) => c.withinPairs, idx);
    if (cp > 0) crossReps.push(sum((c) => c.crossSame, idx) / cp);
    if (wp > 0) withinReps.push(sum((c) => c.withinSame, idx) / wp);
    if (cp > 0 && wp > 0) diffReps.push(crossReps[crossReps.length - 1] - withinReps[withinReps.length - 1]);
  }
  const pct = (xs: number[], f: number) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((x, y) => x - y);
    const h = (s.length - 1) * f,
      lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(s.length - 1, lo + 1)] ?? s[lo]) - s[lo]);
  };
  let shared = 0,
    total = 0;
  for (const g of used)
    for (const c of g) {
      shared += c.shared;
      total += c.shared + c.notShared;
    }
  const p = total ? shared / total : NaN;
  return {
    rate: cross,
    lo: pct(crossReps, 0.025),
    hi: pct(crossReps, 0.975),
    pairs: sum((c) => c.crossPairs),
    groups: counts.filter((c) => c.crossPairs > 0).length,
    contacts: total,
    within: {rate: within, lo: pct(withinReps, 0.025), hi: pct(withinReps, 0.975), pairs: sum((c) => c.withinPairs)},
    difference: {value: cross - within, lo: pct(diffReps, 0.025), hi: pct(diffReps, 0.975)},
    chance: p * p + (1 - p) * (1 - p),
    replicates,
  };
}
