/**
 * Exact per-contact explanations for a logistic model, on the log-odds scale:
 * contribution_j = w_j · (x_j − mean_j), where mean_j is the training mean of
 * column j. They sum to logit(score) − logit(score of an average training contact),
 * so every factor shown adds up to the score shown.
 * @example contributions(x, weights, means) // Float64Array of signed log-odds
 */
export function contributions(x: ArrayLike<number>, weights: ArrayLike<number>, means: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  for (let j = 0; j < weights.length; j++) out[j] = weights[j] * (x[j] - means[j]);
  return out;
}

/** The log-odds of an average training contact: intercept + Σ w_j · mean_j. */
export function baselineLogit(intercept: number, weights: ArrayLike<number>, means: ArrayLike<number>): number {
  let z = intercept;
  for (let j = 0; j < weights.length; j++) z += weights[j] * means[j];
  return z;
}

/** The k largest contributions by size, with their column names. */
export function topFactors(names: string[], contrib: ArrayLike<number>, k = 3): {name: string; value: number}[] {
  return names
    .map((name, j) => ({name, value: contrib[j]}))
    .filter((f) => f.value !== 0)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.name.localeCompare(b.name))
    .slice(0, k);
}

/** 1–20 band: 1 + the number of training ventiles at or below the score. */
export function band(score: number, ventiles: ArrayLike<number>): number {
  let b = 1;
  for (let i = 0; i < ventiles.length; i++) if (score >= ventiles[i]) b++;
  return b;
}

/**
 * Ranks of column names in the order `topFactors` breaks ties (localeCompare), for `topFactorIndices`.
 * @example const rank = nameRanks(names); topFactorIndices(contrib, 0, names.length, rank, out)
 */
export function nameRanks(names: string[]): Int32Array {
  const order = names.map((_, j) => j).sort((a, b) => names[a].localeCompare(names[b]));
  const rank = new Int32Array(names.length);
  order.forEach((j, r) => (rank[j] = r));
  return rank;
}

/**
 * `topFactors` without allocating: the indices of the k largest non-zero
 * contributions by size (ties by name) among contrib[offset … offset + p), written
 * to `out` (−1 where there are fewer than k). Same choice and order as `topFactors`.
 */
export function topFactorIndices(contrib: ArrayLike<number>, offset: number, p: number, rank: Int32Array, out: Int32Array, k = out.length): Int32Array {
  out.fill(-1, 0, k);
  let filled = 0;
  let floor = 0; // |value| of the k-th best once k are chosen: anything smaller cannot enter
  for (let j = 0; j < p; j++) {
    const v = contrib[offset + j];
    if (v === 0 || v !== v) continue;
    const a = Math.abs(v);
    if (filled === k && a < floor) continue;
    // Find where column j goes among the current best (sorted: largest first).
    let pos = filled;
    while (pos > 0) {
      const q = out[pos - 1];
      const b = Math.abs(contrib[offset + q]);
      if (a > b || (a === b && rank[j] < rank[q])) pos--;
      else break;
    }
    if (pos >= k) continue;
    for (let s = Math.min(filled, k - 1); s > pos; s--) out[s] = out[s - 1];
    out[pos] = j;
    if (filled < k) filled++;
    if (filled === k) floor = Math.abs(contrib[offset + out[k - 1]]);
  }
  return out;
}

/**
 * Exact per-row logistic contributions for many rows at once: out[i·p + j] = w_j · (x_ij − mean_j),
 * the same arithmetic as `contributions`, into one array.
 */
export function contributionRows(X: ArrayLike<number>, n: number, weights: ArrayLike<number>, means: ArrayLike<number>, out = new Float64Array(n * weights.length)): Float64Array {
  const p = weights.length;
  for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < p; j++, at++) out[at] = weights[j] * (X[at] - means[j]);
  return out;
}

/** One dense layer as plain arrays: kernel row-major [inputs × units] (tfjs's layout) and bias. */
export interface DenseLayer {
  kernel: ArrayLike<number>;
  bias: ArrayLike<number>;
  inputs: number;
  units: number;
}

/** y[k] += W[from + k] · a for every k of y (a kernel's row times a scalar), four at a step. */
function addScaledRow(y: Float64Array, W: Float64Array, from: number, a: number): void {
  const n = y.length;
  let k = 0, at = from;
  for (; k + 3 < n; k += 4, at += 4) {
    y[k] += W[at] * a;
    y[k + 1] += W[at + 1] * a;
    y[k + 2] += W[at + 2] * a;
    y[k + 3] += W[at + 3] * a;
  }
  for (; k < n; k++, at++) y[k] += W[at] * a;
}

/**
 * y[k] = sign·init[k] + Σ_i W[rows[i]·m + k] · a[i] (i in order) for k < m: kernel rows scaled and
 * added one after the other, as `addScaledRow` would, with four of y's sums held in registers.
 */
function combineRows(y: Float64Array, init: Float64Array, sign: number, W: Float64Array, rows: Int32Array, a: Float64Array, c: number, m: number): void {
  let k = 0;
  for (; k + 3 < m; k += 4) {
    let s0 = sign * init[k], s1 = sign * init[k + 1], s2 = sign * init[k + 2], s3 = sign * init[k + 3];
    for (let i = 0; i < c; i++) {
      const at = rows[i] * m + k, ai = a[i];
      s0 += W[at] * ai;
      s1 += W[at + 1] * ai;
      s2 += W[at + 2] * ai;
      s3 += W[at + 3] * ai;
    }
    y[k] = s0;
    y[k + 1] = s1;
    y[k + 2] = s2;
    y[k + 3] = s3;
  }
  for (; k < m; k++) {
    let s = sign * init[k];
    for (let i = 0; i < c; i++) s += W[rows[i] * m + k] * a[i];
    y[k] = s;
  }
}

/**
 * out[j] = Σ_i W[j·m + cols[i]] · a[i] for j < n (a row-major n × m matrix times a vector held
 * only at the columns `cols[0..c)`), each sum over i in order; four rows at a time, so four
 * independent sums are in flight.
 */
function kernelColumnsTimes(W: Float64Array, cols: Int32Array, a: Float64Array, c: number, n: number, m: number, out: Float64Array): void {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const r0 = j * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m;
    for (let i = 0; i < c; i++) {
      const k = cols[i], ak = a[i];
      s0 += W[r0 + k] * ak;
      s1 += W[r1 + k] * ak;
      s2 += W[r2 + k] * ak;
      s3 += W[r3 + k] * ak;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; j++) {
    let s = 0;
    for (let i = 0, at = j * m; i < c; i++) s += W[at + cols[i]] * a[i];
    out[j] = s;
  }
}

/** Scratch arrays of `attributeRow`. */
interface RowScratch {
  units: Int32Array;
  values: Float64Array;
  sums: Float64Array;
}

/**
 * A row's attributions from its first-layer gradient integrals `acc`: (x_j − baseline_j) ·
 * Σ_k W0[j,k] · acc[k], the sum over k in order. Units never active on the path (acc 0) add
 * W·0 = ±0 to every sum, which leaves it as it is, so they are skipped.
 */
function attributeRow(W0: Float64Array, acc: Float64Array, n0: number, p: number, X: ArrayLike<number>, base: number, b0: Float64Array, attributions: Float64Array, s: RowScratch): void {
  let live = 0;
  for (let k = 0; k < n0; k++) {
    if (acc[k] !== 0) {
      s.units[live] = k;
      s.values[live++] = acc[k];
    }
  }
  kernelColumnsTimes(W0, s.units, s.values, live, p, n0, s.sums);
  for (let j = 0; j < p; j++) {
    const d = X[base + j] - b0[j];
    attributions[base + j] = d === 0 ? 0 : d * s.sums[j]; // (0 written: a reused array holds an earlier block's)
  }
}

/**
 * The first-layer units' zero crossings along the path (u + α·v reaching 0 for α < 1, units moving
 * towards zero only), into `cross`/`unit` in order of α, then unit; returns how many. The first
 * layer's lines do not change along the path, so each unit crosses at most once.
 */
function firstLayerCrossings(u: Float64Array, v: Float64Array, on: Uint8Array, n: number, cross: Float64Array, unit: Int32Array): number {
  let count = 0;
  for (let k = 0; k < n; k++) {
    const slope = v[k];
    if (on[k] ? slope < 0 : slope > 0) {
      const t = -u[k] / slope;
      if (!(t < 1)) continue; // beyond the path's end: never taken
      let at = count++;
      for (; at > 0 && (cross[at - 1] > t || (cross[at - 1] === t && unit[at - 1] > k)); at--) {
        cross[at] = cross[at - 1];
        unit[at] = unit[at - 1];
      }
      cross[at] = t;
      unit[at] = k;
    }
  }
  return count;
}

/** Where each second-layer unit's line reaches zero (−u/v) if it is moving towards it, else ∞. */
function crossings1(u: Float64Array, v: Float64Array, on: Uint8Array, t: Float64Array): void {
  for (let k = 0; k < u.length; k++) {
    const slope = v[k];
    t[k] = (on[k] ? slope < 0 : slope > 0) ? -u[k] / slope : Infinity;
  }
}

/**
 * The row loop of `pathIntegratedGradients` for two hidden layers whose units are all off zero at
 * the baseline (the usual MLP): the same sums in the same order (only terms that are exactly ±0
 * skipped), so the same bits, with every array a local and the second layer's crossing times kept
 * until its lines change.
 */
function walkTwoHidden(W0: Float64Array, W1: Float64Array, w2: Float64Array, bias2: number, n0: number, n1: number,
  X: ArrayLike<number>, n: number, p: number, b0: Float64Array, wb: Float64Array,
  u0: Float64Array, on0Start: Uint8Array, u1Start: Float64Array, on1Start: Uint8Array, q0Start: Float64Array,
  attributions: Float64Array, logits: Float64Array): number {
  const v0 = new Float64Array(n0), on0 = new Uint8Array(n0), q0 = new Float64Array(n0), acc = new Float64Array(n0);
  const u1 = new Float64Array(n1), v1 = new Float64Array(n1), on1 = new Uint8Array(n1);
  const cross0 = new Float64Array(n0), unit0 = new Int32Array(n0);
  const t1 = new Float64Array(n1), since = new Float64Array(n0);
  const scratch: RowScratch = {units: new Int32Array(n0), values: new Float64Array(n0), sums: new Float64Array(p)};
  const nzRow = new Int32Array(Math.max(p, n0)), nzVal = new Float64Array(Math.max(p, n0)), zeros1 = new Float64Array(n1);
  let kinks = 0;
  for (let row = 0; row < n; row++) {
    const base = row * p;
    // v0 = x·W0 − baseline·W0 over x's nonzero entries (the same sums in the same order as adding
    // kernel rows one by one, four units at a time in registers).
    let nz = 0;
    for (let j = 0; j < p; j++) {
      const xj = X[base + j];
      if (xj === 0) continue;
      nzRow[nz] = j;
      nzVal[nz++] = xj;
    }
    combineRows(v0, wb, -1, W0, nzRow, nzVal, nz, n0);
    // (Plain loops: a typed array's set or fill is a call into the runtime, dear at this size.)
    for (let k = 0; k < n0; k++) {
      on0[k] = on0Start[k];
      q0[k] = q0Start[k];
      acc[k] = 0;
      since[k] = 0;
    }
    let active = 0;
    for (let i = 0; i < n0; i++) {
      if (!on0[i]) continue;
      nzRow[active] = i;
      nzVal[active++] = v0[i];
    }
    for (let k = 0; k < n1; k++) {
      u1[k] = u1Start[k];
      on1[k] = on1Start[k];
    }
    combineRows(v1, zeros1, 1, W1, nzRow, nzVal, active, n1);
    crossings1(u1, v1, on1, t1);
    const crossings = firstLayerCrossings(u0, v0, on0, n0, cross0, unit0);
    let taken = 0;
    let alpha = 0;
    for (let guard = 0; ; guard++) {
      if (guard > 100000) throw new Error("pathIntegratedGradients: too many kinks on one path");
      // (The first-layer crossings listed are all before the path's end, so the next one is always a candidate.)
      let next = 1, nl = -1, nk = -1;
      if (taken < crossings) {
        next = Math.max(alpha, cross0[taken]);
        nl = 0;
        nk = unit0[taken];
      }
      for (let k = 0; k < n1; k++) {
        const at = Math.max(alpha, t1[k]);
        if (at < next) {
          next = at;
          nl = 1;
          nk = k;
        }
      }
      alpha = next;
      if (nl < 0) {
        for (let k = 0; k < n0; k++) acc[k] += (1 - since[k]) * q0[k] * on0[k];
        break;
      }
      kinks++;
      if (nl === 0) {
        taken++;
        if (on0[nk]) acc[nk] += (alpha - since[nk]) * q0[nk];
        since[nk] = alpha;
        const sign = on0[nk] ? -1 : 1;
        on0[nk] ^= 1;
        const a = sign * u0[nk], b = sign * v0[nk];
        for (let k = 0, at = nk * n1; k < n1; k++, at++) {
          u1[k] += W1[at] * a;
          v1[k] += W1[at] * b;
        }
        crossings1(u1, v1, on1, t1);
      } else {
        const sign = on1[nk] ? -1 : 1;
        on1[nk] ^= 1;
        t1[nk] = Infinity; // it now moves away from zero along this line
        const g = sign * w2[nk];
        // Branch-free: an inactive unit adds ±0, which leaves its sum (never −0) as it is, and its
        // `since` is set again when it turns on.
        for (let i = 0; i < n0; i++) {
          acc[i] += (alpha - since[i]) * q0[i] * on0[i];
          since[i] = alpha;
        }
        for (let i = 0, at = nk; i < n0; i++, at += n1) q0[i] += W1[at] * g;
      }
    }
    attributeRow(W0, acc, n0, p, X, base, b0, attributions, scratch);
    let z = bias2;
    for (let k = 0; k < n1; k++) if (on1[k]) z += w2[k] * (u1[k] + v1[k]);
    logits[row] = z;
  }
  return kinks;
}

/**
 * Integrated gradients, computed exactly, of a ReLU network's output log-odds
 * (hidden layers ReLU, last layer one logit unit under a sigmoid) from `baseline`
 * to each row. Along the straight path the network is piecewise linear in the
 * path position α, so instead of sampling gradients at a few α (the Riemann sum,
 * whose error shrinks only like 1/steps at ReLU kinks) this walks the path from
 * one kink to the next — the α where a hidden unit changes sign — and adds each
 * piece's constant gradient times its length. The contributions therefore sum to
 * logit(x) − logit(baseline) up to rounding (completeness holds exactly), and the
 * cost is a few kinks per row instead of `steps` forward and backward passes.
 *
 * Returns the attributions (rows × p, log-odds) and each row's logit, in `into`'s arrays when
 * they are long enough (reused block after block, they spare the first touches of 16 MB of new
 * memory per block of 32,768 rows), else in new ones. Two hidden layers off zero at the baseline
 * (the usual MLP) take `walkTwoHidden`, the same arithmetic specialised; `walk: "general"` keeps
 * the general loop (the tests check both give the same bits).
 * @example const {attributions} = pathIntegratedGradients(denseLayers, X, n, p, means)
 */
export function pathIntegratedGradients(dense: DenseLayer[], X: ArrayLike<number>, n: number, p: number, baseline: ArrayLike<number>, into?: {attributions: Float64Array; logits: Float64Array}, walk: "auto" | "general" = "auto"): {attributions: Float64Array; logits: Float64Array; kinks: number} {
  const attributions = into && into.attributions.length >= n * p ? into.attributions.subarray(0, n * p) : new Float64Array(n * p);
  const logits = into && into.logits.length >= n ? into.logits.subarray(0, n) : new Float64Array(n);
  // Float64 copies: one array type keeps the loops below monomorphic (and fast).
  const layers = dense.map((l) => ({...l, kernel: Float64Array.from(l.kernel), bias: Float64Array.from(l.bias)}));
  const H = layers.length - 1; // hidden layers
  const out = layers[H];
  if (out.units !== 1 || layers[0].inputs !== p) throw new Error("pathIntegratedGradients expects dense ReLU layers on p inputs and one output unit");
  if (H === 0) {
    // A logistic model: the gradient is constant, so IG is w_j · (x_j − baseline_j).
    for (let i = 0, at = 0; i < n; i++) {
      let z = out.bias[0];
      for (let j = 0; j < p; j++, at++) {
        attributions[at] = out.kernel[j] * (X[at] - baseline[j]);
        z += out.kernel[j] * X[at];
      }
      logits[i] = z;
    }
    return {attributions, logits, kinks: 0};
  }
  const sizes = layers.slice(0, H).map((l) => l.units);
  const b0 = Float64Array.from(baseline);
  // Constants of the baseline: first-layer pre-activations and W0ᵀ·baseline.
  const W0 = layers[0].kernel;
  const n0 = sizes[0];
  const u0 = new Float64Array(n0), wb = new Float64Array(n0);
  for (let k = 0; k < n0; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += W0[j * n0 + k] * b0[j];
    wb[k] = s;
    u0[k] = s + layers[0].bias[k];
  }
  const u = sizes.map((m) => new Float64Array(m)); // pre-activation at α = 0 of the current piece's line
  const v = sizes.map((m) => new Float64Array(m)); // its slope in α
  const on = sizes.map((m) => new Uint8Array(m));
  const q = sizes.map((m) => new Float64Array(m)); // d logit / d activation of each hidden unit
  const acc = new Float64Array(n0), since = new Float64Array(n0); // ∫ gradient at each first-layer unit; since when its q·on held
  const cross0 = new Float64Array(n0), unit0 = new Int32Array(n0); // first-layer crossings, in order
  const scratch: RowScratch = {units: new Int32Array(n0), values: new Float64Array(n0), sums: new Float64Array(p)};
  let kinks = 0;

  // Layer l+1's line from layer l's (through the active units).
  const forward = (l: number) => {
    const L = layers[l + 1], m = L.units, prev = sizes[l];
    const ul = u[l + 1], vl = v[l + 1];
    for (let k = 0; k < m; k++) {
      ul[k] = L.bias[k];
      vl[k] = 0;
    }
    for (let i = 0; i < prev; i++) {
      if (!on[l][i]) continue;
      const a = u[l][i], b = v[l][i];
      for (let k = 0; k < m; k++) {
        ul[k] += L.kernel[i * m + k] * a;
        vl[k] += L.kernel[i * m + k] * b;
      }
    }
  };
  const setMasks = (l: number) => {
    for (let k = 0; k < sizes[l]; k++) on[l][k] = u[l][k] > 0 || (u[l][k] === 0 && v[l][k] > 0) ? 1 : 0;
  };
  // q of layer l−1 from layer l's: W_l · (on_l ⊙ q_l).
  const backward = (l: number) => {
    const L = layers[l], m = L.units, prev = sizes[l - 1];
    for (let i = 0; i < prev; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) if (on[l][k]) s += L.kernel[i * m + k] * q[l][k];
      q[l - 1][i] = s;
    }
  };

  // At the baseline (α = 0) the lines' offsets, the masks and the gradients are the
  // same for every row, unless a unit sits exactly at zero there (then its side
  // depends on the row's slope, and each row is set up from scratch).
  const atBaseline = () => {
    u[0].set(u0);
    setMasks(0);
    for (let l = 0; l + 1 < H; l++) {
      forward(l);
      setMasks(l + 1);
    }
    for (let k = 0; k < sizes[H - 1]; k++) q[H - 1][k] = out.kernel[k];
    for (let l = H - 1; l >= 1; l--) backward(l);
  };
  v[0].fill(0);
  atBaseline();
  const tied = u.some((ul) => ul.some((x) => x === 0));
  const u00 = u.map((x) => Float64Array.from(x)), on00 = on.map((x) => Uint8Array.from(x)), q00 = q.map((x) => Float64Array.from(x));
  if (H === 2 && !tied && walk === "auto") {
    kinks = walkTwoHidden(W0, layers[1].kernel, out.kernel, out.bias[0], n0, sizes[1], X, n, p, b0, wb, u00[0], on00[0], u00[1], on00[1], q00[0], attributions, logits);
    return {attributions, logits, kinks};
  }

  for (let row = 0; row < n; row++) {
    const base = row * p;
    // Layer 0: u = W0ᵀ·baseline + b0 (constant), v = W0ᵀ·x − W0ᵀ·baseline (x is sparse: skip zeros).
    const v0 = v[0];
    for (let k = 0; k < n0; k++) v0[k] = -wb[k];
    for (let j = 0; j < p; j++) {
      const xj = X[base + j];
      if (xj === 0) continue;
      addScaledRow(v0, W0, j * n0, xj);
    }
    if (tied) {
      atBaseline();
    } else {
      for (let l = 0; l < H; l++) {
        u[l].set(u00[l]);
        on[l].set(on00[l]);
        q[l].set(q00[l]);
      }
      // Only the slopes of deeper layers depend on the row: v_{l+1} = W_{l+1}ᵀ·(on_l ⊙ v_l).
      for (let l = 0; l + 1 < H; l++) {
        const L = layers[l + 1], m = L.units, vl = v[l + 1];
        vl.fill(0);
        for (let i = 0; i < sizes[l]; i++) {
          if (!on[l][i]) continue;
          addScaledRow(vl, L.kernel, i * m, v[l][i]);
        }
      }
    }
    acc.fill(0);
    since.fill(0);
    // The first layer's crossings are found once per row and taken in order (time, then unit),
    // instead of being searched for again at every kink.
    const crossings = firstLayerCrossings(u[0], v[0], on[0], n0, cross0, unit0);
    let taken = 0;
    let alpha = 0;
    for (let guard = 0; ; guard++) {
      if (guard > 100000) throw new Error("pathIntegratedGradients: too many kinks on one path");
      // The next kink: an active unit falling to zero or an inactive one rising to it (on ties the
      // earlier layer, then the lower unit, as a scan in that order would find).
      // (The first-layer crossings listed are all before the path's end, so the next one is always a candidate.)
      let next = 1, nl = -1, nk = -1;
      if (taken < crossings) {
        next = Math.max(alpha, cross0[taken]);
        nl = 0;
        nk = unit0[taken];
      }
      for (let l = 1; l < H; l++) {
        const ul = u[l], vl = v[l], ol = on[l];
        for (let k = 0; k < sizes[l]; k++) {
          const slope = vl[k];
          if (ol[k] ? slope < 0 : slope > 0) {
            const at = Math.max(alpha, -ul[k] / slope);
            if (at < next) {
              next = at;
              nl = l;
              nk = k;
            }
          }
        }
      }
      alpha = next;
      // A first-layer unit's gradient integral grows by (time it was on) × q while its q stays:
      // added when the unit turns off, when q changes (a deeper kink) and at the path's end.
      const on0 = on[0], q0 = q[0];
      if (nl < 0) {
        for (let k = 0; k < n0; k++) if (on0[k]) acc[k] += (1 - since[k]) * q0[k];
        break;
      }
      kinks++;
      if (nl === 0) {
        taken++;
        if (on0[nk]) acc[nk] += (alpha - since[nk]) * q0[nk];
        since[nk] = alpha;
      } else {
        for (let k = 0; k < n0; k++) {
          if (on0[k]) {
            acc[k] += (alpha - since[k]) * q0[k];
            since[k] = alpha;
          }
        }
      }
      const sign = on[nl][nk] ? -1 : 1;
      on[nl][nk] ^= 1;
      // Forward: the unit joins or leaves layer nl+1's sums; deeper layers are recomputed.
      if (nl + 1 < H) {
        const L = layers[nl + 1], m = L.units, a = sign * u[nl][nk], b = sign * v[nl][nk];
        const W = L.kernel, un = u[nl + 1], vn = v[nl + 1];
        for (let k = 0, at = nk * m; k < m; k++, at++) {
          un[k] += W[at] * a;
          vn[k] += W[at] * b;
        }
        for (let l = nl + 1; l + 1 < H; l++) forward(l);
      }
      // Backward: the unit's gradient path opens or closes; lower layers are recomputed.
      if (nl >= 1) {
        const L = layers[nl], m = L.units, g = sign * q[nl][nk];
        const W = L.kernel, qp = q[nl - 1];
        for (let i = 0, at = nk; i < sizes[nl - 1]; i++, at += m) qp[i] += W[at] * g;
        for (let l = nl - 1; l >= 1; l--) backward(l);
      }
    }
    attributeRow(W0, acc, n0, p, X, base, b0, attributions, scratch);
    // The logit at x (α = 1), from the last piece's line.
    let z = out.bias[0];
    const top = H - 1;
    for (let k = 0; k < sizes[top]; k++) if (on[top][k]) z += out.kernel[k] * (u[top][k] + v[top][k]);
    logits[row] = z;
  }
  return {attributions, logits, kinks};
}
