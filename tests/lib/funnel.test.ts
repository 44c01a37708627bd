import {describe, expect, it} from "vitest";
import {
  chanceOutside,
  funnelCurve,
  funnelUnit,
  normalCdf,
  overdispersion,
  ratioLimits,
  shiftProbability,
  shiftToTotal,
  unitCounts,
  Z95,
  Z998,
} from "../../src/lib/funnel.ts";

describe("funnel limits", () => {
  it("O/E limits are 1 ± z·√V/E (hand-computed: E = 300, V = 210)", () => {
    // √210 = 14.4913767; 1.959964 × 14.4913767 / 300 = 0.0946753; 3.090232 × 14.4913767 / 300 = 0.1492724
    const [lo95, hi95] = ratioLimits(300, 210, Z95);
    expect(lo95).toBeCloseTo(1 - 0.0946753, 6);
    expect(hi95).toBeCloseTo(1 + 0.0946753, 6);
    const [lo998, hi998] = ratioLimits(300, 210, Z998);
    expect(lo998).toBeCloseTo(0.8507276, 6);
    expect(hi998).toBeCloseTo(1.1492724, 6);
  });

  it("the quantiles are those of the two-sided 95% and 99.8% normal", () => {
    expect(chanceOutside(Z95)).toBeCloseTo(0.05, 6);
    expect(chanceOutside(Z998)).toBeCloseTo(0.002, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
  });

  it("a unit's z, ratio and flag: 330 shared where 300 expected is outside 95% only; 350 is outside 99.8%", () => {
    const a = funnelUnit({unit: "a", n: 1000, observed: 330, expected: 300, variance: 210});
    expect(a.ratio).toBeCloseTo(1.1, 12);
    expect(a.z).toBeCloseTo(2.0701967, 6);
    expect([a.outside95, a.outside998, a.flag]).toEqual([true, false, null]);
    const b = funnelUnit({unit: "b", n: 1000, observed: 350, expected: 300, variance: 210});
    expect(b.z).toBeCloseTo(3.4503278, 6);
    expect([b.outside998, b.flag]).toEqual([true, "high"]);
    expect(b.ratio).toBeGreaterThan(b.hi998);
    const c = funnelUnit({unit: "c", n: 1000, observed: 250, expected: 300, variance: 210});
    expect(c.flag).toBe("low");
    expect(c.ratio).toBeLessThan(c.lo998);
  });

  it("the funnel curve at n uses n·p̄ and n·v̄, and narrows as n grows", () => {
    const curve = funnelCurve(0.3, 0.21, 100, 10000, 3);
    expect(curve.map((c) => c.n)).toEqual([expect.closeTo(100, 6), expect.closeTo(1000, 6), expect.closeTo(10000, 6)]);
    expect(curve[1].hi95).toBeCloseTo(1.0946753, 6);
    expect(curve[1].lo998).toBeCloseTo(0.8507276, 6);
    expect(curve[0].hi998 - curve[0].lo998).toBeGreaterThan(curve[2].hi998 - curve[2].lo998);
  });

  it("unitCounts sums n, O, E and V per unit", () => {
    const u = unitCounts(["b", "a", "b"], [1, 0, 0], [0.5, 0.2, 0.1]);
    expect(u).toEqual([
      {unit: "a", n: 1, observed: 0, expected: 0.2, variance: expect.closeTo(0.16, 12)},
      {unit: "b", n: 2, observed: 1, expected: expect.closeTo(0.6, 12), variance: expect.closeTo(0.25 + 0.09, 12)},
    ]);
  });
});

describe("over-dispersion", () => {
  it("φ is the mean squared z; τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw) (hand-computed)", () => {
    // Five units, E = 100, V = 25 (s = 0.05, w = 400), z = −2…2: φ = 10/5 = 2, τ² = (10 − 4)/(2000 − 400) = 0.00375.
    const units = [-2, -1, 0, 1, 2].map((z, i) => funnelUnit({unit: `u${i}`, n: 400, observed: 100 + 5 * z, expected: 100, variance: 25}));
    const o = overdispersion(units, 0);
    expect(o.phi).toBeCloseTo(2, 12);
    expect(o.tau).toBeCloseTo(Math.sqrt(0.00375), 12);
  });

  it("winsorising stops one extreme unit from inflating φ; no over-dispersion gives τ = 0", () => {
    const zs = [-0.5, -0.3, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 15];
    const units = zs.map((z, i) => funnelUnit({unit: `u${i}`, n: 400, observed: 100 + 5 * z, expected: 100, variance: 25}));
    expect(overdispersion(units, 0).phi).toBeGreaterThan(20);
    const w = overdispersion(units, 0.1);
    expect(w.phi).toBeLessThan(1);
    expect(w.tau).toBe(0);
  });
});

describe("recalibration in the large", () => {
  it("finds the log-odds shift that makes the expected total equal the target", () => {
    expect(shiftToTotal([0.5, 0.5], 1)).toBeCloseTo(0, 12);
    expect(shiftToTotal([0.5, 0.5, 0.5, 0.5], 3)).toBeCloseTo(Math.log(3), 9); // logit(0.75)
    const p = [0.1, 0.2, 0.7, 0.05, 0.4];
    const d = shiftToTotal(p, 2);
    expect(p.reduce((a, x) => a + shiftProbability(x, d), 0)).toBeCloseTo(2, 9);
  });

  it("refuses a target no shift can reach", () => {
    expect(() => shiftToTotal([0.2, 0.3], 2)).toThrow(/strictly between 0 and 2/);
  });
});
