/**
 * The Impact page's data on the default sample (data/sample ingested into data/processed, the
 * registered models in models/), checked against the generator's truth (truth.json → impact and
 * the per-contact truth file). Only this test reads truth/; the loader never does. Where the
 * estimator targets a marginal quantity the truth states conditionally (the policy step is −1.0
 * given the unobserved risk; the page's case-mix shift is marginal over it), the target is computed
 * from the per-contact truth the same way, and both are reported.
 */
import {existsSync, readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {computeImpact, type ImpactData} from "../../../loaders/pages/impact.ts";
import {queryRows, withWarehouse} from "../../../loaders/db.ts";
import {dayVolumes} from "../../../loaders/impact/practice.ts";
import {shiftToTotal} from "../../../src/lib/funnel.ts";
import type {Result} from "../../../src/lib/impact/result.ts";

const TRUTH = "data/sample/truth/truth.json";
let d: ImpactData;
let impact: {
  decisionTimeRatio: {value: number};
  screenerEffectVarianceRatio: {value: number};
  trueNeedShareChange: {value: number};
  workloadSlope: {sharing: number; decisionDelay: number};
  policyShift: {date: string; size: number};
};
const truthRows = () => {
  const lines = readFileSync("data/sample/truth/contacts_truth.csv", "utf8").trim().split("\n");
  const h = lines[0].split(",");
  return {h, rows: lines.slice(1).map((l) => l.split(","))};
};
const contains = (r: Result, x: number) => {
  expect(r.status, JSON.stringify(r)).toBe("estimate");
  if (r.status !== "estimate") return;
  expect(r.lo, `${r.method}: ${r.value.toFixed(3)} (${r.lo.toFixed(3)} to ${r.hi.toFixed(3)}) should contain ${x}`).toBeLessThanOrEqual(x);
  expect(r.hi, `${r.method}: ${r.value.toFixed(3)} (${r.lo.toFixed(3)} to ${r.hi.toFixed(3)}) should contain ${x}`).toBeGreaterThanOrEqual(
    x,
  );
};

beforeAll(async () => {
  if (!existsSync(TRUTH)) throw new Error("no default sample: run npm run prepare-data");
  const result = await computeImpact();
  if (!result.available) throw new Error(result.reason);
  d = result;
  impact = JSON.parse(readFileSync(TRUTH, "utf8")).impact;
}, 120_000);

describe("Impact page on the default sample: the planted values recovered", () => {
  it("decision time: the difference-in-differences contains the planted ratio and excludes 1; every RAG rating is judged", () => {
    contains(d.decisionTime.overall, impact.decisionTimeRatio.value);
    const r = d.decisionTime.overall;
    if (r.status === "estimate") expect(r.hi).toBeLessThan(1);
    expect(d.decisionTime.byRag.map((x) => x.rag).sort()).toEqual(["Amber", "Green", "Not shared", "Red"]);
    for (const x of d.decisionTime.byRag) contains(x.ratio, impact.decisionTimeRatio.value);
    expect(d.decisionTime.cells.every((c) => c.n >= 30)).toBe(true);
    // the whole MASH: half the teams at 0.75 → a level change between 0.75 and 1
    const its = d.decisionTime.its.levelChange;
    expect(its.status).toBe("estimate");
    if (its.status === "estimate") (expect(its.value).toBeGreaterThan(0.75), expect(its.hi).toBeLessThan(1));
  });

  it("consistency: the pilot teams' screener SD ratio contains 0.5 (variance ratio 0.25, as the truth states)", () => {
    const pilot = d.consistency.groups.find((g) => g.group === "pilot teams")!;
    contains(pilot.sdRatio, Math.sqrt(impact.screenerEffectVarianceRatio.value));
    contains(pilot.varianceRatio, impact.screenerEffectVarianceRatio.value);
    expect(pilot.effects.some((e) => /^P\d+$/.test(e.screener))).toBe(true);
  });

  it("no change in the share that truly needs sharing: the case-mix difference-in-differences contains the truth's 0", () => {
    contains(d.noSharing.caseMix, impact.trueNeedShareChange.value);
    const cells = d.noSharing.cells;
    expect(cells.map((c) => c.share.n).every((n) => n > 1000)).toBe(true);
  });

  it("workload: the sharing slope contains −0.8; the decision-time slope contains +0.8 scaled by how well a day's expected volume can be known", async () => {
    contains(d.workload.sharingSlope, impact.workloadSlope.sharing);
    // the page's excess against the generator's true excess per day: their regression slope (≤ 1) is the attenuation
    const {h, rows} = truthRows();
    const wi = h.indexOf("workload_effect");
    const effect = new Map(rows.map((f) => [f[0], Number(f[wi])]));
    const contacts = await withWarehouse((db) =>
      queryRows(
        db,
        "SELECT contact_id AS id, epoch(contact_datetime) / 86400.0 AS day, coalesce(CAST(referral_source AS VARCHAR), 'missing') AS source FROM contacts",
      ),
    );
    const trueExcess = new Map<number, number>();
    for (const c of contacts) if (effect.has(String(c.id))) trueExcess.set(Math.floor(Number(c.day)), -effect.get(String(c.id))! / 0.8);
    const volume = dayVolumes({day: contacts.map((c) => Number(c.day)), source: contacts.map((c) => String(c.source))});
    const pairs = volume
      .filter((v) => v.ratio !== null && trueExcess.has(v.day))
      .map((v) => [Math.max(0, v.ratio! - 1), Math.max(0, trueExcess.get(v.day)!)]);
    const mean = (k: number) => pairs.reduce((a, p) => a + p[k], 0) / pairs.length;
    const [mx, my] = [mean(0), mean(1)];
    const lambda = pairs.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) / pairs.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
    console.log(
      `workload: decision-time attenuation λ = ${lambda.toFixed(3)}, target ${(impact.workloadSlope.decisionDelay * lambda).toFixed(3)}`,
    );
    expect(lambda).toBeGreaterThan(0.6);
    expect(lambda).toBeLessThanOrEqual(1);
    contains(d.workload.decisionTimeSlope, impact.workloadSlope.decisionDelay * lambda);
  }, 60_000);

  it("change-point scan: finds the policy shift within a month, with the step's interval containing its marginal size", async () => {
    const s = d.changePoint.subgroup.scan;
    const month = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7));
    const planted = month(impact.policyShift.date.slice(0, 7));
    expect(Math.abs(month(s.best!.month) - planted)).toBeLessThanOrEqual(1);
    expect(month(s.dateInterval!.from)).toBeLessThanOrEqual(planted + 1);
    expect(month(s.dateInterval!.to)).toBeGreaterThanOrEqual(planted - 1);
    expect(s.p!).toBeLessThan(0.05);
    // The marginal step the case-mix shift targets: the planted step is conditional on the unobserved child and household
    // risk, which no case-mix model sees. Taken through the probit approximation of the prior-integrated probability
    // (p_share_observable ≈ σ(η / k), k = √(1 + πσ²/8), σ² the two unobserved variances): each affected contact's
    // observable probability without the policy is σ((k·logit(p) − step) / k), and the marginal step is the shift that
    // matches the totals.
    const {h, rows} = truthRows();
    const [pi, ei] = [h.indexOf("p_share_observable"), h.indexOf("policy_effect")];
    const effects = JSON.parse(readFileSync(TRUTH, "utf8")).plantedEffects as {name: string; size: number}[];
    const sd = (name: string) => effects.find((e) => e.name === name)!.size;
    const k = Math.sqrt(1 + (Math.PI * (sd("household_risk") ** 2 + sd("child_risk") ** 2)) / 8);
    const hit = rows.filter((f) => Number(f[ei]) !== 0);
    const withPolicy = hit.map((f) => Number(f[pi]));
    const logit = (p: number) => Math.log(p / (1 - p));
    const without = hit.map((f) => 1 / (1 + Math.exp(-(k * logit(Number(f[pi])) - Number(f[ei])) / k)));
    const marginal = shiftToTotal(
      without,
      withPolicy.reduce((a, b) => a + b, 0),
    );
    console.log(
      `policy shift: planted ${impact.policyShift.size} (conditional), marginal ${marginal.toFixed(3)}; found ${JSON.stringify(s.step).slice(0, 120)}`,
    );
    expect(marginal).toBeLessThan(impact.policyShift.size * 0.7);
    expect(hit.length).toBeGreaterThan(5_000);
    contains(s.step, marginal);
  });

  it("states what it cannot tell: the 90-day safety follow-up is incomplete on the sample, and says so", () => {
    const w90 = d.safety.windows.find((w) => w.days === 90)!;
    expect(w90.difference.status).toBe("too few");
    expect(d.safety.note).toContain("not complete");
    expect(d.headline.safety90.status).toBe("too few");
    expect(d.headline.claims.find((c) => c.name.includes("90 days"))!.claimed).toBe(false);
  });

  it("holds aggregates only: no record key, child or screener id in the page's data", async () => {
    const text = JSON.stringify(d);
    const ids = await withWarehouse((db) =>
      queryRows(db, "SELECT contact_id AS a, child_id AS b, screener_id AS c FROM contacts USING SAMPLE 200 ROWS"),
    );
    for (const r of ids) for (const v of [r.a, r.b, r.c]) expect(text.includes(`"${v}"`), String(v)).toBe(false);
  });
});
