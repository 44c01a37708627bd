/**
 * The outcome test for label bias (Becker's hit-rate test): staff decisions are the labels a model
 * learns, so error rates measured against them cannot show whether the decisions themselves
 * differ between groups beyond need. What happened *after* the decision can: if staff share
 * children of one group at a lower bar of need, that group's shares end in no further action
 * more often, and its contacts not shared come back (a re-contact within the follow-up window)
 * less often. This module counts both per group and compares each group, and a pooled set of
 * groups, with a reference group: a difference of proportions with Newcombe's hybrid score
 * interval (his method 10, built from two Wilson intervals). Pure, shared by Node and the browser.
 *
 * What it cannot show: which bar is right; a bias smaller than its minimum detectable
 * difference; and groups can differ in needs the record does not show, which moves the average
 * after-sharing outcome even at the same bar (infra-marginality). What follows sharing is itself
 * partly decided by staff of children's social care.
 *
 * @example compareOutcomes(outcomeCounts(groups, records, recontacts(records)), {reference: "white", pooled: ["mixed", "black"]})
 */
import {MIN_GROUP, wilson, type RateInterval} from "./intervals.js";

const Z95 = 1.959963984540054;
/** z of 80% power (one-sided), for the minimum detectable difference. */
const Z_POWER80 = 0.8416212335729143;

/** Contacts as aligned columns: whose, when, what staff decided and what followed. */
export interface OutcomeRecords {
  /** the person each contact is about (re-contacts are counted per person) */
  person: ArrayLike<string>;
  /** contact time in days (fractions allowed), any origin */
  day: ArrayLike<number>;
  /** 1 staff shared, 0 staff decided not to share, −1 not decided yet */
  shared: ArrayLike<number>;
  /** shared contacts: 1 ended in no further action, 0 another outcome, −1 not known yet; ignored when not shared */
  noFurtherAction: ArrayLike<number>;
}

/** One group's counts: the after-sharing outcome and the re-contact after no sharing. */
export interface OutcomeCounts {
  group: string;
  contacts: number;
  /** shared with a known outcome, and of them ended in no further action */
  shared: number;
  noFurtherAction: number;
  /** shared whose outcome was not known yet (left out) */
  sharedUnknown: number;
  /** not shared with the full follow-up inside the data, and of them contacted again within it */
  notShared: number;
  recontacted: number;
  /** not shared too close to the data's end for the full follow-up (left out, never counted as not re-contacted) */
  notSharedCensored: number;
}

/**
 * Per contact: 1 when the same person has a later contact within `followUpDays` (strictly later,
 * at most `followUpDays` after), 0 when not, −1 when the contact is less than `followUpDays` before
 * `end` (the data's last contact by default): its follow-up is not complete, so it is left out
 * rather than counted as no re-contact.
 *
 * @example recontacts({person: ["a", "a", "b"], day: [0, 100, 0]}, {followUpDays: 365, end: 400}) // Int8Array [1, -1, 0]
 */
export function recontacts(
  r: Pick<OutcomeRecords, "person" | "day">,
  {followUpDays = 365, end}: {followUpDays?: number; end?: number} = {},
): Int8Array {
  const n = r.day.length;
  let last = -Infinity;
  for (let i = 0; i < n; i++) if (r.day[i] > last) last = r.day[i];
  const until = end ?? last;
  // Contacts by person, then day: persons numbered first, so the sort compares numbers, not text.
  const ids = new Map<string, number>();
  const personId = Uint32Array.from({length: n}, (_, i) => {
    let id = ids.get(r.person[i]);
    if (id === undefined) ids.set(r.person[i], (id = ids.size));
    return id;
  });
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => personId[a] - personId[b] || r.day[a] - r.day[b]);
  const out = new Int8Array(n);
  // Walk each person's contacts from the latest back, keeping the earliest contact strictly later than the current one.
  for (let k = n - 1; k >= 0;) {
    const person = r.person[order[k]];
    let nextLater = Infinity;
    while (k >= 0 && r.person[order[k]] === person) {
      const day = r.day[order[k]];
      let j = k;
      while (j >= 0 && r.person[order[j]] === person && r.day[order[j]] === day) {
        const i = order[j];
        out[i] = day + followUpDays > until ? -1 : nextLater - day <= followUpDays ? 1 : 0;
        j--;
      }
      nextLater = day;
      k = j;
    }
  }
  return out;
}

/**
 * Counts per group (sorted by name): shared contacts with a known outcome and how many ended in no
 * further action; contacts not shared with a complete follow-up and how many were contacted again.
 *
 * @example outcomeCounts(["a", "b"], records, recontacts(records)) // [{group: "a", shared, noFurtherAction, …}, …]
 */
export function outcomeCounts(groups: ArrayLike<string>, r: OutcomeRecords, recontacted: ArrayLike<number>): OutcomeCounts[] {
  const by = new Map<string, OutcomeCounts>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    let c = by.get(g);
    if (!c) {
      c = {group: g, contacts: 0, shared: 0, noFurtherAction: 0, sharedUnknown: 0, notShared: 0, recontacted: 0, notSharedCensored: 0};
      by.set(g, c);
    }
    c.contacts++;
    if (r.shared[i] === 1) {
      if (r.noFurtherAction[i] < 0) c.sharedUnknown++;
      else {
        c.shared++;
        c.noFurtherAction += r.noFurtherAction[i] === 1 ? 1 : 0;
      }
    } else if (r.shared[i] === 0) {
      if (recontacted[i] < 0) c.notSharedCensored++;
      else {
        c.notShared++;
        c.recontacted += recontacted[i] === 1 ? 1 : 0;
      }
    }
  }
  return [...by.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** A difference of two proportions with its interval. */
export interface Difference {
  value: number;
  lo: number;
  hi: number;
}

/**
 * p₁ − p₀ with Newcombe's hybrid score interval (1998, method 10): from the Wilson intervals
 * [l₁, u₁] and [l₀, u₀], lo = d − √((p₁ − l₁)² + (u₀ − p₀)²), hi = d + √((u₁ − p₁)² + (p₀ − l₀)²).
 * Good coverage at small counts and rates near 0 or 1. NaN when either n is 0.
 *
 * @example newcombeDifference(56, 70, 48, 80) // {value: 0.2, lo: 0.0524, hi: 0.3339} (Newcombe 1998, Table II)
 */
export function newcombeDifference(k1: number, n1: number, k0: number, n0: number, z = Z95): Difference {
  if (!(n1 > 0 && n0 > 0)) return {value: NaN, lo: NaN, hi: NaN};
  const a = wilson(k1, n1, z);
  const b = wilson(k0, n0, z);
  const d = a.rate - b.rate;
  return {
    value: d,
    lo: d - Math.sqrt((a.rate - a.lo) ** 2 + (b.hi - b.rate) ** 2),
    hi: d + Math.sqrt((a.hi - a.rate) ** 2 + (b.rate - b.lo) ** 2),
  };
}

/**
 * The smallest true difference the comparison would find 8 times in 10 (two-sided 5%, 80% power,
 * the pooled rate's variance): below it, "no clear difference" is not "no difference".
 *
 * @example minimumDetectable(0.22, 3000, 32000) // 0.022
 */
export function minimumDetectable(rate: number, n1: number, n0: number, z = Z95): number {
  if (!(n1 > 0 && n0 > 0)) return NaN;
  return (z + Z_POWER80) * Math.sqrt(rate * (1 - rate) * (1 / n1 + 1 / n0));
}

/** What one comparison reads, in the direction of the bar of need (see {@link compareOutcomes}). */
export type Reading = "lower bar" | "higher bar" | "no clear difference" | "too few to tell";

/** One outcome of one group (or pooled groups) against the reference. */
export interface OutcomeComparison {
  group: RateInterval;
  reference: RateInterval;
  difference: Difference;
  /** minimum detectable difference at 80% power (see {@link minimumDetectable}) */
  detectable: number;
  reading: Reading;
}

export interface GroupComparison {
  /** the group, or the pooled groups joined by " + " */
  group: string;
  members: string[];
  contacts: number;
  /** rate of no further action among shared contacts: higher = a lower bar */
  noFurtherAction: OutcomeComparison;
  /** rate of re-contact among contacts not shared: lower = a lower bar */
  recontact: OutcomeComparison;
}

function compare(
  k1: number,
  n1: number,
  k0: number,
  n0: number,
  z: number,
  minN: number,
  lowerBarIf: "higher" | "lower",
): OutcomeComparison {
  const difference = newcombeDifference(k1, n1, k0, n0, z);
  const pooledRate = n1 + n0 > 0 ? (k1 + k0) / (n1 + n0) : NaN;
  const tooFew = n1 < minN || n0 < minN;
  const above = difference.lo > 0;
  const below = difference.hi < 0;
  const reading: Reading = tooFew
    ? "too few to tell"
    : above || below
      ? (above ? "higher" : "lower") === lowerBarIf
        ? "lower bar"
        : "higher bar"
      : "no clear difference";
  return {group: wilson(k1, n1, z), reference: wilson(k0, n0, z), difference, detectable: minimumDetectable(pooledRate, n1, n0), reading};
}

/**
 * Each group (and the `pooled` groups together, if given) against the reference (default: the
 * group with most contacts): no further action after sharing (a higher rate reads "lower bar")
 * and re-contact after no sharing (a lower rate reads "lower bar"), each difference with its
 * interval at multiplier `z` (95% by default; pass a Bonferroni z to read many together).
 * Below `minN` contacts on either side a comparison reads "too few to tell".
 *
 * @example compareOutcomes(counts, {reference: "white", pooled: ["mixed", "black"]}).pooled?.noFurtherAction.reading // "lower bar"
 */
export function compareOutcomes(
  counts: OutcomeCounts[],
  {reference, pooled = [], z = Z95, minN = MIN_GROUP}: {reference?: string; pooled?: string[]; z?: number; minN?: number} = {},
): {reference: string; groups: GroupComparison[]; pooled: GroupComparison | null} {
  if (!counts.length) throw new Error("outcome test: no groups to compare");
  const ref = counts.find((c) => c.group === reference) ?? [...counts].sort((a, b) => b.contacts - a.contacts)[0];
  const against = (c: OutcomeCounts, members: string[]): GroupComparison => ({
    group: c.group,
    members,
    contacts: c.contacts,
    noFurtherAction: compare(c.noFurtherAction, c.shared, ref.noFurtherAction, ref.shared, z, minN, "higher"),
    recontact: compare(c.recontacted, c.notShared, ref.recontacted, ref.notShared, z, minN, "lower"),
  });
  const members = pooled.filter((g) => g !== ref.group && counts.some((c) => c.group === g));
  const sum = (key: keyof Omit<OutcomeCounts, "group">) => counts.filter((c) => members.includes(c.group)).reduce((a, c) => a + c[key], 0);
  const pooledCounts: OutcomeCounts = {
    group: members.join(" + "),
    contacts: sum("contacts"),
    shared: sum("shared"),
    noFurtherAction: sum("noFurtherAction"),
    sharedUnknown: sum("sharedUnknown"),
    notShared: sum("notShared"),
    recontacted: sum("recontacted"),
    notSharedCensored: sum("notSharedCensored"),
  };
  return {
    reference: ref.group,
    groups: counts.filter((c) => c !== ref).map((c) => against(c, [c.group])),
    pooled: members.length ? against(pooledCounts, members) : null,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const points = (x: number) => `${x < 0 ? "−" : "+"}${Math.abs(100 * x).toFixed(1)}`;
const range = (d: Difference) => `${points(d.lo)} to ${points(d.hi)}`;

/**
 * A difference of proportions in percentage points with its interval.
 *
 * @example formatDifference({value: 0.004, lo: -0.01, hi: 0.019}) // "+0.4 (−1.0 to +1.9)"
 */
export function formatDifference(d: Difference): string {
  return Number.isFinite(d.value) ? `${points(d.value)} (${range(d)})` : "—";
}

/**
 * The label-bias check in words for a MASH manager, every number bound to the comparison: what
 * followed sharing for the compared children against the reference group's, what it suggests, and
 * — when it finds nothing — the smallest difference it would have found 8 times in 10.
 *
 * @example labelBiasAnswer(compareOutcomes(counts, {pooled: ["mixed", "black"]}).pooled, {reference: "white"}) // "Staff decisions themselves: shares about mixed and black children …"
 */
export function labelBiasAnswer(
  c: GroupComparison | null,
  {reference, followUpDays = 365}: {reference: string; followUpDays?: number},
): string {
  if (!c) return "Choose groups to compare with the reference group below.";
  const who = `${c.members.join(" and ")} children`;
  const nfa = c.noFurtherAction;
  const counts = `${pct(nfa.group.rate)} of ${nfa.group.n.toLocaleString("en-GB")} against ${pct(nfa.reference.rate)} of ${nfa.reference.n.toLocaleString("en-GB")} for ${reference} children`;
  const diff = `difference ${points(nfa.difference.value)} points, 95% interval ${range(nfa.difference)}`;
  const first =
    nfa.reading === "too few to tell"
      ? `Too few shares about ${who} to tell (n = ${nfa.group.n}).`
      : nfa.reading === "lower bar"
        ? `Staff decisions themselves: shares about ${who} ended in no further action more often (${counts}; ${diff}). That suggests staff share these children at a lower bar of need — and a model trained on those decisions learns it.`
        : nfa.reading === "higher bar"
          ? `Staff decisions themselves: shares about ${who} ended in no further action less often (${counts}; ${diff}). That suggests staff share these children only at a higher bar of need — and a model trained on those decisions learns it.`
          : `Staff decisions themselves: shares about ${who} ended in no further action about as often (${counts}; ${diff}): no clear sign of a different bar. That does not rule one out: a true difference of ${(100 * nfa.detectable).toFixed(1)} points would be found only 8 times in 10, a smaller one less often.`;
  const rc = c.recontact;
  if (rc.reading === "too few to tell" || !(rc.group.n > 0)) return first;
  const says =
    rc.reading === "lower bar"
      ? "fewer came back, which also points to a lower bar"
      : rc.reading === "higher bar"
        ? "more came back, which points to a higher bar"
        : "no clear difference";
  return `${first} Of their contacts staff did not share, ${pct(rc.group.rate)} (of ${rc.group.n.toLocaleString("en-GB")}) were followed by another within ${followUpDays} days, against ${pct(rc.reference.rate)} for ${reference} children (${points(rc.difference.value)} points, ${range(rc.difference)}): ${says}.`;
}
