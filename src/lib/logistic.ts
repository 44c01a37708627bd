/**
 * Logistic regression fitted exactly: Newton–Raphson (iteratively reweighted least
 * squares) in double precision, to a gradient below `tolerance`. An optional ridge
 * penalty (not on the intercept) keeps the fit unique when one-hot columns are
 * collinear with the intercept. Pure (no tensors, no DOM): the fitted weights are
 * then loaded into a tfjs model for saving and scoring.
 *
 * @example
 *   const fit = fitLogistic(X, y, rows, cols, {ridge: 1});
 *   predictLogistic(fit, X, rows, cols) // probabilities
 */
export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
  /** max |gradient| of the (penalised) log-likelihood where the last iteration began (after a final step below `stepTolerance`, smaller still) */
  gradientMax: number;
  /** penalised negative log-likelihood at the solution */
  loss: number;
}

export interface LogisticOptions {
  /** L2 penalty λ on coefficients (not the intercept): loss + λ/2 · Σβ² */
  ridge?: number;
  /** converged when max |gradient| falls below this */
  tolerance?: number;
  /**
   * converged, too, when a full Newton step moves no weight by more than this: Newton converges
   * quadratically, so the weights are then exact far beyond it. Needed at scale: the gradient is a
   * sum over n rows, and its rounding alone can stay above `tolerance` (about 1e-10 at 700,000 rows).
   */
  stepTolerance?: number;
  maxIterations?: number;
}

/** The logistic function, written so neither branch overflows. */
export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for symmetric positive-definite A (Cholesky; A is k×k row-major, overwritten). */
export function solveSpd(A: Float64Array, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j];
    for (let m = 0; m < j; m++) d -= A[j * k + m] * A[j * k + m];
    if (!(d > 0)) throw new Error("the Hessian is not positive definite: add a ridge penalty (collinear features?)");
    const l = Math.sqrt(d);
    A[j * k + j] = l;
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= A[i * k + m] * A[j * k + m];
      A[i * k + j] = s / l;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < k; i++) {
    let s = x[i];
    for (let m = 0; m < i; m++) s -= A[i * k + m] * x[m];
    x[i] = s / A[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let m = i + 1; m < k; m++) s -= A[m * k + i] * x[m];
    x[i] = s / A[i * k + i];
  }
  return x;
}

/**
 * Row-major X (n × p) as each row's nonzero entries, with the intercept as column 0 of every row:
 * row i holds entries start[i] … start[i + 1] − 1 (column index into [intercept, β…], value).
 * One-hot encodings are mostly zeros, so every pass over the data touches a fraction of X.
 */
export interface SparseRows {
  start: Uint32Array;
  column: Uint32Array;
  value: Float64Array;
}

/** Builds {@link SparseRows} from a dense row-major X in two passes (count, then fill). */
export function sparseRows(X: ArrayLike<number>, n: number, p: number): SparseRows {
  let nonzero = n;
  for (let i = 0; i < n * p; i++) if (X[i] !== 0) nonzero++;
  const start = new Uint32Array(n + 1),
    column = new Uint32Array(nonzero),
    value = new Float64Array(nonzero);
  let e = 0;
  for (let i = 0; i < n; i++) {
    start[i] = e;
    column[e] = 0;
    value[e++] = 1;
    for (let j = 0; j < p; j++) {
      const x = X[i * p + j];
      if (x !== 0) ((column[e] = j + 1), (value[e++] = x));
    }
  }
  start[n] = e;
  return {start, column, value};
}

/** The linear predictor of row i: intercept + x·β. */
function linear(rows: SparseRows, i: number, w: Float64Array): number {
  let z = 0;
  for (let e = rows.start[i]; e < rows.start[i + 1]; e++) z += rows.value[e] * w[rows.column[e]];
  return z;
}

/**
 * Fits by Newton–Raphson with step halving. `X` is row-major n × p (no intercept
 * column: the intercept is added here), `y` holds 0/1. Each iteration forms the
 * gradient and the Hessian X'WX over each row's nonzero entries only.
 */
export function fitLogistic(X: ArrayLike<number>, y: ArrayLike<number>, n: number, p: number, options: LogisticOptions = {}): LogisticFit {
  const {ridge = 0, tolerance = 1e-10, stepTolerance = 1e-10, maxIterations = 100} = options;
  if (X.length !== n * p) throw new Error(`X has ${X.length} values, expected ${n} × ${p}`);
  const k = p + 1; // [intercept, β…]
  const rows = sparseRows(X, n, p);
  const {start, column, value} = rows;
  const w = new Float64Array(k);
  const lossAt = (ww: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const z = linear(rows, i, ww);
      // log(1 + e^z) − y z, computed stably
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
    for (let j = 1; j < k; j++) loss += (ridge / 2) * ww[j] * ww[j];
    return loss;
  };
  let loss = lossAt(w);
  let gradientMax = Infinity;
  let iterations = 0;
  const g = new Float64Array(k);
  const H = new Float64Array(k * k);
  for (; iterations < maxIterations; iterations++) {
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(linear(rows, i, w));
      const r = mu - y[i];
      const s = mu * (1 - mu);
      // Entries are in increasing column order, so (a, c) with c ≤ a fills the lower triangle.
      for (let ea = start[i]; ea < start[i + 1]; ea++) {
        const a = column[ea],
          xa = value[ea];
        g[a] += r * xa;
        const sa = s * xa;
        for (let ec = start[i]; ec <= ea; ec++) H[a * k + column[ec]] += sa * value[ec];
      }
    }
    for (let j = 1; j < k; j++) {
      g[j] += ridge * w[j];
      H[j * k + j] += ridge;
    }
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) H[c * k + a] = H[a * k + c];
    gradientMax = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (gradientMax < tolerance) break;
    const step = solveSpd(H, g, k);
    let t = 1;
    const next = new Float64Array(k);
    let nextLoss = Infinity;
    for (let half = 0; half < 30; half++, t /= 2) {
      for (let j = 0; j < k; j++) next[j] = w[j] - t * step[j];
      nextLoss = lossAt(next);
      if (nextLoss <= loss + 1e-12 * Math.abs(loss)) break;
    }
    // No step lowers the loss beyond its rounding: this is the optimum as far as doubles can tell.
    if (!(nextLoss <= loss + 1e-12 * Math.abs(loss))) break;
    w.set(next);
    loss = nextLoss;
    if (t === 1 && step.reduce((m, v) => Math.max(m, Math.abs(v)), 0) <= stepTolerance) {
      iterations++;
      break;
    }
  }
  return {intercept: w[0], coefficients: w.slice(1), iterations, gradientMax, loss};
}

/** Probabilities for row-major X (n × p). */
export function predictLogistic(
  fit: Pick<LogisticFit, "intercept" | "coefficients">,
  X: ArrayLike<number>,
  n: number,
  p: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = fit.intercept;
    for (let j = 0; j < p; j++) z += X[i * p + j] * fit.coefficients[j];
    out[i] = sigmoid(z);
  }
  return out;
}

/**
 * The Fisher information X'WX of [intercept, coefficients…] at a fit (W = μ(1 − μ) per row), as a
 * full symmetric k × k matrix, k = p + 1, unpenalised: the Hessian of the negative log-likelihood.
 * @example informationMatrix({intercept: 0, coefficients: [0]}, [1, -1], 2, 1) // [0.5, 0, 0, 0.5]
 */
export function informationMatrix(
  fit: {intercept: number; coefficients: ArrayLike<number>},
  X: ArrayLike<number>,
  n: number,
  p: number,
): Float64Array {
  const k = p + 1;
  const J = new Float64Array(k * k);
  const xi = new Float64Array(k);
  xi[0] = 1;
  for (let i = 0; i < n; i++) {
    let z = fit.intercept;
    for (let j = 0; j < p; j++) z += (xi[j + 1] = X[i * p + j]) * fit.coefficients[j];
    const mu = sigmoid(z);
    const s = mu * (1 - mu);
    for (let a = 0; a < k; a++) {
      if (xi[a] === 0) continue;
      const sa = s * xi[a];
      for (let c = 0; c <= a; c++) J[a * k + c] += sa * xi[c];
    }
  }
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) J[c * k + a] = J[a * k + c];
  return J;
}

/**
 * Standard errors of [intercept, coefficients…] at a fit: √diag(H⁻¹), where H is
 * the (penalised) Hessian of the negative log-likelihood. With a ridge penalty this
 * is the usual Laplace (posterior) approximation.
 */
export function standardErrors(
  fit: Pick<LogisticFit, "intercept" | "coefficients">,
  X: ArrayLike<number>,
  n: number,
  p: number,
  ridge = 0,
): Float64Array {
  const k = p + 1;
  const H = informationMatrix(fit, X, n, p);
  for (let j = 1; j < k; j++) H[j * k + j] += ridge;
  const se = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k);
    e[j] = 1;
    se[j] = Math.sqrt(solveSpd(Float64Array.from(H), e, k)[j]);
  }
  return se;
}
