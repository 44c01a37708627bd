import * as Plot from "npm:@observablehq/plot";
import {listed, quietMarks} from "./chart-aria.js";

const formatCell = (n: number | "c") => (n === "c" ? "c" : n.toLocaleString("en-GB"));

export interface PublicBandsOptions {
  width?: number;
  caption?: string;
  /** the first band counted as flagged at the illustrative operating point */
  flaggedFrom?: number;
}

const OUTCOME_LABEL: Record<string, string> = {positive: "Outcome happened", negative: "Did not happen"};

/**
 * The published cells a {@link PublicBands} chart is drawn from, one row per band and outcome,
 * "c" where suppressed (nothing else): its CSV download.
 * @example bandRows(results.bands)[0] // {band: "band 1", outcome: "Outcome happened", n: 12}
 */
export function bandRows(table: {
  rows: string[];
  cols: string[];
  cells: (number | "c")[][];
}): {band: string; outcome: string; n: number | "c"}[] {
  return table.rows.flatMap((band, i) => table.cols.map((col, j) => ({band, outcome: OUTCOME_LABEL[col] ?? col, n: table.cells[i][j]})));
}

/**
 * Contacts in each of the 20 score bands, split by outcome, from a disclosure-controlled
 * table (rows "band 1".."band 20", columns "positive" and "negative"); a suppressed cell is
 * drawn as nothing and marked "c" above its band. Bands from `flaggedFrom`
 * up (the illustrative operating point) are drawn solid, the others paler.
 * Below 480 px wide, every other band is numbered.
 * @example PublicBands(results.bands, {width, flaggedFrom: 16})
 */
export function PublicBands(
  table: {rows: string[]; cols: string[]; cells: (number | "c")[][]},
  {width = 640, caption, flaggedFrom}: PublicBandsOptions = {},
) {
  const label = OUTCOME_LABEL;
  const rows = table.rows.flatMap((band, i) =>
    table.cols.map((col, j) => ({band: Number(band.replace(/\D+/g, "")), outcome: label[col] ?? col, n: table.cells[i][j]})),
  );
  const shown = rows.filter((d) => d.n !== "c") as {band: number; outcome: string; n: number}[];
  const hidden = [...new Set(rows.filter((d) => d.n === "c").map((d) => d.band))];
  // On a phone every other band is numbered, so the numbers do not run into each other.
  const narrow = width < 480;
  const chart = Plot.plot({
    width,
    height: 280,
    caption,
    ariaLabel: "Test contacts in each of the 20 score bands, by outcome",
    ariaDescription: `${listed(
      table.rows.map(
        (band, i) => `${band} (${table.cols.map((col, j) => `${label[col] ?? col}: ${formatCell(table.cells[i][j])}`).join(" / ")})`,
      ),
      20,
    )} ("c": not published).`,
    x: {
      label: narrow ? "Score band (1 = lowest 5%, 20 = highest)" : "Score band (1 = lowest 5% of training scores, 20 = highest)",
      tickFormat: (d: number) => (narrow && d % 2 === 0 ? "" : String(d)),
    },
    y: {grid: true, label: "Test contacts"},
    color: {legend: true, domain: Object.values(label)},
    marks: [
      Plot.barY(shown, {
        x: "band",
        y: "n",
        fill: "outcome",
        fillOpacity: (d: {band: number}) => (flaggedFrom && d.band < flaggedFrom ? 0.55 : 1),
      }),
      Plot.text(hidden, {x: (d: number) => d, frameAnchor: "top", dy: 8, text: () => "c"}),
    ],
  });
  return quietMarks(chart);
}
