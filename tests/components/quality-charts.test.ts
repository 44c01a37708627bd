// @vitest-environment jsdom
// Chart snapshots of the Data quality page (src/quality.md): rejects (or code
// mappings) stacked by month, and the missingness heatmap. Fixed width, inline rows
// shaped like the quality loader's `rejectsByMonth` and `missingness`.
import {describe, expect, it} from "vitest";
import {interpolateBlues} from "d3";
import {StackedByMonth} from "../../src/components/stacked-by-month.ts";
import {MissingnessHeatmap} from "../../src/components/missingness-heatmap.ts";
import {clean, marks, swatches, ticks, withCanvas} from "./snapshot.ts";

const rejectsByMonth = [
  {month: "2017-12", rule: "unknown code", n: 4},
  {month: "2018-01", rule: "unknown code", n: 6},
  {month: "2018-01", rule: "missing required", n: 3},
  {month: "2018-02", rule: "missing required", n: 2},
  {month: "(no readable date)", rule: "unreadable date", n: 5},
];
const missingness = ["2017-12", "2018-01", "2018-02"].flatMap((month, i) => [
  {month, variable: "age_band", n: 40, missing: 2 + i},
  {month, variable: "primary_concern", n: 40, missing: 10 * i},
]);

describe("quality charts (SVG snapshots at a fixed width)", () => {
  it("stacked by month: one bar per month and rule, a tick at each January and for unreadable dates", async () => {
    const el = StackedByMonth(rejectsByMonth, {width: 500, fill: "rule", yLabel: "Rejected rows", fillLabel: "Rule"});
    expect(marks(el, "bar", "rect").length).toBe(rejectsByMonth.length);
    // ticks only at each January (written as the year) and at the rows without a month
    expect(ticks(el, "x").sort()).toEqual(["(no readable date)", "2018"]);
    expect(swatches(el)).toEqual(["missing required", "unknown code", "unreadable date"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/stacked-by-month.svg.html");
  });

  // Known bug, left for the component's owner: the doc comment (and the caption on
  // src/quality.md) say rows without a readable date are drawn at the end, but the
  // months are sorted as strings and "(" sorts before digits, so they come first.
  it("stacked by month: rows without a readable date come after the months", () => {
    const el = StackedByMonth(rejectsByMonth, {width: 500, fill: "rule"});
    expect(ticks(el, "x")).toEqual(["2018", "(no readable date)"]);
  });

  it("missingness heatmap: one cell per month and variable, coloured by the share empty", async () => {
    const el = withCanvas(() => MissingnessHeatmap(missingness, {width: 500}));
    const cells = marks(el, "cell", "rect");
    expect(cells.length).toBe(6);
    expect(ticks(el, "y")).toEqual(["age_band", "primary_concern"]);
    // the colour runs from 0 (lightest blue) to the largest share (darkest): rows are
    // age_band, primary_concern per month, so cell 1 is 0 of 40 and cell 5 is 20 of 40
    const fills = cells.map((c) => c.getAttribute("fill"));
    expect(fills[1]).toBe(interpolateBlues(0));
    expect(fills[5]).toBe(interpolateBlues(1));
    expect(new Set(fills).size).toBe(6);
    expect(el.textContent).toContain("Share empty");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/missingness-heatmap.svg.html");
  });
});
