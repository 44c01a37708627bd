// Agreement and overrides on simulated pilot contacts: shares by band and team against planted
// probabilities, the re-contact rate where staff overrode against followed the band (planted
// difference inside the interval; none claimed on at most 3 of 20 seeds without one), and groups
// under 30 contacts reading "too few to tell".
import {describe, expect, it} from "vitest";
import {overrideSummary, type OverrideRecords} from "../../../src/lib/impact/overrides.ts";
import {isClaimed} from "../../../src/lib/impact/result.ts";
import {draws, numbersIn, seeds} from "./simulate.ts";

/** Bands 1–5 (override more likely in the middle), teams A–C, re-contact 20% (+`effect` where overrode). */
function simulate(seed: number, effect: number, n = 1500): OverrideRecords & {outcome: number[]} {
  const d = draws(seed);
  const rec = {band: [] as string[], team: [] as string[], action: [] as (string | null)[], outcome: [] as number[]};
  const overrideP = [0.05, 0.15, 0.3, 0.15, 0.05];
  for (let i = 0; i < n; i++) {
    const band = d.int(5);
    const u = d.uniform();
    const action = u < overrideP[band] ? "overrode" : u < overrideP[band] + 0.3 ? "followed" : "agreed";
    rec.band.push(String(band + 1));
    rec.team.push("ABC"[d.int(3)]);
    rec.action.push(d.uniform() < 0.02 ? null : action);
    rec.outcome.push(d.uniform() < 0.1 ? -1 : d.bernoulli(0.2 + (action === "overrode" ? effect : 0)));
  }
  return rec;
}

describe("overrideSummary", () => {
  it("gives shares by band and team with intervals holding the planted override rates", () => {
    const r = overrideSummary(simulate(1, 0.15));
    expect(r.byBand.map((b) => b.group)).toEqual(["1", "2", "3", "4", "5"]);
    expect(r.byTeam.map((b) => b.group)).toEqual(["A", "B", "C"]);
    const planted = [0.05, 0.15, 0.3, 0.15, 0.05];
    r.byBand.forEach((b, k) => {
      const o = b.shares.find((s) => s.action === "overrode")!.rate;
      expect(o.lo).toBeLessThan(planted[k]);
      expect(o.hi).toBeGreaterThan(planted[k]);
      expect(b.shares.reduce((a, s) => a + s.rate.k, 0)).toBe(b.n);
    });
    const diff = r.outcome!.difference;
    expect(diff.status).toBe("estimate");
    if (diff.status !== "estimate") return;
    expect(diff.lo).toBeLessThan(0.15);
    expect(diff.hi).toBeGreaterThan(0.15);
    expect(r.outcome!.byAction.find((a) => a.action === "overrode")!.unknown).toBeGreaterThan(0);
  });

  it("with no difference in outcome, claims one on at most 3 of 20 seeds", () => {
    const claims = seeds(20, 701).filter((seed) => isClaimed(overrideSummary(simulate(seed, 0)).outcome!.difference)).length;
    expect(claims).toBeLessThanOrEqual(3);
  });

  it("reads too few to tell below 30 contacts, never NaN", () => {
    const small = overrideSummary(simulate(2, 0, 40));
    expect(small.byBand.every((b) => b.tooFew !== null && b.shares.length === 0)).toBe(true);
    expect(small.overall.tooFew).toBeNull();
    expect(small.outcome!.difference.status).toBe("too few");
    const empty = overrideSummary({band: [], team: [], action: [], outcome: []});
    expect(empty.overall.tooFew).toMatch(/^0 contacts/);
    expect(numbersIn([small, empty]).every(Number.isFinite)).toBe(true);
  });
});
