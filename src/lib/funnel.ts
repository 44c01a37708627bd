/**
 * Funnel plots for case-mix adjusted decision rates (Spiegelhalter 2005, "Funnel
 * plots for comparing institutional performance", Stat Med 24:1185), shared by
 * Node (the Consistency loader) and the browser (the funnel chart).
 *
 * A unit (a staff member, a team) made n decisions, O of them positive (the
 * target's positive decision, e.g. "share information" in a MASH). Its expected
 * count E = Σ p_i sums a case-mix model's probabilities over its own records,
 * and under the null hypothesis "this unit decides like everyone else, given
 * its case mix" O has mean E and variance V = Σ p_i(1 − p_i) (a sum of
 * independent Bernoullis). The indicator is the ratio O/E (1 = as expected); its
 * control limits are the normal approximation 1 ± z·√V / E, with z = 1.96 (95%)
 * and 3.09 (99.8%). The funnel drawn against n uses the pooled mean p̄ and mean
 * p(1 − p) v̄ of all records: 1 ± z·√(n·v̄) / (n·p̄).
 *
 * @example
 *   const u = funnelUnit({unit: "T1", n: 1000, observed: 330, expected: 300, variance: 210});
 *   // u.ratio = 1.1, u.z = 2.07, u.outside95 = true, u.outside998 = false
 */

/** Two-sided 95% and 99.8% standard normal quantiles. */
export const Z95 = 1.959963984540054;
export const Z998 = 3.090232306167813;

export interface UnitCounts {
  unit: string;
  /** decisions made */
  n: number;
  /** positive decisions */
  observed: number;
  /** Σ p_i over the unit's records */
  expected: number;
  /** Σ p_i (1 − p_i) over the unit's records */
  variance: number;
}

export interface FunnelUnit extends UnitCounts {
  ratio: number;
  z: number;
  lo95: number;
  hi95: number;
  lo998: number;
  hi998: number;
  outside95: boolean;
  outside998: boolean;
  /** "high" (more positive decisions than expected) or "low" outside the 99.8% limits, else null */
  flag: "high" | "low" | null;
}

/** Control limits of O/E for a unit with expected count E and null variance V. */
export function ratioLimits(expected: number, variance: number, z: number): [number, number] {
  if (!(expected > 0)) return [NaN, NaN];
  const half = (z * Math.sqrt(variance)) / expected;
  return [Math.max(0, 1 - half), 1 + half];
}

/** O/E, its z-score (O − E)/√V and where it falls against the 95% and 99.8% limits. */
export function funnelUnit(u: UnitCounts): FunnelUnit {
  const ratio = u.expected > 0 ? u.observed / u.expected : NaN;
  const z = u.variance > 0 ? (u.observed - u.expected) / Math.sqrt(u.variance) : NaN;
  const [lo95, hi95] = ratioLimits(u.expected, u.variance, Z95);
  const [lo998, hi998] = ratioLimits(u.expected, u.variance, Z998);
  const outside998 = Math.abs(z) > Z998;
  return {
    ...u,
    ratio,
    z,
    lo95,
    hi95,
    lo998,
    hi998,
    outside95: Math.abs(z) > Z95,
    outside998,
    flag: outside998 ? (z > 0 ? "high" : "low") : null,
  };
}

/** Sums n, O, E and V from per-record decisions (0/1) and probabilities, by unit. */
export function unitCounts(units: ArrayLike<string>, y: ArrayLike<number>, p: ArrayLike<number>): UnitCounts[] {
  const by = new Map<string, UnitCounts>();
  for (let i = 0; i < units.length; i++) {
    let u = by.get(units[i]);
    if (!u) by.set(units[i], (u = {unit: units[i], n: 0, observed: 0, expected: 0, variance: 0}));
    u.n++;
    u.observed += y[i];
    u.expected += p[i];
    u.variance += p[i] * (1 - p[i]);
  }
  return [...by.values()].sort((a, b) => a.unit.localeCompare(b.unit));
}

export interface FunnelPoint {
  n: number;
  lo95: number;
  hi95: number;
  lo998: number;
  hi998: number;
}

/**
 * The funnel's limit lines for n from `from` to `to` (log-spaced `steps` points),
 * given the pooled mean probability p̄ and mean p(1 − p) v̄ of all records.
 */
export function funnelCurve(pBar: number, vBar: number, from: number, to: number, steps = 60): FunnelPoint[] {
  const out: FunnelPoint[] = [];
  const a = Math.log(Math.max(1, from)),
    b = Math.log(Math.max(from + 1, to));
  for (let k = 0; k < steps; k++) {
    const n = Math.exp(a + ((b - a) * k) / (steps - 1));
    const [lo95, hi95] = ratioLimits(n * pBar, n * vBar, Z95);
    const [lo998, hi998] = ratioLimits(n * pBar, n * vBar, Z998);
    out.push({n, lo95, hi95, lo998, hi998});
  }
  return out;
}

export interface Overdispersion {
  /** φ̂: mean squared winsorised z-score (1 = no over-dispersion) */
  phi: number;
  /** τ̂ of the additive random-effects model on the O/E scale (0 when φ̂·I ≤ I − 1) */
  tau: number;
  /** units used */
  units: number;
  /** share of z-scores winsorised at each end */
  winsor: number;
}

/**
 * Over-dispersion of the z-scores (Spiegelhalter 2005, "Handling over-dispersion
 * of performance indicators", Qual Saf Health Care 14:347): z-scores winsorised
 * at the `winsor` and 1 − `winsor` quantiles (so a few true outliers do not
 * inflate it), φ̂ = Σ z²/I, and the additive τ̂² = (I·φ̂ − (I − 1)) /
 * (Σ w − Σ w²/Σ w) with w = 1/s², s = √V/E. Reported beside the limits, which
 * stay unadjusted: a τ̂ near 0 says the standard limits are fair.
 */
export function overdispersion(units: FunnelUnit[], winsor = 0.1): Overdispersion {
  const ok = units.filter((u) => Number.isFinite(u.z) && u.expected > 0);
  const I = ok.length;
  if (I < 3) return {phi: NaN, tau: NaN, units: I, winsor};
  const zs = ok.map((u) => u.z).sort((a, b) => a - b);
  const q = (f: number) => {
    const h = (I - 1) * f,
      lo = Math.floor(h);
    return zs[lo] + (h - lo) * ((zs[Math.min(I - 1, lo + 1)] ?? zs[lo]) - zs[lo]);
  };
  const zLo = q(winsor),
    zHi = q(1 - winsor);
  const phi = ok.reduce((a, u) => a + Math.min(zHi, Math.max(zLo, u.z)) ** 2, 0) / I;
  const w = ok.map((u) => (u.expected * u.expected) / u.variance);
  const sw = w.reduce((a, b) => a + b, 0),
    sw2 = w.reduce((a, b) => a + b * b, 0);
  const tau2 = Math.max(0, (I * phi - (I - 1)) / (sw - sw2 / sw));
  return {phi, tau: Math.sqrt(tau2), units: I, winsor};
}

/**
 * Probability that a standard normal falls outside ±z: the share of units a
 * funnel flags by chance alone when every unit is "as expected"
 * (0.05 at the 95% limits, 0.002 at 99.8%).
 */
export function chanceOutside(z: number): number {
  return 2 * (1 - normalCdf(z));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Recalibration in the large: the shift δ of the log-odds such that
 * Σ sigmoid(logit(p_i) + δ) equals `target` (Newton's method). Used per month so
 * that expected counts absorb changes over time that touch every staff member alike
 * (a policy change, drift of the model since training) and a staff member is
 * compared with colleagues deciding in the same months.
 */
export function shiftToTotal(p: ArrayLike<number>, target: number, {iterations = 50, tolerance = 1e-9} = {}): number {
  const n = p.length;
  if (n === 0) return 0;
  if (target <= 0 || target >= n) throw new Error(`shiftToTotal: the target total must lie strictly between 0 and ${n}, got ${target}`);
  const eps = 1e-7;
  const logits = Float64Array.from({length: n}, (_, i) => {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    return Math.log(q / (1 - q));
  });
  let delta = 0;
  for (let it = 0; it < iterations; it++) {
    let sum = 0,
      slope = 0;
    for (let i = 0; i < n; i++) {
      const q = 1 / (1 + Math.exp(-(logits[i] + delta)));
      sum += q;
      slope += q * (1 - q);
    }
    const step = (target - sum) / slope;
    delta += step;
    if (Math.abs(step) < tolerance) break;
  }
  return delta;
}

/** p shifted by δ on the log-odds scale. */
export function shiftProbability(p: number, delta: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return 1 / (1 + Math.exp(-(Math.log(q / (1 - q)) + delta)));
}
