import * as Plot from "npm:@observablehq/plot";
import {counted, listed, pct, quietMarks} from "./chart-aria.js";

export interface MissingnessHeatmapOptions {
  width?: number;
  x?: string;
  y?: string;
  n?: string;
  missing?: string;
  caption?: string;
}

/**
 * Share of contacts with an empty value, by month (x) and variable (y).
 * @example MissingnessHeatmap(quality.missingness, {width})
 */
export function MissingnessHeatmap(
  data: Record<string, unknown>[],
  {width = 640, x = "month", y = "variable", n = "n", missing = "missing", caption}: MissingnessHeatmapOptions = {},
) {
  const rows = data.map((d) => ({
    x: String(d[x]),
    y: String(d[y]),
    share: Number(d[missing]) / Number(d[n]),
    missing: Number(d[missing]),
    n: Number(d[n]),
  }));
  const variables = [...new Set(rows.map((r) => r.y))];
  const worst = rows.filter((r) => r.missing > 0).sort((a, b) => b.share - a.share);
  const chart = Plot.plot({
    width,
    height: 30 + 16 * variables.length,
    caption,
    ariaLabel: `Share of empty values by month, ${counted(variables.length, "variable")}`,
    ariaDescription: worst.length
      ? `Highest shares empty: ${listed(
          worst.map((r) => `${r.y}, ${r.x}: ${pct(r.share)}`),
          5,
        )}.`
      : "No empty values.",
    marginLeft: 150,
    x: {label: null, ticks: [...new Set(rows.map((r) => r.x))].filter((m) => m.endsWith("-01"))},
    y: {label: null, domain: variables},
    color: {scheme: "blues", legend: true, label: "Share empty", tickFormat: "%", domain: [0, Math.max(0.05, ...rows.map((r) => r.share))]},
    marks: [
      Plot.cell(rows, {
        x: "x",
        y: "y",
        fill: "share",
        inset: 0.2,
        tip: true,
        title: (d: any) => `${d.y}, ${d.x}: ${d.missing} of ${d.n} empty (${(100 * d.share).toFixed(1)}%)`,
      }),
    ],
  });
  return quietMarks(chart);
}
