// @vitest-environment jsdom
// Chart snapshots: each evaluation chart rendered at a fixed width from a small
// seeded fixture, its SVG cleaned (./snapshot.ts: numbers rounded to 0.1 px) and compared with
// the committed file under __snapshots__. A changed chart fails until the
// snapshot is reviewed and updated (vitest -u).
import {describe, expect, it} from "vitest";
import {seeded} from "../../src/lib/metrics.ts";
import {curves} from "../../src/lib/discrimination.ts";
import {reliability} from "../../src/lib/calibration.ts";
import {decisionCurve, flagByScore, workloadByPeriod} from "../../src/lib/thresholds.ts";
import {groupMetrics, rateRatio} from "../../src/lib/fairness.ts";
import {PrChart, RocChart} from "../../src/components/roc-chart.ts";
import {ReliabilityChart} from "../../src/components/reliability-chart.ts";
import {QuarterChart} from "../../src/components/quarter-chart.ts";
import {DriftHeatmap} from "../../src/components/drift-heatmap.ts";
import {WorkloadChart} from "../../src/components/workload-chart.ts";
import {DecisionCurve} from "../../src/components/decision-curve.ts";
import {RatioChart} from "../../src/components/ratio-chart.ts";
import {DependenceChart, ImportanceChart} from "../../src/components/importance-chart.ts";
import {ContrastChart} from "../../src/components/contrast-chart.ts";
import {clean} from "./snapshot.ts";

const r = seeded(42);
const n = 400;
const score = Array.from({length: n}, () => Math.round(r() * 100) / 100);
const y = score.map((s) => (r() < s ? 1 : 0));
const month = score.map((_, i) => `2018-${String(7 + (i % 6)).padStart(2, "0")}`);
const group = score
  .map((_, i) => (i % 10 === 0 ? "small" : i % 2 ? "a" : "b"))
  .map((g, i) => (i < 20 && g === "small" ? g : g === "small" ? "a" : g));

const charts: [string, () => Element][] = [
  [
    "roc",
    () =>
      RocChart(
        curves(score, y).map((d) => ({...d, model: "m"})),
        {width: 400},
      ),
  ],
  [
    "pr",
    () =>
      PrChart(
        curves(score, y)
          .slice(1)
          .map((d) => ({...d, model: "m"})),
        {width: 400, baseline: 0.5},
      ),
  ],
  [
    "reliability",
    () =>
      ReliabilityChart(
        reliability(score, y, {bins: 5}).map((b) => ({...b, version: "as trained"})),
        {width: 400},
      ),
  ],
  [
    "quarter",
    () =>
      QuarterChart(
        [
          {quarter: "2018-Q3", split: "test", value: 0.8, lo: 0.75, hi: 0.85, n: 200},
          {quarter: "2018-Q4", split: "test", value: 0.78, lo: 0.72, hi: 0.84, n: 200},
        ],
        {width: 400, baseline: 0.5},
      ),
  ],
  [
    "drift",
    () =>
      DriftHeatmap(
        [
          {variable: "age", quarter: "2018-Q3", psi: 0.02, n: 200},
          {variable: "age", quarter: "2018-Q4", psi: 0.3, n: 200},
        ],
        {width: 400},
      ),
  ],
  ["workload", () => WorkloadChart(workloadByPeriod(month, y, flagByScore(score, 0.3)), {width: 400})],
  ["decision-curve", () => DecisionCurve(decisionCurve(score, y, [0.1, 0.2, 0.3, 0.4, 0.5]), {width: 400, marker: 0.3})],
  [
    "ratio",
    () => {
      const g = groupMetrics(group, y, flagByScore(score, 0.5), score);
      const ref = g.find((d) => d.group === "b")!;
      return RatioChart(
        g.map((d) => ({...d, reference: d === ref, ...rateRatio(d.fpr.k, d.fpr.n, ref.fpr.k, ref.fpr.n)})),
        {width: 500},
      );
    },
  ],
  [
    "importance",
    () =>
      ImportanceChart(
        [
          {name: "concerns", drop: 0.1, min: 0.09, max: 0.11},
          {name: "district", drop: -0.001, min: -0.002, max: 0},
        ],
        {width: 400, x: "drop", lo: "min", hi: "max"},
      ),
  ],
  [
    "dependence",
    () =>
      DependenceChart(
        [
          {value: "police", mean: 0.3},
          {value: "school", mean: 0.2},
        ],
        {width: 300},
      ),
  ],
];

describe("evaluation charts (SVG snapshots at a fixed width)", () => {
  it.each(charts)("%s", async (name, make) => {
    const el = make();
    // a chart with marks, not an empty frame
    const svg = el.tagName.toLowerCase() === "svg" ? el : el.querySelector("svg.plot, svg:not([width='15'])");
    expect(svg).not.toBeNull();
    expect(
      el.querySelectorAll(
        "g[aria-label$='mark'], g[aria-label='line'], g[aria-label='dot'], g[aria-label='cell'], g[aria-label='bar'], g[aria-label='rule']",
      ).length,
    ).toBeGreaterThan(0);
    await expect(clean(el)).toMatchFileSnapshot(`__snapshots__/${name}.svg.html`);
  });

  it("the ratio chart with a tolerance shades the band counted as parity and writes each group's verdict", async () => {
    const rows = [
      {group: "a", ratio: 1, lo: 1, hi: 1, n: 900, tooFew: false, reference: true},
      {group: "b", ratio: 1.05, lo: 0.9, hi: 1.2, n: 500, tooFew: false, reference: false, verdict: "within tolerance"},
      {group: "c", ratio: 2.1, lo: 1.5, hi: 3, n: 300, tooFew: false, reference: false, verdict: "outside tolerance"},
      {group: "d", ratio: 1.3, lo: 0.7, hi: 2.4, n: 120, tooFew: false, reference: false, verdict: "too few to tell"},
    ];
    const el = RatioChart(rows, {width: 500, tolerance: [0.8, 1.25], interval: "Bonferroni-adjusted 95% interval", label: "FPR ratio"});
    expect(el.querySelectorAll("g[aria-label='rect'] rect").length).toBe(1);
    expect(el.textContent).toContain("n = 300 · outside tolerance");
    expect(el.textContent).toContain("FPR ratio (log scale) with Bonferroni-adjusted 95% interval");
    // without a tolerance: no band, no verdicts
    const plain = RatioChart(rows, {width: 500});
    expect(plain.querySelectorAll("g[aria-label='rect']").length).toBe(0);
    expect(plain.textContent).not.toContain("tolerance");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/ratio-tolerance.svg.html");
  });

  it("the ratio chart lists a small group as too few to tell and draws no interval for it", () => {
    const g = groupMetrics(group, y, flagByScore(score, 0.5), score);
    expect(g.find((d) => d.group === "small")!.tooFew).toBe(true);
    const ref = g.find((d) => d.group === "b")!;
    const el = RatioChart(
      g.map((d) => ({...d, reference: d === ref, ...rateRatio(d.fpr.k, d.fpr.n, ref.fpr.k, ref.fpr.n)})),
      {width: 500},
    );
    expect(el.textContent).toContain("too few to tell");
  });
});

describe("contrast chart (levels of a category against a reference)", () => {
  const rows = [
    {label: "Schools (n = 140)", estimate: 0.4, lo: 0.3, hi: 0.5},
    {label: "Anonymous (n = 18)", estimate: -0.24, lo: -0.38, hi: -0.09},
    {label: "Sexual abuse (n = 60)", estimate: 0.7, lo: null, hi: null},
    {label: "Housing (n = 0)", estimate: null, lo: null, hi: null},
  ];
  it("draws an interval for each estimable level, a hollow dot for one set by the penalty, nothing for a level never seen", async () => {
    const el = ContrastChart(rows, {width: 500, reference: "Police"});
    expect(el.querySelectorAll("g[aria-label='rule'] line").length).toBe(1 + 2); // the zero line + two intervals
    expect(el.querySelectorAll("g[aria-label='dot'] circle").length).toBe(3);
    expect(el.textContent).toContain("Difference in log-odds from Police");
    expect(el.textContent).not.toContain("Housing");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/contrast.svg.html");
  });
});
