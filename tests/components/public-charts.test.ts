// @vitest-environment jsdom
// Chart snapshots of the public results site (src/results.md, src/model-card.md): score
// bands by outcome, calibration and group rates, all drawn from disclosure-controlled
// aggregates. Fixtures go through the real src/lib/disclosure.ts, so small counts
// arrive as "c" exactly as the public build publishes them.
import {describe, expect, it} from "vitest";
import {PublicBands} from "../../src/components/public-bands.ts";
import {PublicCalibration} from "../../src/components/public-calibration.ts";
import {hiddenRateLabel, PublicRates} from "../../src/components/public-rates.ts";
import {publishedRate, suppressTable} from "../../src/lib/disclosure.ts";
import {clean, marks, plotSvg, swatches, texts, ticks} from "./snapshot.ts";

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
  {group: "Female", n: 1520, truePositiveRate: publishedRate(120, 160)},
  {group: "Male", n: 1470, truePositiveRate: publishedRate(100, 150)},
  {group: "Not known", n: 60, truePositiveRate: publishedRate(9, 12)},
  {group: "Unknown or not stated", n: 348, truePositiveRate: "c" as const},
  {group: "Other", n: "c" as const, truePositiveRate: "c" as const},
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
    // named for assistive technology, with every band's published counts in words
    expect(plotSvg(el).getAttribute("aria-label")).toBe("Test contacts in each of the 20 score bands, by outcome");
    expect(plotSvg(el).getAttribute("aria-description")).toContain("band 1 (Outcome happened: c / Did not happen: c)");
    expect(plotSvg(el).getAttribute("aria-description")).toContain("band 3 (Outcome happened: 8 / Did not happen: 56)");
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

  it("public rates: a dot per group, hollow when too few, 'c' with why (and the group's size when published)", async () => {
    const el = PublicRates(fairness, {width: 640, rate: "truePositiveRate", xLabel: "Flagged, outcome happened", baseline: 0.72});
    expect(ticks(el, "y")).toEqual(["Female", "Male", "Not known", "Unknown or not stated", "Other"]);
    expect(marks(el, "dot", "circle").map((d) => d.getAttribute("fill"))).toEqual(["steelblue", "steelblue", "white"]);
    // a group of 348 whose rate is hidden is not called small: the label says why and how big it is
    expect(texts(el)).toEqual([
      "n = 160",
      "n = 150",
      "n = 12: too few to tell",
      "c: not published, to protect a small count (348 contacts in the group)",
      "c: not published, to protect a small count",
    ]);
    expect(hiddenRateLabel("c")).toBe("c: not published, to protect a small count");
    expect(plotSvg(el).getAttribute("aria-label")).toBe("Flagged, outcome happened by group, 5 groups");
    expect(plotSvg(el).getAttribute("aria-description")).toContain(
      "Unknown or not stated: c: not published, to protect a small count (348 contacts in the group)",
    );
    expect(el.textContent).toContain("Flagged, outcome happened (%) with 95% interval");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-rates.svg.html");
  });

  it("public rates on a phone (390 px): names above their rows, the whole width for the rates", async () => {
    const width = 390 - 2 * 33; // the page's side padding and the card's
    const el = PublicRates(fairness, {width, rate: "truePositiveRate", xLabel: "Flagged, outcome happened"});
    expect(Number(el.getAttribute("width"))).toBe(width);
    expect(ticks(el, "y")).toEqual([]); // no left margin of names
    const dots = marks(el, "dot", "circle");
    expect(dots.length).toBe(3);
    // the x range spans nearly the whole width (not what is left after margins of 190 and 150 px)
    const xs = [...el.querySelectorAll("g[aria-label='x-axis tick'] path")].map((p) =>
      Number(/translate\(([\d.]+),/.exec(p.getAttribute("transform")!)![1]),
    );
    expect(xs[0]).toBeLessThan(20);
    expect(xs[xs.length - 1] - xs[0]).toBeGreaterThan(width - 40);
    expect(texts(el).slice(0, 3)).toEqual(["Female · n = 160", "Male · n = 150", "Not known · n = 12: too few to tell"]);
    expect(texts(el)).toContain("Unknown or not stated");
    expect(el.textContent).toContain("c: not published, to protect a small count");
    expect(el.textContent).toContain("Flagged, outcome happened (%)");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-rates-narrow.svg.html");
  });
});
