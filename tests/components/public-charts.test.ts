// @vitest-environment jsdom
// Chart snapshots of the public results site (src/results.md, src/model-card.md): score
// bands by outcome, calibration and group rates, all drawn from disclosure-controlled
// aggregates. Fixtures go through the real src/lib/disclosure.ts, so small counts
// arrive as "c" exactly as the public build publishes them.
import {describe, expect, it} from "vitest";
import {PublicBands} from "../../src/components/public-bands.ts";
import {PublicCalibration} from "../../src/components/public-calibration.ts";
import {PublicRates} from "../../src/components/public-rates.ts";
import {publishedRate, suppressTable} from "../../src/lib/disclosure.ts";
import {clean, marks, swatches, texts, ticks} from "./snapshot.ts";

// 20 bands: few positives in the low bands (suppressed), few negatives in the top ones
const bandNames = Array.from({length: 20}, (_, i) => `band ${i + 1}`);
const bands = suppressTable({
  rows: bandNames,
  cols: ["positive", "negative"],
  counts: bandNames.map((_, i) => [i < 2 ? 3 : 4 * i, i > 17 ? 2 : 60 - 2 * i]),
});

const calibration = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => ({
  group: `tenth ${t + 1}`,
  predicted: t === 0 ? ("c" as const) : 0.05 + 0.09 * t,
  observed: t === 0 ? ("c" as const) : publishedRate(Math.round(40 * (0.04 + 0.09 * t)), 40),
}));

const fairness = [
  {group: "Female", truePositiveRate: publishedRate(120, 160)},
  {group: "Male", truePositiveRate: publishedRate(100, 150)},
  {group: "Not known", truePositiveRate: publishedRate(9, 12)},
  {group: "Other", truePositiveRate: "c" as const},
];

describe("public charts (SVG snapshots at a fixed width)", () => {
  it("public bands: published counts as bars, a 'c' above each band with a suppressed cell", async () => {
    const el = PublicBands(bands, {width: 640, flaggedFrom: 16});
    // bands 1–2 (3 positives) and 19–20 (2 negatives) are suppressed whole: the small
    // count, and its complement so the published row total does not give it away
    expect(bands.cells.map((row, i) => (row.includes("c") ? i + 1 : 0)).filter(Boolean)).toEqual([1, 2, 19, 20]);
    const rects = marks(el, "bar", "rect");
    expect(rects.length).toBe(2 * 16);
    expect(texts(el)).toEqual(["c", "c", "c", "c"]);
    // the unflagged bands drawn (3–15) are paler than the flagged ones (16–18)
    expect(rects.filter((r) => r.getAttribute("fill-opacity") === "0.55").length).toBe(2 * 13);
    expect(swatches(el)).toEqual(["Outcome happened", "Did not happen"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-bands.svg.html");
  });

  it("public calibration: a dot and interval per published tenth, the diagonal for reference", async () => {
    const el = PublicCalibration(calibration, {width: 400});
    expect(marks(el, "dot", "circle").length).toBe(9); // the suppressed tenth is left out
    expect(marks(el, "rule", "line").length).toBe(9);
    expect(marks(el, "line", "path").length).toBe(1);
    expect(el.querySelector("g[aria-label=dot] title")?.textContent).toBe("n = 40");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-calibration.svg.html");
  });

  it("public rates: a dot per group, hollow when too few, 'c' when suppressed", async () => {
    const el = PublicRates(fairness, {width: 640, rate: "truePositiveRate", xLabel: "Flagged, outcome happened", baseline: 0.72});
    expect(ticks(el, "y")).toEqual(["Female", "Male", "Not known", "Other"]);
    expect(marks(el, "dot", "circle").map((d) => d.getAttribute("fill"))).toEqual(["steelblue", "steelblue", "white"]);
    expect(texts(el)).toEqual(["n = 160", "n = 150", "n = 12: too few to tell", "c (small numbers)"]);
    expect(el.textContent).toContain("Flagged, outcome happened (%) with 95% interval");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-rates.svg.html");
  });
});
