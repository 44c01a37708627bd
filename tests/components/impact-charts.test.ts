// @vitest-environment jsdom
// Chart snapshots of the Impact page's charts, rendered at a fixed width from small fixtures, SVG
// cleaned by ./snapshot.ts. Each chart must also draw what it claims: one line per group and the
// pilot window shaded; one interval per estimate and "too few to tell" where there is none; an
// accessible name and a text summary on each.
import {describe, expect, it} from "vitest";
import {ImpactTrends} from "../../src/components/impact-trends.ts";
import {ImpactEstimates} from "../../src/components/impact-estimates.ts";
import {clean, plotSvg} from "./snapshot.ts";

const months = ["2018-10", "2018-11", "2018-12", "2019-01", "2019-02", "2019-03"];
const trends = months.flatMap((month, i) => [
  {month, group: "pilot teams", n: 600, geometricMeanHours: i < 3 ? 15.5 : 11.8},
  {month, group: "other teams", n: 640, geometricMeanHours: 15.8},
]);

describe("impact charts (SVG snapshots at a fixed width)", () => {
  it("trends: a line per group, the window shaded, named and summarised", async () => {
    const el = ImpactTrends(trends, {width: 500, window: {start: "2019-01-01", end: "2019-03-31"}});
    expect(el.querySelectorAll("g[aria-label=line] path").length).toBe(2);
    expect(el.querySelectorAll("g[aria-label=rect] rect").length).toBe(1);
    const svg = plotSvg(el);
    expect(svg.getAttribute("aria-label")).toContain("pilot teams and other teams");
    expect(svg.getAttribute("aria-description")).toContain("pilot teams: 11.8 to 15.5 hours over 6 months");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/impact-trends.svg.html");
  });

  it("estimates: an interval per estimate, a no-effect rule, too few to tell where there is none", async () => {
    const rows = [
      {label: "All contacts", value: 0.75, lo: 0.72, hi: 0.78, n: 16093},
      {label: "Red", value: 0.73, lo: 0.64, hi: 0.83, n: 1514},
      {label: "Unrated", value: null, lo: null, hi: null, n: 12},
    ];
    const el = ImpactEstimates(rows, {width: 500, nullValue: 1, reference: 0.75, label: "Ratio of decision times"});
    expect(el.querySelectorAll("g[aria-label=dot] circle").length).toBe(2);
    expect([...el.querySelectorAll("g[aria-label=text] text")].map((t) => t.textContent)).toEqual(["too few to tell"]);
    const desc = plotSvg(el).getAttribute("aria-description") ?? "";
    expect(desc).toContain("All contacts: 0.75 (0.72 to 0.78; n = 16,093)");
    expect(desc).toContain("Too few to tell: Unrated");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/impact-estimates.svg.html");
  });
});
