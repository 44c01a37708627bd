// The Fairness page's adjusted ratio intervals and verdicts, against reference values worked out
// here from first principles: a fixture of three groups (and a fourth too small to judge) with
// chosen confusion counts, Katz's log interval written out by hand, and Bonferroni multipliers
// taken from scipy (quoted below), not from the code under test.
import {describe, expect, it} from "vitest";
import {bonferroniZ, normalQuantile, toleranceVerdict} from "../../src/lib/fairness.ts";
import {fairnessAdjustment, fairnessTable, formatRatio, verdictCounts, type View} from "../../src/lib/eval-view.ts";

/** scipy.stats.norm.ppf(p) for these p (scipy 1.17). */
const SCIPY_PPF: [number, number][] = [
  [0.5, 0],
  [0.6, 0.2533471031357997],
  [0.9, 1.2815515655446004],
  [0.975, 1.959963984540054],
  [0.99, 2.3263478740408408],
  [0.999, 3.090232306167813],
  [0.9999, 3.719016485455709],
  [1e-6, -4.753424308822899],
  [0.02, -2.053748910631823],
  [0.03, -1.880793608151251],
];
/** scipy.stats.norm.ppf(1 - 0.05 / (2 * m)): Bonferroni multipliers for m comparisons at 95% together. */
const BONFERRONI: Record<number, number> = {1: 1.959963984540054, 3: 2.3939797998185104, 6: 2.638257273476751, 15: 2.935199468866699};

/** Rows of one group with the given confusion counts (flag 1 = flagged likely, y 1 = staff shared). */
function fixture(groups: Record<string, {tp: number; fp: number; tn: number; fn: number}>): {v: View; flagged: number[]} {
  const y: number[] = [],
    flagged: number[] = [],
    group: string[] = [];
  for (const [g, c] of Object.entries(groups))
    for (const [yi, fi, count] of [
      [1, 1, c.tp],
      [0, 1, c.fp],
      [0, 0, c.tn],
      [1, 0, c.fn],
    ])
      for (let i = 0; i < count; i++) (y.push(yi), flagged.push(fi), group.push(g));
  const n = y.length;
  const v: View = {
    n,
    day: Array(n).fill("2018-07-01"),
    month: Array(n).fill("2018-07"),
    y,
    score: flagged.map((f) => (f ? 0.8 : 0.1)),
    band: flagged.map((f) => (f ? 18 : 2)),
    household: Array(n).fill(0),
    groups: {group},
  };
  return {v, flagged};
}

// a (the reference, the largest): FPR 600/6000 = 0.1, FNR 300/1500 = 0.2, PPV 1200/1800
// b: the same rates on 5,000 contacts; c: FPR 0.5, FNR 0.25, PPV 0.5; d: 10 contacts, too few to judge
const {v, flagged} = fixture({
  a: {tp: 1200, fp: 600, tn: 5400, fn: 300},
  b: {tp: 800, fp: 400, tn: 3600, fn: 200},
  c: {tp: 150, fp: 150, tn: 150, fn: 50},
  d: {tp: 2, fp: 2, tn: 4, fn: 2},
});

/** Katz's interval for (k1/n1) ÷ (k0/n0) with multiplier z, written out. */
function katz(k1: number, n1: number, k0: number, n0: number, z: number) {
  const ratio = k1 / n1 / (k0 / n0);
  const se = Math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0);
  return {ratio, lo: Math.exp(Math.log(ratio) - z * se), hi: Math.exp(Math.log(ratio) + z * se)};
}

describe("normalQuantile and bonferroniZ", () => {
  it.each(SCIPY_PPF)("Φ⁻¹(%f) equals scipy's %f to 1e-8", (p, q) => {
    expect(Math.abs(normalQuantile(p) - q)).toBeLessThan(1e-8);
  });
  it.each(Object.entries(BONFERRONI))("m = %s comparisons: z equals scipy's %f", (m, z) => {
    expect(Math.abs(bonferroniZ(Number(m)) - z)).toBeLessThan(1e-8);
  });
  it("refuses p outside (0, 1); no comparison at all is one comparison", () => {
    expect(() => normalQuantile(1)).toThrow(/strictly between 0 and 1/);
    expect(Math.abs(bonferroniZ(0) - BONFERRONI[1])).toBeLessThan(1e-8);
  });
});

describe("fairnessTable: ratios with Bonferroni-adjusted Katz intervals and verdicts", () => {
  const table = fairnessTable(v, ["group"], flagged);
  const row = (g: string) => table.find((r) => r.group === g)!;
  const z = BONFERRONI[6]; // b and c judged (d too few, a the reference) × FPR, FNR, PPV = 6 comparisons

  it("counts the comparisons shown: groups judged × 3 rates; the reference and the too-small group are not judged", () => {
    expect(row("a").reference).toBe(true);
    expect(row("d").tooFew).toBe(true);
    const adj = fairnessAdjustment(table);
    expect(adj.comparisons).toBe(6);
    expect(Math.abs(adj.z - z)).toBeLessThan(1e-8);
    expect(adj.level).toBeCloseTo(1 - 0.05 / 6, 12);
  });

  it("each ratio interval equals Katz's, worked out by hand with the Bonferroni z", () => {
    const expected = {
      b: {fpr: katz(400, 4000, 600, 6000, z), fnr: katz(200, 1000, 300, 1500, z), ppv: katz(800, 1200, 1200, 1800, z)},
      c: {fpr: katz(150, 300, 600, 6000, z), fnr: katz(50, 200, 300, 1500, z), ppv: katz(150, 300, 1200, 1800, z)},
    };
    for (const [g, metrics] of Object.entries(expected))
      for (const [m, e] of Object.entries(metrics)) {
        const got = row(g)[`${m as "fpr" | "fnr" | "ppv"}Ratio`];
        expect(got.ratio, `${g} ${m}`).toBeCloseTo(e.ratio, 12);
        expect(got.lo, `${g} ${m}`).toBeCloseTo(e.lo, 7);
        expect(got.hi, `${g} ${m}`).toBeCloseTo(e.hi, 7);
      }
    // Wider than the unadjusted 95% interval.
    const plain = katz(400, 4000, 600, 6000, BONFERRONI[1]);
    expect(row("b").fprRatio.lo).toBeLessThan(plain.lo);
    expect(row("b").fprRatio.hi).toBeGreaterThan(plain.hi);
  });

  it("verdicts at 0.8–1.25: inside is within, beyond is outside, spanning a bound is too few to tell", () => {
    // b: equal rates; the by-hand intervals (FPR 0.851–1.175, FNR 0.806–1.240, PPV 0.933–1.072) lie inside.
    expect([row("b").fprRatio.verdict, row("b").fnrRatio.verdict, row("b").ppvRatio.verdict]).toEqual([
      "within tolerance",
      "within tolerance",
      "within tolerance",
    ]);
    // c: FPR ratio 5 (4.16–6.01) beyond 1.25; FNR 1.25 and PPV 0.75 with intervals across a bound.
    expect([row("c").fprRatio.verdict, row("c").fnrRatio.verdict, row("c").ppvRatio.verdict]).toEqual([
      "outside tolerance",
      "too few to tell",
      "too few to tell",
    ]);
    expect(row("d").fprRatio.verdict).toBe("too few to tell");
    expect(verdictCounts(table, "fpr")).toEqual({within: 1, outside: 1, tooFew: 1, of: 3});
    expect(formatRatio(row("c").fprRatio)).toMatch(/^5\.00 \(4\.\d\d–6\.0\d\): outside tolerance$/);
    expect(formatRatio(row("d").fprRatio, row("d").tooFew)).toBe("too few to tell");
  });

  it("a wider tolerance turns c's FNR (1.25) within when its whole interval fits, and a narrower one turns b's out of reach", () => {
    const fnr = katz(50, 200, 300, 1500, z);
    const wide = fairnessTable(v, ["group"], flagged, {tolerance: [1 / (fnr.hi + 0.01), fnr.hi + 0.01]});
    expect(wide.find((r) => r.group === "c")!.fnrRatio.verdict).toBe("within tolerance");
    const narrow = fairnessTable(v, ["group"], flagged, {tolerance: [0.95, 1 / 0.95]});
    expect(narrow.find((r) => r.group === "b")!.fprRatio.verdict).toBe("too few to tell");
  });

  it("another reference changes the comparisons and the ratios, not the count of comparisons", () => {
    const t = fairnessTable(v, ["group"], flagged, {reference: "b"});
    expect(t.find((r) => r.group === "b")!.reference).toBe(true);
    expect(fairnessAdjustment(t).comparisons).toBe(6);
    const a = t.find((r) => r.group === "a")!.fprRatio;
    const e = katz(600, 6000, 400, 4000, z);
    expect(a.lo).toBeCloseTo(e.lo, 7);
    expect(a.hi).toBeCloseTo(e.hi, 7);
  });

  it("toleranceVerdict on its own: bounds inclusive, NaN too few to tell", () => {
    expect(toleranceVerdict({ratio: 1, lo: 0.8, hi: 1.25})).toBe("within tolerance");
    expect(toleranceVerdict({ratio: 0.5, lo: 0.4, hi: 0.79})).toBe("outside tolerance");
    expect(toleranceVerdict({ratio: NaN, lo: NaN, hi: NaN})).toBe("too few to tell");
    expect(toleranceVerdict({ratio: 1, lo: 0.9, hi: 1.1}, [0.8, 1.25], true)).toBe("too few to tell");
  });
});
