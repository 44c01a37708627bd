/**
 * The page's pre-registered claims read together: Holm's step-down correction (it controls the
 * chance of any false claim among them at `alpha`, like Bonferroni, and is never less powerful).
 * Sort the p-values, compare the j-th smallest with alpha / (m − j + 1), stop at the first that
 * fails: the ones before it are claimed. Claims without a p-value (too few to tell) count in m but
 * are never claimed. Pure, shared by Node and the browser.
 *
 * @example
 *   holm([{name: "decision time", p: 0.001}, {name: "consistency", p: 0.03}, {name: "safety", p: 0.4}])
 *   // decision time claimed (0.001 ≤ 0.05/3), consistency not (0.03 > 0.05/2), safety not
 */

export interface Claim {
  name: string;
  /** two-sided p-value; null when the estimate was "too few to tell" */
  p: number | null;
}

export interface ClaimVerdict extends Claim {
  /** Holm-adjusted p-value (monotone; 1 at most); null without a p-value */
  adjusted: number | null;
  claimed: boolean;
}

export const HOLM_METHOD =
  "Holm's step-down correction over the pre-registered claims: each is claimed only when it holds at the 5% level for the family as a whole.";

/** Which claims hold at family-wise level `alpha` (Holm), in the order given. */
export function holm(claims: Claim[], alpha = 0.05): {verdicts: ClaimVerdict[]; method: string} {
  const m = claims.length;
  const order = claims
    .map((c, i) => ({i, p: c.p !== null && Number.isFinite(c.p) ? c.p : Infinity}))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number | null>(m).fill(null);
  const claimed = new Array<boolean>(m).fill(false);
  let running = 0;
  let stopped = false;
  order.forEach(({i, p}, j) => {
    if (p === Infinity) return;
    running = Math.max(running, Math.min(1, (m - j) * p));
    adjusted[i] = running;
    if (!stopped && p <= alpha / (m - j)) claimed[i] = true;
    else stopped = true;
  });
  return {verdicts: claims.map((c, i) => ({...c, adjusted: adjusted[i], claimed: claimed[i]})), method: HOLM_METHOD};
}
