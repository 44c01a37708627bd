// @vitest-environment jsdom
// The accessible names and summaries charts give (src/components/chart-aria.ts): mark
// groups without text are hidden from assistive technology and those with text are not,
// and the sentence helpers say what the chart draws.
import {describe, expect, it} from "vitest";
import * as Plot from "@observablehq/plot";
import {counted, curveArea, inSentence, listed, pct, quietMarks, totals, trends} from "../../src/components/chart-aria.ts";
import {RocCurves} from "../../src/components/roc-curves.ts";
import {plotSvg} from "./snapshot.ts";

describe("quietMarks", () => {
  it("hides mark groups that hold no text and leaves axes and text marks readable", () => {
    const chart = quietMarks(
      Plot.plot({
        ariaLabel: "Three bars",
        marks: [Plot.barY([3, 5, 2]), Plot.text([3, 5, 2], {x: (_: number, i: number) => i, y: (d: number) => d, text: String})],
      }),
    );
    const hidden = [...chart.querySelectorAll("g[aria-hidden=true]")].map((g) => g.getAttribute("aria-label"));
    const shown = [...chart.querySelectorAll("g[aria-label]:not([aria-hidden])")].map((g) => g.getAttribute("aria-label"));
    expect(hidden).toEqual(["y-axis tick", "x-axis tick", "bar"]); // tick lines and bars: no text
    expect(shown).toEqual(expect.arrayContaining(["y-axis tick label", "x-axis tick label", "text"]));
    expect(shown).not.toContain("bar");
  });

  it("names a chart from its data: the ROC curves say how many models and each one's area", () => {
    const rows = [
      {model: "logistic", fpr: 0, tpr: 0},
      {model: "logistic", fpr: 0, tpr: 1},
      {model: "logistic", fpr: 1, tpr: 1},
      {model: "chance", fpr: 0, tpr: 0},
      {model: "chance", fpr: 1, tpr: 1},
    ];
    const chart = RocCurves(rows, {width: 300});
    const svg = plotSvg(chart);
    expect(svg.getAttribute("aria-label")).toBe("ROC curves of 2 models");
    expect(svg.getAttribute("aria-description")).toMatch(
      /logistic \(area under the curve 1\.000\) and chance \(area under the curve 0\.500\)/,
    );
    expect(chart.querySelectorAll("g[aria-label=line]:not([aria-hidden])")).toHaveLength(0);
  });
});

describe("sentence helpers", () => {
  it("lists, counts and formats for a sentence", () => {
    expect(listed([])).toBe("none");
    expect(listed(["a"])).toBe("a");
    expect(listed(["a", "b", "c"])).toBe("a, b and c");
    expect(listed(["a", "b", "c", "d", "e"], 3)).toBe("a, b, c and 2 more");
    expect(pct(0.1234)).toBe("12.3%");
    expect(pct(null)).toBe("0.0%");
    expect(pct("x")).toBe("–");
    expect(counted(1, "input")).toBe("1 input");
    expect(counted(1200, "category", "categories")).toBe("1,200 categories");
    expect(inSentence("Referral source")).toBe("referral source");
    expect(inSentence("LA services")).toBe("LA services");
  });

  it("sums by group, follows each series from first to last, and measures a curve's area", () => {
    const rows = [
      {k: "a", n: 2, month: "2018-02"},
      {k: "b", n: 5, month: "2018-01"},
      {k: "a", n: 4, month: "2018-01"},
    ];
    expect(totals(rows, "k", "n")).toEqual([
      ["a", 6],
      ["b", 5],
    ]);
    expect(trends(rows, {series: "k", x: "month", y: "n", format: String})).toEqual([
      "a: 4 (2018-01) to 2 (2018-02)",
      "b: 5 (2018-01) to 5 (2018-01)",
    ]);
    expect(
      curveArea(
        [
          {x: 0, y: 0},
          {x: 1, y: 1},
        ],
        "x",
        "y",
      ),
    ).toBe(0.5);
    expect(
      curveArea(
        [
          {x: 1, y: 1},
          {x: 0, y: 0},
          {x: 0, y: 1},
        ],
        "x",
        "y",
      ),
    ).toBe(1);
  });
});
