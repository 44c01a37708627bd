/**
 * The public page "How well it works" as Markdown, from public-results.json:
 * the headline AUC, the score bands, calibration and the rates by group are
 * written into the page as text and tables; the charts are JavaScript cells
 * drawn from the same file, each above the table of its numbers.
 */
import {MIN_GROUP} from "../../../src/lib/intervals.ts";
import {escapeHtml, formatCount, publicTableHtml, recordsTableHtml, type PublishedTable} from "../../../src/components/public-table.ts";
import {
  chartWithNumbers,
  dataCell,
  downloadable,
  estimateText,
  importCell,
  pageStart,
  rateText,
  valuesOf,
  type PageContext,
} from "./page.ts";

/** The file this page reads. */
export const RESULTS_FILE = "public-results.json";

type Rate = "c" | {k: number; n: number; rate: number; lo: number; hi: number};
interface Group {
  group: string;
  n: number | "c";
  truePositiveRate: Rate;
  falsePositiveRate: Rate;
  auc: string | {value: number; lo: number; hi: number};
}
/** The parts of public-results.json this page shows. */
export interface ResultsData {
  threshold: number;
  auc: {value: number; lo: number; hi: number; n: number};
  guessAuc: number;
  baselineAuc: {value: number} | null;
  baselineLabel: string | null;
  definition: string;
  operatingPoint: {bandsFlagged: number};
  bands: PublishedTable;
  calibration: {group: string; n: number | "c"; predicted: number | "c"; observed: Rate}[];
  fairness: {variable: string; label: string; table: PublishedTable; groups: Group[]}[];
}

/** Why a rate shows "c", said under a table of rates that has one. */
export const RATE_NOTE = "c: not published, because a count behind the rate is not published (see the counts).";

/** Rates by group as a table: contacts, the two flagged rates with intervals, and the AUC. */
export function groupRatesTable(groups: readonly Group[], source: string, {falsePositives = true} = {}): string {
  const rows = groups.map((g) => ({
    group: g.group,
    n: formatCount(g.n),
    tpr: rateText(g.truePositiveRate, MIN_GROUP),
    fpr: rateText(g.falsePositiveRate, MIN_GROUP),
    auc: estimateText(g.auc),
  }));
  const columns = [
    {key: "group", label: "Group"},
    {key: "n", label: "Test contacts", numeric: true},
    {key: "tpr", label: "Flagged, outcome happened (95% interval)", numeric: true},
    ...(falsePositives ? [{key: "fpr", label: "Flagged, outcome did not happen (95% interval)", numeric: true}] : []),
    {key: "auc", label: "AUC (95% interval)", numeric: true},
  ];
  const anyC = groups.some((g) => g.truePositiveRate === "c" || (falsePositives && g.falsePositiveRate === "c"));
  return (
    recordsTableHtml(columns, rows, {caption: "Rates by group", source}) +
    (anyC ? `<p class="public-note">${escapeHtml(RATE_NOTE)}</p>` : "")
  );
}

/** The page's Markdown. */
export function resultsPage(r: ResultsData, context: PageContext): string {
  const v = valuesOf(RESULTS_FILE, r);
  const op = r.operatingPoint.bandsFlagged;
  const baseline =
    r.baselineAuc && r.baselineLabel
      ? `; a model that only knows ${escapeHtml(r.baselineLabel.toLowerCase())} ${v("baselineAuc.value", "f3")}`
      : "";
  const calibration = recordsTableHtml(
    [
      {key: "group", label: "Tenth of test contacts by score"},
      {key: "n", label: "Contacts", numeric: true},
      {key: "predicted", label: "Mean predicted", numeric: true},
      {key: "observed", label: "Observed (95% interval)", numeric: true},
    ],
    r.calibration.map((d) => ({
      group: d.group,
      n: formatCount(d.n),
      predicted: d.predicted === "c" ? "c" : `${(100 * d.predicted).toFixed(1)}%`,
      observed: rateText(d.observed, 0),
    })),
    {caption: "Calibration by tenth of score", source: `${RESULTS_FILE}:calibration`},
  );
  const bands = publicTableHtml(r.bands, {
    corner: "Score band",
    colLabels: {positive: "Outcome happened", negative: "Did not happen"},
    caption: "Test contacts by score band",
    source: `${RESULTS_FILE}:bands`,
  });
  const fairness = r.fairness.map(
    (f, i) => `<div class="card">
<h3>${escapeHtml(f.label)}</h3>
<div class="public-chart">\${${downloadable(`resize((width) => PublicRates(r.fairness[${i}].groups, {width, rate: "truePositiveRate", xLabel: "Flagged, outcome happened"}))`, `flagged-outcome-happened-by-${f.variable}`, `rateRows(r.fairness[${i}].groups, "truePositiveRate")`)}}</div>
<div class="public-chart">\${${downloadable(`resize((width) => PublicRates(r.fairness[${i}].groups, {width, rate: "falsePositiveRate", xLabel: "Flagged, outcome did not happen"}))`, `flagged-outcome-did-not-happen-by-${f.variable}`, `rateRows(r.fairness[${i}].groups, "falsePositiveRate")`)}}</div>
${groupRatesTable(f.groups, `${RESULTS_FILE}:fairness.${i}.groups`)}
<details class="public-numbers"><summary>Test contacts by group and result</summary>${publicTableHtml(f.table, {
      corner: "Group",
      colLabels: {tp: "flagged, happened", fn: "not flagged, happened", fp: "flagged, did not happen", tn: "not flagged, did not happen"},
      caption: `Test contacts by ${f.label.toLowerCase()} and result`,
      source: `${RESULTS_FILE}:fairness.${i}.table`,
    })}</details>
</div>`,
  );
  return [
    pageStart("How well it works", context),
    `All charts are drawn from counts after disclosure control: counts of 1 to ${v("threshold")} are "c" and left out of the charts.`,
    "",
    dataCell("r", RESULTS_FILE),
    importCell(["PublicBands", "bandRows"], "public-bands"),
    importCell(["PublicCalibration", "calibrationRows"], "public-calibration"),
    importCell(["PublicRates", "rateRows"], "public-rates"),
    importCell("Downloadable", "downloads"),
    `<div class="grid grid-cols-2">
<div class="card"><h2>Ranking (AUC, test contacts)</h2>${v("auc.value", "f3", 'class="big" data-check="auc"')}<p>95% interval ${v("auc.lo", "f3")}–${v("auc.hi", "f3")}, n = ${v("auc.n", "count")}. Guessing scores ${v("guessAuc", "f3")}${baseline}.</p></div>
<div class="card"><h2>What it predicts</h2><p>${v("definition")}</p></div>
</div>`,
    "",
    `<div class="card">
<h2>Test contacts by score band</h2>
${chartWithNumbers(downloadable(`resize((width) => PublicBands(r.bands, {width, flaggedFrom: 21 - r.operatingPoint.bandsFlagged, caption: "Solid bars: the top ${op} bands, flagged at the illustrative operating point."}))`, "test-contacts-by-score-band", "bandRows(r.bands)"), bands)}
</div>`,
    "",
    `<div class="card">
<h2>Calibration: predicted against observed</h2>
${chartWithNumbers(downloadable(`resize((width) => PublicCalibration(r.calibration, {width, caption: "Test contacts in ten equal groups by score; the dashed line is perfect calibration."}))`, "calibration", "calibrationRows(r.calibration)"), calibration)}
</div>`,
    "",
    "## For whom it works less well",
    "",
    `At the illustrative operating point (the top ${v("operatingPoint.bandsFlagged")} of 20 score bands flagged), by group: how many were flagged among contacts that went on to the outcome (first chart), and among those that did not (second). A wide interval means too few contacts to tell.`,
    "",
    ...fairness.flatMap((card) => [card, ""]),
  ].join("\n");
}
