/**
 * Formatting for the Consistency page: funnel units as table rows, the flag
 * summary sentence, agreement and before/after rows. The words for units,
 * records and the positive decision come from the dictionary's labels (the page
 * passes them); the defaults are a MASH's. Pure, so it is tested in Node and runs
 * unchanged in the page.
 *
 * @example flagSummary(staff, plural("Screener"))
 *   // "4 of 36 screeners fall outside the 99.8% limits (2 above expected, 2 below); by chance alone 0.07 would. …"
 */
import type {FunnelUnit} from "./funnel.js";
import type {AgreementEstimate} from "./agreement.js";

export interface FunnelSummary {
  units: (FunnelUnit & {tooFew: boolean})[];
  flagged: {high: number; low: number; of: number; tooFew: number};
  outside95: number;
  expectedByChance: {outside998: number; outside95: number};
  overdispersion: {phi: number; tau: number; units: number; winsor: number};
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const int = (x: number) => Math.round(x).toLocaleString("en-GB");

/**
 * A label as a lower-case plural noun for sentences: "Screener" → "screeners",
 * "Team" → "teams", "Case worker" → "case workers", "Agency" → "agencies".
 */
export function plural(label: string): string {
  const w = label.trim().toLowerCase();
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(w)) return `${w}es`;
  return `${w}s`;
}

/**
 * One row per unit, most extreme first: n, O, E, O/E with its 99.8% limits, z and what it means.
 * `unit` names the unit column (the staff or team label), `positive` the column of positive decisions.
 */
export function funnelTable(
  units: FunnelSummary["units"],
  {unit = "screener", positive = "shared"}: {unit?: string; positive?: string} = {},
) {
  return [...units]
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .map((u) => ({
      [unit]: u.unit,
      decisions: u.n,
      [positive]: u.observed,
      expected: Number(u.expected.toFixed(1)),
      "O/E": u.ratio.toFixed(3),
      "99.8% limits": `${u.lo998.toFixed(3)}–${u.hi998.toFixed(3)}`,
      z: u.z.toFixed(2),
      reading: u.tooFew
        ? "too few to tell"
        : u.flag === "high"
          ? "above expected"
          : u.flag === "low"
            ? "below expected"
            : u.outside95
              ? "within 99.8%, outside 95%"
              : "as expected",
    }));
}

/** "k of N <units> fall outside the 99.8% limits (h above expected, l below); by chance alone e would." */
export function flagSummary(f: FunnelSummary, noun = "screeners"): string {
  const k = f.flagged.high + f.flagged.low;
  const tooFew = f.flagged.tooFew ? ` ${f.flagged.tooFew} with too few decisions to tell are not judged.` : "";
  return (
    `${k} of ${f.flagged.of} ${noun} fall outside the 99.8% limits (${f.flagged.high} above expected, ${f.flagged.low} below); by chance alone ${f.expectedByChance.outside998.toFixed(2)} would. ` +
    `${f.outside95} fall outside the 95% limits (${f.expectedByChance.outside95.toFixed(1)} by chance).${tooFew}`
  );
}

/** Over-dispersion in words: φ and τ, and whether the standard limits look fair. */
export function dispersionNote(f: FunnelSummary): string {
  const o = f.overdispersion;
  if (!Number.isFinite(o.phi)) return "Too few units to estimate over-dispersion.";
  return (
    `Over-dispersion (z-scores winsorised at ${pct(o.winsor, 0)} each end, ${o.units} units): φ = ${o.phi.toFixed(2)}, τ = ${o.tau.toFixed(3)} on the O/E scale. ` +
    (o.phi <= 1.5
      ? "Near 1: beyond the outliers, units differ about as much as chance predicts, so the standard limits are fair."
      : "Above 1: units differ more than chance predicts; limits widened by τ would flag fewer.")
  );
}

export interface RateWithInterval {
  k: number;
  n: number;
  rate: number;
  lo: number;
  hi: number;
  from?: string;
  until?: string;
  expected: number;
}

/** Before/after rows of one change: rate with interval and n, and the model's expected rate; `records` names the series column. */
export function compareRows(compare: {series: string; before: RateWithInterval; after: RateWithInterval}[], {records = "contacts"} = {}) {
  const cell = (r: RateWithInterval) => (r.n ? `${pct(r.rate)} (${pct(r.lo)}–${pct(r.hi)}), n = ${int(r.n)}` : `no ${records}`);
  return compare.map((c) => ({
    [records]: c.series,
    [`before (${c.before.from} to ${c.before.until})`]: cell(c.before),
    [`from (${c.after.from} to ${c.after.until})`]: cell(c.after),
    "change (points)": c.before.n && c.after.n ? `${(100 * (c.after.rate - c.before.rate)).toFixed(1)}` : "",
    "model expected, before → after": c.before.n && c.after.n ? `${pct(c.before.expected)} → ${pct(c.after.expected)}` : "",
  }));
}

/** One agreement estimate as the loader ships it (the bootstrap's replicate count stays in Node), per period. */
export type AgreementRow = Omit<AgreementEstimate, "replicates"> & {period?: string};

/**
 * Agreement rows: different staff members, the same one, their difference, and chance agreement.
 * `staff` is the staff label in the singular ("screener"), `records` the plural noun of records.
 */
export function agreementRows(rows: AgreementRow[], {staff = "screener", records = "contacts"} = {}) {
  const who = staff.toLowerCase();
  return rows.map((a) => ({
    period: a.period ?? "all",
    [`different ${plural(who)} agree`]: `${pct(a.rate)} (${pct(a.lo)}–${pct(a.hi)})`,
    pairs: int(a.pairs),
    [`same ${who} agrees`]: `${pct(a.within.rate)} (${pct(a.within.lo)}–${pct(a.within.hi)}), ${int(a.within.pairs)} pairs`,
    "difference (points)": `${(100 * a.difference.value).toFixed(1)} (${(100 * a.difference.lo).toFixed(1)} to ${(100 * a.difference.hi).toFixed(1)})`,
    "by chance": pct(a.chance),
    "key groups": int(a.groups),
    [records]: int(a.records),
  }));
}
