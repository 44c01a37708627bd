/**
 * Exact per-contact explanations on the log-odds scale, from the average training
 * contact: w_j · (x_j − mean_j) for the logistic model, and integrated gradients
 * walked exactly along the path for a dense ReLU network. Either way the
 * contributions sum to logit(score) − logit(score of the average contact).
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

/** The k largest contributions by size, with their column names (ties by name; zeros never). */
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

/** One dense layer as plain arrays: kernel row-major [inputs × units] (tfjs's layout) and bias. */
export interface DenseLayer {
  kernel: ArrayLike<number>;
  bias: ArrayLike<number>;
  inputs: number;
  units: number;
}

/**
 * Integrated gradients, computed exactly, of a ReLU network's output log-odds (hidden
 * layers ReLU, one logit unit under a sigmoid) from `baseline` to each row of X (n × p).
 * Along the straight path the network is piecewise linear, so the walk goes from one
 * kink (a hidden unit changing sign) to the next and adds each piece's constant gradient
 * times its length: no sampling error, and the attributions sum to logit(x) − logit(baseline)
 * up to rounding. Returns the attributions (n × p), each row's logit and the kinks crossed.
 * @example const {attributions} = pathIntegratedGradients(denseLayers(model)!, X, n, p, means)
 */
export function pathIntegratedGradients(
  dense: DenseLayer[],
  X: ArrayLike<number>,
  n: number,
  p: number,
  baseline: ArrayLike<number>,
): {attributions: Float64Array; logits: Float64Array; kinks: number} {
  const layers = dense.map((l) => ({...l, kernel: Float64Array.from(l.kernel), bias: Float64Array.from(l.bias)}));
  const H = layers.length - 1; // hidden layers
  const out = layers[H];
  if (out.units !== 1 || layers[0].inputs !== p)
    throw new Error("pathIntegratedGradients expects dense ReLU layers on p inputs and one output unit");
  const attributions = new Float64Array(n * p),
    logits = new Float64Array(n);
  const b0 = Float64Array.from(baseline);
  if (H === 0) {
    // No hidden layer: the gradient is the constant w, so IG is w_j · (x_j − baseline_j).
    for (let i = 0, at = 0; i < n; i++) {
      let z = out.bias[0];
      for (let j = 0; j < p; j++, at++) {
        attributions[at] = out.kernel[j] * (X[at] - b0[j]);
        z += out.kernel[j] * X[at];
      }
      logits[i] = z;
    }
    return {attributions, logits, kinks: 0};
  }
  const sizes = layers.slice(0, H).map((l) => l.units);
  const W0 = layers[0].kernel,
    n0 = sizes[0];
  // The first layer's line is u + α·v with u = W0ᵀ·baseline + bias (the same for every row).
  const wb = new Float64Array(n0),
    u0 = new Float64Array(n0);
  for (let k = 0; k < n0; k++) {
    for (let j = 0; j < p; j++) wb[k] += W0[j * n0 + k] * b0[j];
    u0[k] = wb[k] + layers[0].bias[k];
  }
  const u = sizes.map((m) => new Float64Array(m)); // pre-activation at α = 0 of the current piece's line
  const v = sizes.map((m) => new Float64Array(m)); // its slope in α
  const on = sizes.map((m) => new Uint8Array(m));
  const q = sizes.map((m) => new Float64Array(m)); // d logit / d activation of each hidden unit
  const acc = new Float64Array(n0),
    since = new Float64Array(n0); // ∫ gradient at each first-layer unit, and since when its q held

  // Layer l+1's line from layer l's, through the active units.
  const forward = (l: number) => {
    const L = layers[l + 1],
      m = L.units;
    u[l + 1].set(L.bias);
    v[l + 1].fill(0);
    for (let i = 0; i < sizes[l]; i++) {
      if (!on[l][i]) continue;
      for (let k = 0; k < m; k++) {
        u[l + 1][k] += L.kernel[i * m + k] * u[l][i];
        v[l + 1][k] += L.kernel[i * m + k] * v[l][i];
      }
    }
  };
  // A unit is on when its line is above zero at the piece's start (or at zero and rising).
  const setMasks = (l: number) => {
    for (let k = 0; k < sizes[l]; k++) on[l][k] = u[l][k] > 0 || (u[l][k] === 0 && v[l][k] > 0) ? 1 : 0;
  };
  // q of layer l−1 from layer l's: W_l · (on_l ⊙ q_l).
  const backward = (l: number) => {
    const L = layers[l],
      m = L.units;
    for (let i = 0; i < sizes[l - 1]; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) if (on[l][k]) s += L.kernel[i * m + k] * q[l][k];
      q[l - 1][i] = s;
    }
  };
  // Masks, deeper lines and gradients at α = 0 (v must be set first: a unit exactly at zero takes its side from v).
  const atStart = () => {
    u[0].set(u0);
    setMasks(0);
    for (let l = 0; l + 1 < H; l++) {
      forward(l);
      setMasks(l + 1);
    }
    q[H - 1].set(out.kernel);
    for (let l = H - 1; l >= 1; l--) backward(l);
  };

  let kinks = 0;
  for (let row = 0; row < n; row++) {
    const base = row * p;
    // First layer's slope: W0ᵀ·x − W0ᵀ·baseline (x is mostly zeros: skipped).
    for (let k = 0; k < n0; k++) v[0][k] = -wb[k];
    for (let j = 0; j < p; j++) {
      const xj = X[base + j];
      if (xj !== 0) for (let k = 0; k < n0; k++) v[0][k] += W0[j * n0 + k] * xj;
    }
    atStart();
    acc.fill(0);
    since.fill(0);
    for (let alpha = 0, guard = 0; ; guard++) {
      if (guard > 100000) throw new Error("pathIntegratedGradients: too many kinks on one path");
      // The next kink: a unit moving towards zero that reaches it first (ties: earlier layer, lower unit).
      let next = 1,
        nl = -1,
        nk = -1;
      for (let l = 0; l < H; l++) {
        for (let k = 0; k < sizes[l]; k++) {
          const slope = v[l][k];
          if (on[l][k] ? slope < 0 : slope > 0) {
            const at = Math.max(alpha, -u[l][k] / slope);
            if (at < next) [next, nl, nk] = [at, l, k];
          }
        }
      }
      alpha = next;
      // A first-layer unit's integral grows by (time on) × q: added when it turns off, when q changes, and at the end.
      if (nl < 0) {
        for (let k = 0; k < n0; k++) if (on[0][k]) acc[k] += (1 - since[k]) * q[0][k];
        break;
      }
      kinks++;
      for (let k = nl === 0 ? nk : 0; k < (nl === 0 ? nk + 1 : n0); k++) {
        if (on[0][k]) acc[k] += (alpha - since[k]) * q[0][k];
        since[k] = alpha;
      }
      const sign = on[nl][nk] ? -1 : 1;
      on[nl][nk] ^= 1;
      // Forward: the unit joins or leaves layer nl+1's sums; deeper layers follow.
      if (nl + 1 < H) {
        const L = layers[nl + 1],
          m = L.units,
          a = sign * u[nl][nk],
          b = sign * v[nl][nk];
        for (let k = 0; k < m; k++) {
          u[nl + 1][k] += L.kernel[nk * m + k] * a;
          v[nl + 1][k] += L.kernel[nk * m + k] * b;
        }
        for (let l = nl + 1; l + 1 < H; l++) forward(l);
      }
      // Backward: the unit's gradient path opens or closes; lower layers follow.
      if (nl >= 1) {
        const L = layers[nl],
          m = L.units,
          g = sign * q[nl][nk];
        for (let i = 0; i < sizes[nl - 1]; i++) q[nl - 1][i] += L.kernel[i * m + nk] * g;
        for (let l = nl - 1; l >= 1; l--) backward(l);
      }
    }
    // Attribution_j = (x_j − baseline_j) · Σ_k W0[j,k] · ∫ gradient at unit k.
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n0; k++) s += W0[j * n0 + k] * acc[k];
      attributions[base + j] = (X[base + j] - b0[j]) * s;
    }
    let z = out.bias[0];
    for (let k = 0; k < sizes[H - 1]; k++) if (on[H - 1][k]) z += out.kernel[k] * (u[H - 1][k] + v[H - 1][k]);
    logits[row] = z;
  }
  return {attributions, logits, kinks};
}
