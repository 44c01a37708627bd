/**
 * Input drift: the population stability index between the training contacts and a
 * later period, per feature. PSI = Σ (a_i − e_i) · ln(a_i / e_i) over bins, with
 * proportions floored at `floor` so an empty bin does not make it infinite.
 * Rules of thumb: < 0.1 little change, 0.1–0.25 some, > 0.25 a shift worth a look.
 *
 * @example psi([50, 50], [30, 70]) // 0.169…
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, floor = 1e-4): number {
  if (expected.length !== actual.length) throw new Error(`psi: ${expected.length} expected bins but ${actual.length} actual bins`);
  let te = 0,
    ta = 0;
  for (let i = 0; i < expected.length; i++) ((te += expected[i]), (ta += actual[i]));
  if (!(te > 0 && ta > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / te, floor),
      a = Math.max(actual[i] / ta, floor);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Bin edges at the training deciles (distinct values only), for numeric features. */
export function quantileEdges(values: ArrayLike<number>, bins = 10): number[] {
  const v = Float64Array.from(values as ArrayLike<number>)
    .filter(Number.isFinite)
    .sort();
  const edges: number[] = [];
  for (let q = 1; q < bins; q++) {
    const e = v[Math.floor((q * v.length) / bins)];
    if (e !== undefined && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return edges;
}

/** Counts per bin for the given edges: bin j holds edges[j-1] ≤ x < edges[j]; missing values get a bin of their own at the end. */
export function binCounts(values: ArrayLike<number>, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 2).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) {
      counts[edges.length + 1]++;
      continue;
    }
    let j = 0;
    while (j < edges.length && x >= edges[j]) j++;
    counts[j]++;
  }
  return counts;
}
