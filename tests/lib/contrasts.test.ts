// Contrasts of a penalised logistic fit (src/lib/contrasts.ts) against reference values
// computed here from first principles: the information matrix and the penalised Hessian
// built with plain loops, inverted by Gauss–Jordan elimination written below, the sandwich
// H⁻¹ J H⁻¹ and each contrast's variance Var(β_l) + Var(β_r) − 2 Cov(β_l, β_r). And the
// reparameterisation check: with a vanishing penalty, a contrast equals the coefficient of
// the unpenalised fit with the reference level dropped, interval included.
import {describe, expect, it} from "vitest";
import {fitLogistic, standardErrors} from "../../src/lib/logistic.ts";
import {seeded} from "../../src/lib/metrics.ts";
import {
  categoryBlocks,
  contrast,
  contrasts,
  estimable,
  penalisedCovariance,
  penaltyPull,
  singleCoefficient,
  summariseContrasts,
  type ColumnInfo,
} from "../../src/lib/contrasts.ts";

const LEVELS = ["a", "b", "c", "d"];
const SHARES = [0.1, 0.4, 0.3, 0.2]; // "b" is the most frequent
const EFFECT = [0.2, 0, 0.7, -0.6];

/** n rows: a 4-level category (one column per level, none dropped) and a standard-normal number; a seeded outcome. */
function fixture(n: number, seed: number) {
  const r = seeded(seed);
  const p = 5;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const level: number[] = [];
  for (let i = 0; i < n; i++) {
    let u = r(),
      g = 0;
    while (g < 3 && u >= SHARES[g]) u -= SHARES[g++];
    const x = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    X[i * p + g] = 1;
    X[i * p + 4] = x;
    const z = -0.4 + EFFECT[g] + 0.9 * x;
    y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    level.push(g);
  }
  const columns: ColumnInfo[] = [
    ...LEVELS.map((code) => ({name: `source=${code}`, variable: "source", kind: "one-hot", code})),
    {name: "x", variable: "x", kind: "scaled"},
  ];
  return {X, y, n, p, columns, level};
}

/** Gauss–Jordan inverse with partial pivoting of a k × k matrix given as rows. */
function gaussJordan(M: number[][]): number[][] {
  const k = M.length;
  const A = M.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    const d = A[c][c];
    for (let j = 0; j < 2 * k; j++) A[c][j] /= d;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c];
      for (let j = 0; j < 2 * k; j++) A[r][j] -= f * A[c][j];
    }
  }
  return A.map((row) => row.slice(k));
}

const matmul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, m) => s + a * B[m][j], 0)));

/** The sandwich covariance of [intercept, β…] at `fit`, by hand. */
function handSandwich(X: Float64Array, n: number, p: number, fit: {intercept: number; coefficients: ArrayLike<number>}, ridge: number) {
  const k = p + 1;
  const J = Array.from({length: k}, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) {
    const row = [1];
    for (let j = 0; j < p; j++) row.push(X[i * p + j]);
    let z = 0;
    for (let a = 0; a < k; a++) z += row[a] * (a === 0 ? fit.intercept : fit.coefficients[a - 1]);
    const mu = 1 / (1 + Math.exp(-z));
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) J[a][b] += mu * (1 - mu) * row[a] * row[b];
  }
  const H = J.map((row, a) => row.map((v, b) => v + (a === b && a > 0 ? ridge : 0)));
  const Hinv = gaussJordan(H);
  return {S: matmul(matmul(Hinv, J), Hinv), Hinv};
}

describe("contrasts against a first-principles computation (400 rows, 4 levels and a number, ridge 1)", () => {
  const f = fixture(400, 20240520);
  const ridge = 1;
  const fit = fitLogistic(f.X, f.y, f.n, f.p, {ridge});
  const cov = penalisedCovariance(fit, f.X, f.n, f.p, ridge);
  const [block] = categoryBlocks(f.columns, fit.coefficients, cov, f.X, f.n);
  const hand = handSandwich(f.X, f.n, f.p, fit, ridge);

  it("finds the category, counts each level's rows and takes the most frequent as the reference", () => {
    expect(block.variable).toBe("source");
    expect(block.levels.map((l) => l.code)).toEqual(LEVELS);
    LEVELS.forEach((_, g) => expect(block.levels[g].n).toBe(f.level.filter((x) => x === g).length));
    expect(block.levels.reduce((s, l) => s + l.n, 0)).toBe(f.n);
    const most = block.levels.reduce((m, l) => (l.n > m.n ? l : m));
    expect(block.reference).toBe(most.code);
    expect(block.levels.every((l) => l.with.length === 0)).toBe(true);
  });

  it("gives each contrast against every reference the estimate and interval of the hand-built sandwich", () => {
    for (let r = 0; r < 4; r++)
      for (let l = 0; l < 4; l++) {
        if (l === r) continue;
        const c = contrast(block, LEVELS[l], LEVELS[r]);
        const v = hand.S[l + 1][l + 1] + hand.S[r + 1][r + 1] - 2 * hand.S[l + 1][r + 1];
        expect(c.estimate).toBeCloseTo(fit.coefficients[l] - fit.coefficients[r], 12);
        expect(c.se / Math.sqrt(v)).toBeCloseTo(1, 9);
        expect(c.lo).toBeCloseTo(c.estimate - 1.959964 * Math.sqrt(v), 6);
        expect(c.hi).toBeCloseTo(c.estimate + 1.959964 * Math.sqrt(v), 6);
        // the penalty's pull: 1 − sandwich variance / H⁻¹ variance, small but positive here
        const vPrior = hand.Hinv[l + 1][l + 1] + hand.Hinv[r + 1][r + 1] - 2 * hand.Hinv[l + 1][r + 1];
        expect(c.shrinkage).toBeCloseTo(1 - v / vPrior, 9);
        expect(c.shrinkage).toBeGreaterThan(0);
        expect(c.shrinkage).toBeLessThan(0.2);
      }
  });

  it("the penalty's pull shrinks with the penalty: about ten times less at a tenth of the ridge", () => {
    const weak = fitLogistic(f.X, f.y, f.n, f.p, {ridge: ridge / 10});
    const [weakBlock] = categoryBlocks(f.columns, weak.coefficients, penalisedCovariance(weak, f.X, f.n, f.p, ridge / 10), f.X, f.n);
    for (const c of contrasts(block)) {
      const w = contrast(weakBlock, c.level, c.reference);
      expect(w.shrinkage).toBeGreaterThan(c.shrinkage / 15);
      expect(w.shrinkage).toBeLessThan(c.shrinkage / 7);
    }
  });

  it("H⁻¹ agrees with the project's standard errors, and the sandwich is the smaller of the two", () => {
    const se = standardErrors(fit, f.X, f.n, f.p, ridge);
    for (let j = 0; j <= f.p; j++) {
      expect(Math.sqrt(cov.hessianInverse[j * cov.k + j]) / se[j]).toBeCloseTo(1, 9);
      expect(cov.sandwich[j * cov.k + j]).toBeLessThan(cov.hessianInverse[j * cov.k + j]);
      for (let m = 0; m <= f.p; m++) expect(cov.sandwich[j * cov.k + m]).toBeCloseTo(hand.S[j][m], 10);
    }
  });

  it("keeps the number's own coefficient with the hand-built interval", () => {
    const s = singleCoefficient(fit.coefficients[4], cov, 4);
    expect(s.se / Math.sqrt(hand.S[5][5])).toBeCloseTo(1, 9);
    expect(s.lo < s.value && s.value < s.hi).toBe(true);
  });

  it("each contrast's interval is narrower than its level's coefficient alone under H⁻¹ (which the penalty alone pins down)", () => {
    for (const c of contrasts(block)) {
      const l = LEVELS.indexOf(c.level);
      const alone = 2 * 1.959964 * Math.sqrt(hand.Hinv[l + 1][l + 1]);
      expect(c.hi - c.lo).toBeLessThan(alone);
    }
  });

  it("summarises the levels against the reference: highest, lowest, how many beyond chance, the penalty's pull", () => {
    const s = summariseContrasts(block);
    expect(s.list.length).toBe(3);
    const sorted = [...s.list].sort((a, b) => b.estimate - a.estimate);
    expect(s.highest).toEqual(sorted[0]);
    expect(s.lowest).toEqual(sorted[2]);
    expect(s.beyondChance).toBe(s.list.filter((c) => c.lo > 0 || c.hi < 0).length);
    const pull = penaltyPull(s.list);
    expect(pull.count).toBe(3);
    expect(pull.largest!.shrinkage).toBe(Math.max(...s.list.map((c) => c.shrinkage)));
    expect(pull.notEstimable).toEqual([]);
  });

  it("the shrinkage is how much narrower each interval is than the unpenalised fit's (to within a fifth of it), at ridge 1 and 5", () => {
    for (const lambda of [1, 5]) {
      const pen = fitLogistic(f.X, f.y, f.n, f.p, {ridge: lambda});
      const [b] = categoryBlocks(f.columns, pen.coefficients, penalisedCovariance(pen, f.X, f.n, f.p, lambda), f.X, f.n);
      // unpenalised, reference coding with "b" dropped
      const keep = [0, 2, 3, 4];
      const Xr = new Float64Array(f.n * keep.length);
      for (let i = 0; i < f.n; i++) keep.forEach((j, m) => (Xr[i * keep.length + m] = f.X[i * f.p + j]));
      const free = fitLogistic(Xr, f.y, f.n, keep.length);
      const se = standardErrors(free, Xr, f.n, keep.length, 0);
      ["a", "c", "d"].forEach((level, m) => {
        const c = contrast(b, level, "b");
        expect(Math.abs(c.se / se[m + 1] - (1 - c.shrinkage))).toBeLessThan(c.shrinkage / 5);
        // and the penalised estimate lies between 0 and the unpenalised one
        expect(c.estimate / free.coefficients[m]).toBeGreaterThan(0);
        expect(c.estimate / free.coefficients[m]).toBeLessThan(1);
      });
    }
  });

  it("names the level it does not know", () => {
    expect(() => contrast(block, "z")).toThrow(/source has no level "z"; known: a, b, c, d/);
  });
});

describe("with a vanishing penalty, a contrast is the unpenalised coefficient with the reference level dropped", () => {
  const f = fixture(600, 7);
  const tiny = 1e-7;
  const full = fitLogistic(f.X, f.y, f.n, f.p, {ridge: tiny, tolerance: 1e-12});
  const cov = penalisedCovariance(full, f.X, f.n, f.p, tiny);
  const [block] = categoryBlocks(f.columns, full.coefficients, cov, f.X, f.n);

  it.each([0, 1, 2, 3])("reference level %i: estimates to 1e-4, standard errors to 1e-4 (relative)", (r) => {
    // Reference coding: drop the reference's column; the others become differences from it.
    const keep = [0, 1, 2, 3, 4].filter((j) => j !== r);
    const pr = keep.length;
    const Xr = new Float64Array(f.n * pr);
    for (let i = 0; i < f.n; i++) keep.forEach((j, m) => (Xr[i * pr + m] = f.X[i * f.p + j]));
    const reduced = fitLogistic(Xr, f.y, f.n, pr);
    const se = standardErrors(reduced, Xr, f.n, pr, 0);
    keep.forEach((j, m) => {
      if (j === 4) {
        const s = singleCoefficient(full.coefficients[4], cov, 4);
        expect(Math.abs(s.value - reduced.coefficients[m])).toBeLessThan(1e-4);
        expect(Math.abs(s.se / se[m + 1] - 1)).toBeLessThan(1e-4);
        return;
      }
      const c = contrast(block, LEVELS[j], LEVELS[r]);
      expect(Math.abs(c.estimate - reduced.coefficients[m])).toBeLessThan(1e-4);
      expect(Math.abs(c.se / se[m + 1] - 1)).toBeLessThan(1e-4);
      expect(c.shrinkage).toBeLessThan(1e-4);
    });
  });
});

describe("a column always equal to a level (e.g. a main concern always also listed as a concern)", () => {
  const f = fixture(500, 99);
  // Add "flag" = the rows at level "d": only the sum of the two coefficients is identified.
  const p = f.p + 1;
  const X = new Float64Array(f.n * p);
  for (let i = 0; i < f.n; i++) {
    for (let j = 0; j < f.p; j++) X[i * p + j] = f.X[i * f.p + j];
    X[i * p + f.p] = f.X[i * f.p + 3];
  }
  const columns = [...f.columns, {name: "flag", variable: "flag", kind: "flag"}];

  it("adds the twin's coefficient into the level's contrasts, which then match the fit without the twin; alone, each is set by the penalty", () => {
    const tiny = 1e-7;
    const fit = fitLogistic(X, f.y, f.n, p, {ridge: tiny, tolerance: 1e-12});
    const cov = penalisedCovariance(fit, X, f.n, p, tiny);
    const [block] = categoryBlocks(columns, fit.coefficients, cov, X, f.n);
    expect(block.columns).toEqual(["source=a", "source=b", "source=c", "source=d", "flag"]);
    expect(block.levels[3].with).toEqual([4]);
    // The same model without the twin, in reference coding (reference b).
    const keep = [0, 2, 3, 4];
    const Xr = new Float64Array(f.n * keep.length);
    for (let i = 0; i < f.n; i++) keep.forEach((j, m) => (Xr[i * keep.length + m] = f.X[i * f.p + j]));
    const reduced = fitLogistic(Xr, f.y, f.n, keep.length);
    const se = standardErrors(reduced, Xr, f.n, keep.length, 0);
    for (const [m, level] of [
      [0, "a"],
      [1, "c"],
      [2, "d"],
    ] as const) {
      const c = contrast(block, level, "b");
      expect(Math.abs(c.estimate - reduced.coefficients[m])).toBeLessThan(1e-4);
      expect(Math.abs(c.se / se[m + 1] - 1)).toBeLessThan(1e-4);
      expect(estimable(c)).toBe(true);
    }
    expect(contrast(block, "d", "b").with).toEqual(["flag"]);
    // and with the twin on the reference's side
    expect(contrast(block, "b", "d").estimate).toBeCloseTo(-contrast(block, "d", "b").estimate, 12);
    // Alone, the twin's coefficient is the penalty's split of the shared effect: shrinkage ≈ 1.
    const alone = singleCoefficient(fit.coefficients[f.p], cov, f.p);
    expect(alone.shrinkage).toBeGreaterThan(0.99);
    expect(estimable({n: 1, ...alone})).toBe(false);
  });
});
