// The board pack (loaders/board-pack/): plain-English estimates with intervals, counts through the
// disclosure control ("c" for 1..threshold), printed by Chromium to a PDF of at most two pages, and
// refused (nothing left behind) when the public scan finds an id or the PDF runs longer.
import {afterAll, describe, expect, it} from "vitest";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {buildBoardPack, MAX_PAGES} from "../../../loaders/board-pack/build.ts";
import {claimedAfterHolm} from "../../../loaders/board-pack/figures.ts";
import {pdfPages} from "../../../loaders/board-pack/pdf.ts";
import {plainEstimate, type BoardHeadline, type BoardPackFigures} from "../../../loaders/board-pack/render.ts";
import {estimate, tooFew} from "../../../src/lib/impact/result.ts";
import {allowSkipWithoutChromium, chromiumInstalled} from "../../e2e/helpers/browser.ts";

const root = mkdtempSync(join(tmpdir(), "board-pack-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const method =
  "Difference in differences of log hours, pilot teams against the others, the pilot months against the same months a year earlier; leave-one-screener-out jackknife interval.";
const ratio = (value: number, lo: number, hi: number, p: number): BoardHeadline => ({
  question: "Are decisions quicker in the pilot teams?",
  comparison: "Pilot teams against the other teams, January–March 2019 against January–March 2018.",
  result: estimate({value, lo, hi, p, nullValue: 1, n: 16_204, method}),
  kind: "ratio",
  meaning: ["less time from contact to decision", "more time from contact to decision"],
  claimed: p < 0.05,
});
const points: BoardHeadline = {
  question: "Do fewer contacts end with staff not sharing information?",
  comparison: "The share staff did not share, pilot teams against the others, before and during.",
  result: estimate({
    value: 0.012,
    lo: -0.005,
    hi: 0.029,
    p: 0.17,
    nullValue: 0,
    n: 20_000,
    method: "Difference of Wilson-interval shares (Newcombe).",
  }),
  kind: "points",
  meaning: ["fewer contacts that staff did not share", "more contacts that staff did not share"],
  claimed: false,
};
const safety: BoardHeadline = {
  ...points,
  question: "Safety: are more children re-contacted within 90 days of no further action?",
  result: tooFew(0, "the data end before any 90-day window after the pilot closes", "Wilson and Newcombe intervals."),
};
const figures = (
  headlines: BoardHeadline[],
  counts = [{label: "Contacts in the pilot teams during the pilot", n: 3818}],
): BoardPackFigures => ({
  pilot: {start: "2019-01-01", end: "2019-03-31", teams: 2, otherTeams: 2},
  modelId: "info_sharing-logistic-0123456789ab",
  synthetic: true,
  computedOn: "2026-12-05",
  headlines,
  counts,
});

describe("board pack in words", () => {
  it("says a ratio as a percentage less or more, with its interval and n; a difference in points; too few says why", () => {
    expect(plainEstimate(ratio(0.76, 0.7, 0.82, 1e-4), 5)).toBe(
      "24% less time from contact to decision (95% interval from 30% less to 18% less; n = <span data-count>16,204</span> contacts).",
    );
    expect(plainEstimate(ratio(1.1, 0.95, 1.3, 0.2), 5)).toContain(
      "10% more time from contact to decision (95% interval from 5% less to 30% more;",
    );
    expect(plainEstimate(points, 5)).toContain(
      "+1.2 points, more contacts that staff did not share (95% interval −0.5 points to +2.9 points;",
    );
    expect(plainEstimate(safety, 5)).toMatch(/^Too few to tell yet: the data end before any 90-day window/);
  });

  it("counts a claim only when Holm's correction keeps it, looked up by its name", () => {
    expect(claimedAfterHolm("decision time", [{name: "decision time", p: 0.01, adjusted: 0.04, claimed: true}])).toBe(true);
    expect(claimedAfterHolm("decision time", [{name: "decision time", p: 0.01, adjusted: 0.06, claimed: false}])).toBe(false);
    expect(claimedAfterHolm("consistency", [{name: "consistency", p: null, adjusted: null, claimed: false}])).toBe(false);
    // another claim with the same p-value is not this one's verdict
    expect(
      claimedAfterHolm("consistency", [
        {name: "decision time", p: 0.001, adjusted: 0.006, claimed: true},
        {name: "consistency", p: 0.001, adjusted: 0.06, claimed: false},
      ]),
    ).toBe(false);
  });
});

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("board pack printed", () => {
  it("prints to a PDF of at most two A4 pages that passes the public scan; a count of 3 shows as c", async () => {
    const dir = join(root, "ok");
    const f = figures(
      [ratio(0.76, 0.7, 0.82, 1e-4), ratio(0.52, 0.31, 0.8, 0.003), points, points, safety],
      [
        {label: "Contacts in the pilot teams during the pilot", n: 3818},
        {label: "Contacts in a tiny group", n: 3},
      ],
    );
    const built = await buildBoardPack(f, {dir, threshold: 5, ids: new Set(["C00A1B2C3"])});
    const pdf = readFileSync(built.pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(built.pages).toBe(pdfPages(pdf));
    expect(built.pages).toBeGreaterThanOrEqual(1);
    expect(built.pages).toBeLessThanOrEqual(MAX_PAGES);
    const html = readFileSync(built.html, "utf8");
    expect(html).toContain("Synthetic data");
    expect(html).toContain("<span data-count>c</span>");
    expect(html).not.toMatch(/<span data-count>3<\/span>/);
    expect(html).not.toMatch(/<script|https?:\/\//);
  }, 60_000);

  it("refuses, leaving nothing, when the pack holds a warehouse id or runs past two pages", async () => {
    const leak = join(root, "leak");
    const withId = {...ratio(0.76, 0.7, 0.82, 1e-4), comparison: "Contacts like C00A1B2C3 against the rest."};
    await expect(buildBoardPack(figures([withId]), {dir: leak, threshold: 5, ids: new Set(["C00A1B2C3"])})).rejects.toThrow(
      /the scan found 1 problem/,
    );
    expect(existsSync(join(leak, "board-pack.html")) || existsSync(join(leak, "board-pack.pdf"))).toBe(false);
    const long = join(root, "long");
    await expect(
      buildBoardPack(figures(Array.from({length: 24}, () => ratio(0.76, 0.7, 0.82, 1e-4))), {dir: long, threshold: 5, ids: new Set()}),
    ).rejects.toThrow(/more than 2; nothing written/);
    expect(existsSync(join(long, "board-pack.pdf"))).toBe(false);
  }, 90_000);
});
