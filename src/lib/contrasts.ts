/**
 * Coefficients of a penalised logistic fit that the data identify, with honest intervals.
 *
 * The encoding keeps every level of a category beside the intercept (src/lib/features.ts), so
 * a level's coefficient alone is pinned down only by the ridge penalty: adding c to the
 * intercept and −c to every level of a category leaves every score unchanged. What the data do
 * identify is the difference between two levels of one category — a contrast against a
 * reference level, β_level − β_ref, with variance Var(β_level) + Var(β_ref) − 2·Cov.
 *
 * Covariance: the sandwich H⁻¹ J H⁻¹ at the fit, where J = X'WX is the information in the
 * data (W = μ(1 − μ), intercept included) and H = J + λ·P the Hessian of the penalised loss
 * (P: identity without the intercept). It is the sampling covariance of the penalised estimate
 * itself (an M-estimator), so it is zero along the directions the data cannot see (the
 * intercept/level trade-off above) and does not mix the penalty's prior width 1/λ into the
 * contrasts. H⁻¹ alone (the Laplace/posterior covariance) adds that prior width: it is what
 * made single coefficients' intervals several times too wide. Both are kept: 1 − (sandwich
 * variance ÷ H⁻¹ variance) is about how much the penalty pulls an estimate towards zero
 * (exactly λ/(I + λ) for one parameter with information I); near 1 it means the estimate is
 * set by the penalty, not by the data (a level never seen, or two columns that always
 * coincide). The intervals are centred on the penalised (pulled) estimate.
 *
 * Pure (no tensors, no DOM): the loader computes the covariance once; the Explanations page
 * recomputes contrasts against any reference level from each category's covariance block.
 *
 * @example
 *   const cov = penalisedCovariance(fit, X, n, p, 1);
 *   const blocks = categoryBlocks(columns, fit.coefficients, cov, X, n);
 *   contrast(blocks[0], "school", blocks[0].reference) // {estimate, se, lo, hi, shrinkage, …}
 */
import {informationMatrix, solveSpd} from "./logistic.js";

/** k × k row-major matrices over [intercept, β…] (k = p + 1). */
export interface PenalisedCovariance {
  k: number;
  /** J = X'WX: the information in the data */
  information: Float64Array;
  /** H⁻¹ with H = J + λP: the Laplace (posterior) covariance */
  hessianInverse: Float64Array;
  /** H⁻¹ J H⁻¹: the sampling covariance of the penalised estimate (the one the intervals use) */
  sandwich: Float64Array;
  ridge: number;
}

/**
 * The inverse of a symmetric positive-definite k × k matrix (column by column, Cholesky solves).
 * @example invertSpd([4, 2, 2, 3], 2) // [0.375, -0.25, -0.25, 0.5]
 */
export function invertSpd(A: ArrayLike<number>, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k);
    e[j] = 1;
    const col = solveSpd(Float64Array.from(A), e, k);
    for (let i = 0; i < k; i++) inv[i * k + j] = col[i];
  }
  // symmetrise (the two triangles differ only by rounding)
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) inv[i * k + j] = inv[j * k + i] = (inv[i * k + j] + inv[j * k + i]) / 2;
  return inv;
}

/** A · B for k × k row-major matrices. */
function multiply(A: Float64Array, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let m = 0; m < k; m++) {
      const a = A[i * k + m];
      if (a === 0) continue;
      for (let j = 0; j < k; j++) C[i * k + j] += a * B[m * k + j];
    }
  return C;
}

/**
 * Information, H⁻¹ and sandwich covariance of [intercept, coefficients…] at a fit of the
 * loss Σ log-loss + λ/2 · Σβ² (src/lib/logistic.ts), on the rows it was fitted to.
 * @example const {sandwich, k} = penalisedCovariance(fit, X, n, p, 1); Math.sqrt(sandwich[1 * k + 1]) // SE of the first coefficient
 */
export function penalisedCovariance(
  fit: {intercept: number; coefficients: ArrayLike<number>},
  X: ArrayLike<number>,
  n: number,
  p: number,
  ridge: number,
): PenalisedCovariance {
  const k = p + 1;
  const J = informationMatrix(fit, X, n, p);
  const H = Float64Array.from(J);
  for (let j = 1; j < k; j++) H[j * k + j] += ridge;
  const Hinv = invertSpd(H, k);
  const S = multiply(multiply(Hinv, J, k), Hinv, k);
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) S[i * k + j] = S[j * k + i] = (S[i * k + j] + S[j * k + i]) / 2;
  return {k, information: J, hessianInverse: Hinv, sandwich: S, ridge};
}

/** The encoded column facts the blocks need (a subset of src/lib/features.ts Column). */
export interface ColumnInfo {
  name: string;
  variable: string;
  kind: string;
  code?: string;
}

/** The code of a category's missing-value column (its columns then cover every row). */
export const MISSING_LEVEL = "(missing)";

/**
 * The other columns equal to column `j` on every fitted row (none when `j` is all zeros): the
 * data identify only the sum of their coefficients (e.g. a main concern that is always also
 * recorded among the concerns).
 * @example identicalColumns([1, 1, 0, 0], 2, 2, 0) // [1]: column 1 equals column 0 on both rows
 */
export function identicalColumns(X: ArrayLike<number>, n: number, p: number, j: number): number[] {
  let any = false;
  for (let i = 0; i < n && !any; i++) any = X[i * p + j] !== 0;
  if (!any) return [];
  const out: number[] = [];
  for (let m = 0; m < p; m++) {
    if (m === j) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = X[i * p + m] === X[i * p + j];
    if (same) out.push(m);
  }
  return out;
}

/** One category: its levels' coefficients and the covariance block contrasts need. */
export interface CategoryBlock {
  variable: string;
  /** each level: its code, column, rows holding it, coefficient, and the columns always equal to it (`with`, indices into `columns`) */
  levels: {code: string; column: string; n: number; value: number; with: number[]}[];
  /** the default reference level: the most frequent in the fitted rows */
  reference: string;
  /** rows the block was fitted on (the levels' n add up to it when the columns cover every row) */
  n: number;
  /** the block's columns: the levels' first (same order), then any column a level always coincides with */
  columns: string[];
  /** coefficient of each block column */
  values: number[];
  /** sandwich covariance of the block columns' coefficients */
  cov: number[][];
  /** H⁻¹ covariance of the same (for the shrinkage check and the single-coefficient comparison) */
  covPrior: number[][];
}

/** A contrast of one level against a reference: estimate, 95% interval, n of each side. */
export interface Contrast {
  level: string;
  reference: string;
  estimate: number;
  se: number;
  lo: number;
  hi: number;
  n: number;
  nReference: number;
  /** ≈ how far the penalty pulls the estimate towards 0 (0 none, 1 all): 1 − Var_sandwich / Var_H⁻¹ */
  shrinkage: number;
  /** columns whose coefficients are added in because they always coincide with the level or the reference */
  with: string[];
}

const Z95 = 1.959963984540054;

/**
 * Groups a fit's one-hot columns (and each category's missing column) by variable, with the
 * rows holding each level (from X, the fitted rows, n × p) and the covariance blocks.
 * @example categoryBlocks(features.columns, fit.coefficients, cov, X, n)[0].reference // "police"
 */
export function categoryBlocks(
  columns: ColumnInfo[],
  coefficients: ArrayLike<number>,
  cov: PenalisedCovariance,
  X: ArrayLike<number>,
  n: number,
): CategoryBlock[] {
  const p = columns.length;
  const categorical = new Set(columns.filter((c) => c.kind === "one-hot").map((c) => c.variable));
  const blocks: CategoryBlock[] = [];
  for (const variable of categorical) {
    const idx = columns
      .map((c, j) => (c.variable === variable && (c.kind === "one-hot" || c.kind === "missing") ? j : -1))
      .filter((j) => j >= 0);
    const all = [...idx];
    const levels = idx.map((j) => {
      let count = 0;
      for (let i = 0; i < n; i++) count += X[i * p + j];
      const same = identicalColumns(X, n, p, j).filter((m) => !idx.includes(m));
      for (const m of same) if (!all.includes(m)) all.push(m);
      return {
        code: columns[j].kind === "missing" ? MISSING_LEVEL : String(columns[j].code),
        column: columns[j].name,
        n: count,
        value: coefficients[j],
        with: same.map((m) => all.indexOf(m)),
      };
    });
    const block = (M: Float64Array) => all.map((a) => all.map((b) => M[(a + 1) * cov.k + (b + 1)]));
    const reference = levels.reduce((best, l) => (l.n > best.n ? l : best), levels[0]).code;
    blocks.push({
      variable,
      levels,
      reference,
      n,
      columns: all.map((j) => columns[j].name),
      values: all.map((j) => coefficients[j]),
      cov: block(cov.sandwich),
      covPrior: block(cov.hessianInverse),
    });
  }
  return blocks;
}

/**
 * One level against a reference level of the same category (any reference: the page lets the
 * reader pick): β_level − β_ref, plus the coefficients of columns either always coincides with.
 * @example contrast(block, "anonymous", "police") // {estimate: -0.235, lo: -0.376, hi: -0.094, n: 1805, …}
 */
export function contrast(block: CategoryBlock, level: string, reference: string = block.reference): Contrast {
  const a = block.levels.findIndex((l) => l.code === level);
  const r = block.levels.findIndex((l) => l.code === reference);
  if (a < 0 || r < 0)
    throw new Error(`${block.variable} has no level "${a < 0 ? level : reference}"; known: ${block.levels.map((l) => l.code).join(", ")}`);
  const w = new Array<number>(block.columns.length).fill(0);
  if (a !== r) {
    for (const m of [a, ...block.levels[a].with]) w[m] += 1;
    for (const m of [r, ...block.levels[r].with]) w[m] -= 1;
  }
  const quad = (M: number[][]) => {
    let s = 0;
    w.forEach((x, i) => x && w.forEach((y, j) => y && (s += x * y * M[i][j])));
    return Math.max(0, s);
  };
  const v = quad(block.cov);
  const vPrior = quad(block.covPrior);
  const estimate = w.reduce((s, x, i) => s + x * block.values[i], 0);
  const se = Math.sqrt(v);
  return {
    level,
    reference,
    estimate,
    se,
    lo: estimate - Z95 * se,
    hi: estimate + Z95 * se,
    n: block.levels[a].n,
    nReference: block.levels[r].n,
    shrinkage: vPrior === 0 ? 0 : Math.min(1, Math.max(0, 1 - v / vPrior)),
    with: a === r ? [] : [...new Set([...block.levels[a].with, ...block.levels[r].with])].map((m) => block.columns[m]),
  };
}

/**
 * Every other level of the block against `reference`, in the block's order.
 * @example contrasts(block, "school").map((c) => c.level) // ["police", "health", …]
 */
export function contrasts(block: CategoryBlock, reference: string = block.reference): Contrast[] {
  return block.levels.filter((l) => l.code !== reference).map((l) => contrast(block, l.code, reference));
}

/**
 * A single coefficient with its sandwich interval (for columns the data identify alone:
 * numbers per standard deviation, yes/no flags, each item of a multi-category variable).
 * `j` is the column's index among the coefficients (0-based, intercept excluded).
 * @example singleCoefficient(fit.coefficients[3], cov, 3) // {value, se, lo, hi, shrinkage}
 */
export function singleCoefficient(value: number, cov: PenalisedCovariance, j: number) {
  const d = (j + 1) * cov.k + (j + 1);
  const se = Math.sqrt(cov.sandwich[d]);
  const prior = cov.hessianInverse[d];
  return {
    value,
    se,
    lo: value - Z95 * se,
    hi: value + Z95 * se,
    shrinkage: prior > 0 ? Math.min(1, Math.max(0, 1 - cov.sandwich[d] / prior)) : 0,
  };
}

/** Above this shrinkage an estimate is the penalty's, not the data's: the page shows it without an interval. */
export const SET_BY_PENALTY = 0.5;

/**
 * Whether the data estimate it: training contacts on both sides, and not set by the penalty.
 * @example estimable({n: 60, nReference: 900, shrinkage: 0.998}) // false
 */
export const estimable = (c: {n: number; nReference?: number; shrinkage: number}): boolean =>
  c.n > 0 && (c.nReference ?? 1) > 0 && c.shrinkage <= SET_BY_PENALTY;

/**
 * Every level against `reference`, with the estimable levels that raise and lower the score
 * most and how many differ from the reference beyond chance (95% interval excluding 0).
 *
 * @example summariseContrasts(block).highest?.level // "la_services"
 */
export function summariseContrasts(block: CategoryBlock, reference: string = block.reference) {
  const list = contrasts(block, reference);
  const ok = list.filter(estimable).sort((a, b) => b.estimate - a.estimate);
  return {
    list,
    highest: ok[0] ?? null,
    lowest: ok.at(-1) ?? null,
    estimable: ok.length,
    beyondChance: ok.filter((c) => c.lo > 0 || c.hi < 0).length,
  };
}

/**
 * How far the penalty pulls a set of estimates towards zero: how many are pulled under 1%,
 * the largest pull among those the data estimate, and those it sets (not estimable).
 *
 * @example penaltyPull([{label: "Age", n: 900, shrinkage: 0.002}]).underOnePercent // 1
 */
export function penaltyPull<T extends {n: number; nReference?: number; shrinkage: number}>(items: T[]) {
  const ok = items.filter(estimable);
  return {
    count: ok.length,
    underOnePercent: ok.filter((i) => i.shrinkage < 0.01).length,
    largest: ok.reduce<T | null>((m, i) => (m === null || i.shrinkage > m.shrinkage ? i : m), null),
    notEstimable: items.filter((i) => !estimable(i)),
  };
}
