// @vitest-environment jsdom
// Chart snapshots of the Explore page (src/explore.md): a rate per category with its
// interval, and rates by month. Fixed width; rows built with the Wilson interval the
// loader uses, shaped like the page's `rows` and `monthly`. The page draws months as small
// multiples (RatePanels): one panel per group, so six bands never overlap.
import {describe, expect, it} from "vitest";
import {RateChart} from "../../src/components/rate-chart.ts";
import {RateOverTime} from "../../src/components/rate-over-time.ts";
import {RatePanels} from "../../src/components/rate-panels.ts";
import {wilson} from "../../src/lib/intervals.ts";
import {clean, marks, swatches, texts, ticks} from "./snapshot.ts";

const rows = [
  {category: "police", ...wilson(120, 400)},
  {category: "school", ...wilson(45, 300)},
  {category: "anonymous", ...wilson(3, 12)},
];
const monthly = ["2018-01", "2018-02", "2018-03", "2018-04"].flatMap((month, i) => [
  {month, category: "police", ...wilson(30 + i, 100)},
  {month, category: "school", ...wilson(15 - i, 80)},
]);

describe("explore charts (SVG snapshots at a fixed width)", () => {
  it("rate chart: a dot per category, no interval for a group too small to tell", async () => {
    const el = RateChart(rows, {width: 500, baseline: 0.28, xLabel: "Shared"});
    expect(ticks(el, "y")).toEqual(["police", "school", "anonymous"]);
    const dots = marks(el, "dot", "circle");
    expect(dots.map((d) => d.getAttribute("fill"))).toEqual(["steelblue", "steelblue", "white"]);
    expect(texts(el)).toEqual(["n = 400", "n = 300", "n = 12: too few to tell"]);
    // intervals for the two large groups, plus the dashed baseline
    expect(marks(el, "rule", "line").length).toBe(3);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/rate-chart.svg.html");
  });

  it("rate over time: a line and a 95% band per category", async () => {
    const el = RateOverTime(monthly, {width: 500, yLabel: "Shared"});
    expect(marks(el, "line", "path").length).toBe(2);
    expect(marks(el, "area", "path").length).toBe(2);
    expect(swatches(el)).toEqual(["police", "school"]);
    expect(el.textContent).toContain("Shared (%)");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/rate-over-time.svg.html");
  });

  it("rate panels: one panel per group in the order given, each with its line, band and title, on shared scales", async () => {
    const el = RatePanels(monthly, {width: 500, order: ["school", "police"], baseline: 0.3, yLabel: "Shared"});
    expect(marks(el, "line", "path").length).toBe(2);
    expect(marks(el, "area", "path").length).toBe(2);
    expect(texts(el)).toEqual(["school", "police"]); // panel titles, in the order given
    expect(marks(el, "rule", "line").length).toBe(2); // the overall rate, dashed, in each panel
    expect(el.getAttribute("aria-label")).toBe("Shared (%) by month, one panel per group");
    // a group not in `order` is left out
    expect(marks(RatePanels(monthly, {width: 500, order: ["police"]}), "line", "path").length).toBe(1);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/rate-panels.svg.html");
  });
});
