// @vitest-environment jsdom
// Chart snapshots of the Overview page (src/index.md): contacts per month stacked by
// referral source, and the mix of MASH decisions. Fixed width, inline rows shaped
// like the overview loader's `monthly` and `decisions`; SVG cleaned by ./snapshot.ts.
import {describe, expect, it} from "vitest";
import {ContactsByMonth, groupSmallest} from "../../src/components/contacts-by-month.ts";
import {DecisionMix} from "../../src/components/decision-mix.ts";
import {CATEGORICAL} from "../../src/lib/palette.ts";
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

  it("contacts by month: never more groups than colours (the site palette: 20); the smallest are summed into one and named in the caption", async () => {
    // 12 sources, as the sample had with "(unrecognised)": a 10-colour scheme would repeat two colours
    const sources = Array.from({length: 12}, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
    const rows = ["2018-01", "2018-02"].flatMap((month) => sources.map((code, i) => ({month, code, n: 1200 - 100 * i})));
    const labels = Object.fromEntries(sources.map((c) => [c, `Source ${c.slice(1)}`]));
    const grouped = groupSmallest(rows, {labels, max: 10});
    expect(grouped.domain).toHaveLength(10);
    expect(grouped.combined).toEqual(["Source 10", "Source 11", "Source 12"]);
    expect(grouped.rows.filter((r) => r.label === grouped.combinedLabel).map((r) => r.n)).toEqual([300 + 200 + 100, 600]);
    // 12 sources, as the sample had: each its own colour from the site's palette (20 colours)
    const colours = (el: Element) => [...el.querySelectorAll("[class$='-swatch'] svg")].map((s) => s.getAttribute("fill"));
    const twelve = ContactsByMonth(rows, {width: 500, labels, fillLabel: "Who made the contact", caption: "n = 24,600 accepted contacts."});
    expect(swatches(twelve)).toEqual(sources.map((c) => labels[c]));
    expect(colours(twelve)).toEqual(CATEGORICAL.slice(0, 12));
    expect(twelve.querySelector("figcaption")?.textContent).toBe("n = 24,600 accepted contacts.");
    // 22 sources: the 19 largest keep theirs, the 3 smallest are combined into the 20th and named in the caption
    const many = Array.from({length: 22}, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
    const manyRows = ["2018-01", "2018-02"].flatMap((month) => many.map((code, i) => ({month, code, n: 2400 - 100 * i})));
    const manyLabels = Object.fromEntries(many.map((c) => [c, `Source ${c.slice(1)}`]));
    const el = ContactsByMonth(manyRows, {width: 500, labels: manyLabels, caption: "n = many."});
    expect(swatches(el)).toEqual([...many.slice(0, 19).map((c) => manyLabels[c]), "3 smaller groups combined"]);
    expect(new Set(colours(el)).size).toBe(20); // one colour each
    expect(el.querySelector("figcaption")?.textContent).toBe('n = many. "3 smaller groups combined": Source 20, Source 21, Source 22.');
    expect(marks(el, "rect", "rect").length).toBe(2 * 20);
    // few enough groups: each keeps its colour and nothing is combined
    expect(groupSmallest(rows.slice(0, 10), {labels}).combined).toEqual([]);
  });

  it("decision mix: one bar per decision, largest first, labelled with count and share", async () => {
    const el = DecisionMix(decisions, {width: 500, labels: {nfa: "No further action", shared: "Shared with children's social care"}});
    expect(marks(el, "bar", "rect").length).toBe(3);
    expect(ticks(el, "y")).toEqual(["Shared with children's social care", "No further action", "strategy"]);
    expect(texts(el).sort()).toEqual(["120 (60.0%)", "30 (15.0%)", "50 (25.0%)"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/decision-mix.svg.html");
  });
});
