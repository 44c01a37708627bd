// The outcome test's pieces on small fixtures: Newcombe's interval against the published values,
// re-contacts with ties and censoring counted by hand, counts per group, the readings, and the
// interval's coverage in a seeded simulation.
import {describe, expect, it} from "vitest";
import {
  compareOutcomes,
  minimumDetectable,
  newcombeDifference,
  outcomeCounts,
  recontacts,
  type OutcomeCounts,
} from "../../src/lib/outcome-test.ts";

describe("newcombeDifference (hybrid score interval)", () => {
  // Newcombe RG (1998), Interval estimation for the difference between independent proportions:
  // comparison of eleven methods. Statistics in Medicine 17:873–890, Table II, method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0],
  ])("%i/%i − %i/%i: the published interval (%f, %f)", (k1, n1, k0, n0, lo, hi) => {
    const d = newcombeDifference(k1, n1, k0, n0);
    expect(d.value).toBeCloseTo(k1 / n1 - k0 / n0, 12);
    expect(d.lo).toBeCloseTo(lo, 4);
    expect(d.hi).toBeCloseTo(hi, 4);
  });

  it("is NaN without contacts on one side, and wider with a larger z", () => {
    expect(newcombeDifference(0, 0, 3, 10).value).toBeNaN();
    const a = newcombeDifference(30, 100, 20, 100);
    const b = newcombeDifference(30, 100, 20, 100, 2.638257273476751);
    expect(b.lo).toBeLessThan(a.lo);
    expect(b.hi).toBeGreaterThan(a.hi);
  });

  it("covers the true difference about 95 times in 100 (seeded simulation, 2,000 pairs of samples)", () => {
    let s = 12345;
    const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const draw = (p: number, n: number) => {
      let k = 0;
      for (let i = 0; i < n; i++) k += uniform() < p ? 1 : 0;
      return k;
    };
    let covered = 0;
    const reps = 2000;
    for (let r = 0; r < reps; r++) {
      const d = newcombeDifference(draw(0.25, 300), 300, draw(0.2, 2000), 2000);
      if (d.lo <= 0.05 && 0.05 <= d.hi) covered++;
    }
    // 95% ± 3 standard errors of a proportion over 2,000 replicates (±1.5%)
    expect(covered / reps).toBeGreaterThan(0.935);
    expect(covered / reps).toBeLessThan(0.965);
  });
});

describe("minimumDetectable", () => {
  it("is (z₀.₉₇₅ + z₀.₈) × √(p(1 − p)(1/n₁ + 1/n₀))", () => {
    // scipy.stats.norm.ppf(0.975) + norm.ppf(0.8) = 1.959963984540054 + 0.8416212335729143
    const byHand = 2.801585218112968 * Math.sqrt(0.22 * 0.78 * (1 / 3000 + 1 / 32000));
    expect(minimumDetectable(0.22, 3000, 32000)).toBeCloseTo(byHand, 12);
    expect(minimumDetectable(0.22, 0, 32000)).toBeNaN();
  });
});

describe("recontacts", () => {
  it("marks a later contact of the same person within the window, leaves out contacts without the full follow-up", () => {
    // person a: days 0, 0 (the same moment), 200, 700; b: 10, 500; c: 50; the data end on day 800
    const r = {person: ["a", "b", "a", "c", "a", "b", "a"], day: [0, 10, 0, 50, 200, 500, 700]};
    const out = Array.from(recontacts(r, {followUpDays: 365}));
    // a@0 → a@200 within 365 (a contact at the same moment is not a re-contact, the later one is);
    // b@10 → b@500 is 490 days later: not within; c@50: nobody later;
    // a@200 → a@700 is 500 days later: not; b@500 and a@700 lack 365 days of follow-up before day 800.
    expect(out).toEqual([1, 0, 1, 0, 0, -1, -1]);
  });

  it("counts a re-contact exactly at the end of the window, not one a day later; `end` overrides the last day", () => {
    expect(Array.from(recontacts({person: ["a", "a"], day: [0, 365]}, {followUpDays: 365, end: 1000}))).toEqual([1, 0]);
    expect(Array.from(recontacts({person: ["a", "a"], day: [0, 366]}, {followUpDays: 365, end: 1000}))).toEqual([0, 0]);
    expect(Array.from(recontacts({person: ["a", "a"], day: [0, 366]}, {followUpDays: 365}))).toEqual([0, -1]);
  });
});

describe("outcomeCounts", () => {
  it("counts shared contacts with a known outcome, no further action, and not-shared contacts with their re-contacts", () => {
    const records = {
      person: ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
      day: [0, 0, 0, 0, 0, 0, 0],
      shared: [1, 1, 1, 0, 0, -1, 0],
      noFurtherAction: [1, 0, -1, -1, -1, -1, -1],
    };
    const groups = ["x", "x", "y", "x", "y", "x", "x"];
    const recontacted = [0, 0, 0, 1, 0, 0, -1];
    expect(outcomeCounts(groups, records, recontacted)).toEqual([
      {group: "x", contacts: 5, shared: 2, noFurtherAction: 1, sharedUnknown: 0, notShared: 1, recontacted: 1, notSharedCensored: 1},
      {group: "y", contacts: 2, shared: 0, noFurtherAction: 0, sharedUnknown: 1, notShared: 1, recontacted: 0, notSharedCensored: 0},
    ]);
  });
});

describe("compareOutcomes", () => {
  const counts = (group: string, contacts: number, shared: number, nfa: number, notShared: number, recontacted: number): OutcomeCounts => ({
    group,
    contacts,
    shared,
    noFurtherAction: nfa,
    sharedUnknown: 0,
    notShared,
    recontacted,
    notSharedCensored: 0,
  });
  const table = [
    counts("ref", 20000, 6000, 1200, 10000, 2500), // 20% no further action, 25% re-contacted
    counts("lower", 3000, 1000, 300, 1500, 300), // 30% and 20%: shared at a lower bar
    counts("higher", 3000, 1000, 120, 1500, 450), // 12% and 30%: a higher bar
    counts("same", 3000, 1000, 205, 1500, 370),
    counts("small", 40, 10, 5, 20, 5),
  ];

  it("reads each group against the largest: lower bar, higher bar, no clear difference, too few to tell", () => {
    const c = compareOutcomes(table);
    expect(c.reference).toBe("ref");
    const read = (g: string) => c.groups.find((x) => x.group === g)!;
    expect([read("lower").noFurtherAction.reading, read("lower").recontact.reading]).toEqual(["lower bar", "lower bar"]);
    expect([read("higher").noFurtherAction.reading, read("higher").recontact.reading]).toEqual(["higher bar", "higher bar"]);
    expect([read("same").noFurtherAction.reading, read("same").recontact.reading]).toEqual(["no clear difference", "no clear difference"]);
    expect(read("small").noFurtherAction.reading).toBe("too few to tell");
    const lower = read("lower").noFurtherAction;
    expect(lower.group.rate).toBe(0.3);
    expect(lower.reference.rate).toBe(0.2);
    expect(lower.difference).toEqual(newcombeDifference(300, 1000, 1200, 6000));
    expect(lower.detectable).toBeCloseTo(minimumDetectable(1500 / 7000, 1000, 6000), 12);
  });

  it("pools the chosen groups by adding their counts; the reference is never pooled", () => {
    const c = compareOutcomes(table, {pooled: ["lower", "same", "ref", "absent"]});
    expect(c.pooled!.members).toEqual(["lower", "same"]);
    expect(c.pooled!.group).toBe("lower + same");
    expect(c.pooled!.noFurtherAction.difference).toEqual(newcombeDifference(505, 2000, 1200, 6000));
    expect(c.pooled!.recontact.difference).toEqual(newcombeDifference(670, 3000, 2500, 10000));
    expect(compareOutcomes(table).pooled).toBeNull();
  });

  it("takes another reference, and a Bonferroni z widens every interval", () => {
    const c = compareOutcomes(table, {reference: "same", z: 2.638257273476751});
    expect(c.reference).toBe("same");
    const lower = c.groups.find((x) => x.group === "lower")!.noFurtherAction.difference;
    expect(lower).toEqual(newcombeDifference(300, 1000, 205, 1000, 2.638257273476751));
    expect(() => compareOutcomes([])).toThrow(/no groups/);
  });
});
