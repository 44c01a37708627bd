// @vitest-environment jsdom
// Chart snapshots of the Consistency page's charts, rendered at a fixed width from
// small fixtures, SVG cleaned by ./snapshot.ts. Each chart must also draw what it
// claims: one dot per unit, limit lines with a path, and the monthly rate lines
// inside the plot.
import {describe, expect, it} from "vitest";
import {FunnelPlot} from "../../src/components/funnel-plot.ts";
import {ChangeChart} from "../../src/components/change-chart.ts";
import {funnelCurve, funnelUnit} from "../../src/lib/funnel.ts";
import {clean} from "./snapshot.ts";

const units = [
  ["A", 1000, 300],
  ["B", 2000, 540],
  ["C", 500, 160],
  ["D", 3000, 1000],
].map(([unit, n, observed]) =>
  funnelUnit({unit: String(unit), n: Number(n), observed: Number(observed), expected: 0.3 * Number(n), variance: 0.21 * Number(n)}),
);
const months = ["2017-07", "2017-08", "2017-09", "2017-10", "2017-11", "2017-12"];
const rows = months.flatMap((month, i) => [
  {month, series: "segment", rate: i < 3 ? 0.2 : 0.1, lo: i < 3 ? 0.17 : 0.08, hi: i < 3 ? 0.23 : 0.12, expected: 0.19, n: 400},
  {month, series: "rest", rate: 0.33, lo: 0.31, hi: 0.35, expected: 0.34, n: 1800},
]);

describe("consistency charts (SVG snapshots at a fixed width)", () => {
  it("funnel plot: one dot per unit, four limit lines, flagged units named", async () => {
    const el = FunnelPlot(units, {width: 500, curve: funnelCurve(0.3, 0.21, 400, 3750, 20)});
    expect(el.querySelectorAll("g[aria-label=dot] circle").length).toBe(4);
    expect(el.querySelectorAll("g[aria-label=line] path").length).toBe(4);
    expect([...el.querySelectorAll("g[aria-label=text] text")].map((t) => t.textContent)).toEqual(
      units.filter((u) => u.flag).map((u) => u.unit),
    );
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/funnel.svg.html");
  });

  it("change chart: rate lines drawn inside the plot, the change marked", async () => {
    const el = ChangeChart(rows, {width: 500, event: {label: "Guidance", start: "2017-10-01"}});
    const svg = el.tagName.toLowerCase() === "svg" ? el : [...el.querySelectorAll("svg")].pop()!; // the last svg: the first ones are legend swatches
    const height = Number(svg.getAttribute("height"));
    const paths = [...el.querySelectorAll("g[aria-label=line] path")];
    expect(paths.length).toBe(4); // observed and expected for two series
    for (const p of paths) {
      const ys = (p.getAttribute("d") ?? "")
        .match(/-?\d+(\.\d+)?/g)!
        .map(Number)
        .filter((_, i) => i % 2 === 1);
      expect(Math.min(...ys)).toBeGreaterThan(0);
      expect(Math.max(...ys)).toBeLessThan(height);
    }
    expect(el.querySelectorAll("g[aria-label=rule] line").length).toBeGreaterThan(0);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/change.svg.html");
  });
});
