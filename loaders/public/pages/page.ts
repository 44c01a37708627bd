/**
 * What every public page shares, as Markdown text: the front matter, the
 * stylesheet, the "synthetic data" notice at the top while the data are the
 * generated sample, and values from the public data files written into the
 * page at build time (so they read with JavaScript off), each tagged with the
 * file and path it came from (`data-value="public-results.json:auc.value"`)
 * for the page tests. Charts stay JavaScript cells that enhance the page.
 */
import {escapeHtml, formatCount, type PublishedCell} from "../../../src/components/public-table.ts";

/** What a page needs besides its data. */
export interface PageContext {
  /** Whether every number comes from the generated sample (loaders/public/provenance.ts). */
  synthetic: boolean;
}

/** How a value is written; the page tests format the same way from the data. */
export const FORMATS = {
  /** three decimals: 0.771 */
  f3: (x: unknown) => (x as number).toFixed(3),
  /** a whole percentage without the sign: 77 */
  pct: (x: unknown) => (100 * (x as number)).toFixed(0),
  /** a published count: 12,466 or c */
  count: (x: unknown) => formatCount(x as PublishedCell),
  /** as it is */
  text: (x: unknown) => String(x),
} as const;
export type Format = keyof typeof FORMATS;

/**
 * The value at a dotted path ("fairness.0.table.total") of parsed JSON; throws
 * naming the path when it is missing, so a page never shows "undefined".
 */
export function lookup(data: unknown, path: string): unknown {
  let here: unknown = data;
  for (const key of path.split(".")) {
    if (here === null || typeof here !== "object" || !(key in here)) throw new Error(`public page: no ${path} in the public data`);
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/**
 * A function writing values of one public data file into a page:
 * `v("auc.value", "f3")` → `<span data-value="public-results.json:auc.value" data-format="f3">0.771</span>`.
 *
 * @example const v = valuesOf("public-results.json", r); `AUC ${v("auc.value", "f3")}`
 */
export function valuesOf(file: string, data: unknown) {
  return (path: string, format: Format = "text", attributes = ""): string =>
    `<span data-value="${escapeHtml(`${file}:${path}`)}" data-format="${format}"${attributes ? ` ${attributes}` : ""}>${escapeHtml(
      FORMATS[format](lookup(data, path)),
    )}</span>`;
}

/** The notice at the top of every public page while its numbers come from the generated sample. */
export const SYNTHETIC_NOTICE =
  '<p class="public-synthetic" role="note"><strong>Synthetic data.</strong> Every number on this site comes from a generated sample of made-up contacts, not from any real child, family or MASH. It shows how the model would be published and checked.</p>';

/**
 * The start of a public page: front matter (title, `audience: public`), the
 * public stylesheet, a rule hiding chart placeholders when JavaScript is off,
 * the synthetic-data notice when it applies, and the heading (the title unless given).
 */
export function pageStart(title: string, {synthetic}: PageContext, heading = title): string {
  return [
    "---",
    `title: ${JSON.stringify(title)}`,
    "audience: public",
    "---",
    "",
    '<link rel="stylesheet" href="./public.css">',
    "<noscript><style>observablehq-loading { display: none; }</style></noscript>",
    "",
    ...(synthetic ? [SYNTHETIC_NOTICE, ""] : []),
    `# ${escapeHtml(heading)}`,
    "",
  ].join("\n");
}

/** A JavaScript cell that loads a public data file (charts read it; the text does not). */
export function dataCell(name: string, file: string): string {
  return ["```js", `const ${name} = FileAttachment("data/${file}").json();`, "```", ""].join("\n");
}

/**
 * A JavaScript cell importing one chart component, alone, so a module that
 * fails to load breaks only its own charts.
 */
export function importCell(name: string | readonly string[], module: string): string {
  const names = typeof name === "string" ? name : name.join(", ");
  return ["```js", `import {${names}} from "./components/${module}.js";`, "```", ""].join("\n");
}

/**
 * A chart expression wrapped in its download buttons (src/components/downloads.ts): CSV of
 * `rows`, an expression over the page's public data file only (the published, suppressed
 * aggregates the chart draws), and SVG and PNG of the chart. The page imports `Downloadable`.
 *
 * @example downloadable("resize((width) => PublicBands(r.bands, {width}))", "score-bands", "bandRows(r.bands)")
 */
export function downloadable(expression: string, name: string, rows: string): string {
  // The file name in letters, digits and hyphens only: nothing Markdown or Framework would read.
  const file = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return `Downloadable(${expression}, {name: "${file}", rows: ${rows}})`;
}

/** Said where a chart stands when JavaScript is off. */
export const NO_SCRIPT_CHART =
  '<noscript><p class="public-note">The chart needs JavaScript; its numbers are in the table below.</p></noscript>';

/** A chart (a Framework inline expression) followed by its numbers in a table that is always in the page. */
export function chartWithNumbers(expression: string, table: string, summary = "The numbers behind the chart"): string {
  return `<div class="public-chart">\${${expression}}</div>${NO_SCRIPT_CHART}<details class="public-numbers"><summary>${escapeHtml(summary)}</summary>${table}</details>`;
}

/** A rate with its 95% interval as text: "46.3% (43.8–48.8%)", or "c". */
export function rateText(rate: unknown, minN: number): string {
  if (rate === "c") return "c";
  const r = rate as {rate: number; lo: number; hi: number; n: number};
  const p = (x: number) => (100 * x).toFixed(1);
  return `${p(r.rate)}% (${p(r.lo)}–${p(r.hi)}%)${r.n < minN ? ", too few to tell" : ""}`;
}

/** An estimate with its interval to three decimals: "0.771 (0.762–0.779)", or the text given instead (e.g. "too few to tell"). */
export function estimateText(e: unknown): string {
  if (typeof e === "string") return e;
  const x = e as {value: number; lo: number; hi: number};
  return `${x.value.toFixed(3)} (${x.lo.toFixed(3)}–${x.hi.toFixed(3)})`;
}
