// @vitest-environment jsdom
// Chart snapshots of the Overview page (src/index.md): contacts per month stacked by
// referral source, and the mix of MASH decisions. Fixed width, inline rows shaped
// like the overview loader's `monthly` and `decisions`; SVG cleaned by ./snapshot.ts.
import {describe, expect, it} from "vitest";
import {ContactsByMonth} from "../../src/components/contacts-by-month.ts";
import {DecisionMix} from "../../src/components/decision-mix.ts";
import {clean, marks, swatches, texts, ticks} from "./snapshot.ts";

const monthly = [
  {month: "2018-01", code: "police", n: 120},
  {month: "2018-01", code: "school", n: 80},
  {month: "2018-02", code: "police", n: 110},
  {month: "2018-02", code: "school", n: 95},
  {month: "2018-03", code: "police", n: 130},
  {month: "2018-03", code: "school", n: 20},
];
const decisions = [
  {code: "nfa", n: 50},
  {code: "shared", n: 120},
  {code: "strategy", n: 30},
];

describe("overview charts (SVG snapshots at a fixed width)", () => {
  it("contacts by month: one rect per month and source, the legend in plain words", async () => {
    const el = ContactsByMonth(monthly, {width: 500, labels: {police: "Police", school: "School"}});
    expect(marks(el, "rect", "rect").length).toBe(monthly.length);
    expect(swatches(el)).toEqual(["Police", "School"]);
    // the stack for March is 130 + 20 high: the police rect is 6.5 times the school one
    const rects = marks(el, "rect", "rect").map((r) => Number(r.getAttribute("height")));
    expect(rects[4] / rects[5]).toBeCloseTo(130 / 20, 1);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/contacts-by-month.svg.html");
  });

  it("decision mix: one bar per decision, largest first, labelled with count and share", async () => {
    const el = DecisionMix(decisions, {width: 500, labels: {nfa: "No further action", shared: "Shared with children's social care"}});
    expect(marks(el, "bar", "rect").length).toBe(3);
    expect(ticks(el, "y")).toEqual(["Shared with children's social care", "No further action", "strategy"]);
    expect(texts(el).sort()).toEqual(["120 (60.0%)", "30 (15.0%)", "50 (25.0%)"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/decision-mix.svg.html");
  });
});
