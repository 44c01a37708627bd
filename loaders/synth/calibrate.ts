/**
 * Calibration of the synthetic extract: finds the intercepts and cut-points that
 * make the generated marginals land on the targets in params.ts. Deterministic
 * (its own seeded stream), so it never changes the main stream's draws.
 */
import {Rng, logit, sigmoid} from "./random.ts";
import {Engine, type Calibration, type EngineOptions} from "./engine.ts";
import * as P from "./params.ts";

/** Weighted quantile of `values` at probability `q`. */
export function weightedQuantile(values: number[], weights: number[], q: number): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const i of order) {
    acc += weights[i];
    if (acc >= q * total) return values[i];
  }
  return values[order[order.length - 1]];
}

function concernIntercepts(rng: Rng): Record<P.Concern, number> {
  const uSd = Math.hypot(P.recurrence.householdRiskSd, P.recurrence.childRiskSd);
  const n = 40_000;
  const z = Float64Array.from({length: n}, () => rng.normal() + 0.3 * rng.normal(0, uSd));
  const srcCum: number[] = [];
  let acc = 0;
  for (const s of P.REFERRAL_SOURCES) srcCum.push((acc += P.sourceShare[s]));
  const src = Array.from({length: n}, () => P.REFERRAL_SOURCES[rng.pickCumulative(srcCum)]);
  const out = {} as Record<P.Concern, number>;
  for (const k of P.CONCERNS) {
    let a = logit(P.concernPrevalence[k]);
    for (let it = 0; it < 12; it++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += sigmoid(a + P.concernTrioLoading[k] * z[i] + (P.concernSourceShift[src[i]]?.[k] ?? 0));
      mean /= n;
      a += logit(P.concernPrevalence[k]) - logit(mean);
    }
    out[k] = a;
  }
  return out;
}

/** Solves mean(sigmoid(b + offsets)) = target for b by bisection. */
function solveIntercept(offsets: number[], target: number): number {
  let lo = -15,
    hi = 15;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    let m = 0;
    for (const o of offsets) m += sigmoid(mid + o);
    if (m / offsets.length < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Calibrates by two pilot runs of the engine on at most 30,000 contacts over the
 * same window (a separate seed stream), solving each intercept and cut from them.
 * These runs put every team in the model pilot with its effects on, whatever the
 * options say: the calibration (and so every contact before the pilot window) does
 * not depend on `--pilot-teams` or `--no-pilot-effects`, and a null run shares its
 * pre-pilot contacts with the run it is compared to.
 */
export function calibrate(options: EngineOptions): Calibration {
  const rng = Rng.stream(options.seed, 99);
  const uSd = Math.hypot(P.recurrence.householdRiskSd, P.recurrence.childRiskSd);
  const daSd = Math.sqrt(1 + 0.25 * uSd * uSd);
  const daDraws = Array.from({length: 20_000}, () => rng.normal(0, daSd));
  const ones = daDraws.map(() => 1);
  let cal: Calibration = {
    concernIntercept: concernIntercepts(rng),
    shareIntercept: logit(P.truthEffects.targetShareRate) - 1.5,
    severityCuts: [0, 1],
    notSharedCuts: [0, 1],
    outcomeCuts: [-1, 0, 1],
    daCuts: [
      weightedQuantile(daDraws, ones, P.daRiskShare.standard),
      weightedQuantile(daDraws, ones, P.daRiskShare.standard + P.daRiskShare.medium),
    ],
  };
  const pilotContacts = Math.min(options.contacts, 30_000);
  for (let round = 0; round < 3; round++) {
    const engine = new Engine(
      {...options, seed: options.seed ^ 0x5bd1e995, contacts: pilotContacts, pilotTeams: "all", pilotEffects: true},
      cal,
    );
    const offsets: number[] = [];
    const sev: number[] = [];
    const childRisk: number[] = [];
    const concernCount = Object.fromEntries(P.CONCERNS.map((k) => [k, 0])) as Record<P.Concern, number>;
    for (let d = 0; d < engine.days.length; d++) {
      const batch = engine.runDay(d);
      if (d < engine.firstDay) continue;
      for (const c of batch) {
        offsets.push(logit(c.truth.pShareStaff) - cal.shareIntercept);
        sev.push(c.truth.severityScore);
        childRisk.push(c.truth.childRisk);
        for (const k of c.concerns) concernCount[k]++;
      }
    }
    const b = solveIntercept(offsets, P.truthEffects.targetShareRate);
    const p = offsets.map((o) => sigmoid(b + o));
    const S = P.severityShare;
    const severityCuts: [number, number] = [
      weightedQuantile(
        sev,
        sev.map(() => 1),
        S.green,
      ),
      weightedQuantile(
        sev,
        sev.map(() => 1),
        S.green + S.amber,
      ),
    ];
    const notSharedDraw = sev.map((s) => s + rng.normal(0, 0.5));
    const notW = p.map((v) => 1 - v);
    const N = P.notSharedShare;
    const outcomeDraw = sev.map((s, i) => s + 0.5 * childRisk[i] + rng.normal(0, 0.6));
    const O = P.outcomeShare;
    // Re-contacted children and the "at least one concern" rule move prevalence: correct for what the pilot saw.
    const concernIntercept = {...cal.concernIntercept};
    for (const k of P.CONCERNS) {
      const seen = Math.min(0.999, Math.max(0.001, concernCount[k] / sev.length));
      concernIntercept[k] += logit(P.concernPrevalence[k]) - logit(seen);
    }
    cal = {
      ...cal,
      concernIntercept,
      shareIntercept: b,
      severityCuts,
      notSharedCuts: [weightedQuantile(notSharedDraw, notW, N.nfa), weightedQuantile(notSharedDraw, notW, N.nfa + N.advice_signposting)],
      outcomeCuts: [
        weightedQuantile(outcomeDraw, p, O.nfa),
        weightedQuantile(outcomeDraw, p, O.nfa + O.early_help),
        weightedQuantile(outcomeDraw, p, O.nfa + O.early_help + O.cin_assessment),
      ],
    };
  }
  return cal;
}
