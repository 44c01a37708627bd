/**
 * Tables of the public results site as HTML text, so the public build writes
 * them into the page itself (they read with JavaScript off) and the browser
 * can use the same markup ({@link PublicTable}). Pure string functions: no
 * DOM and no npm import, so Node (loaders/public/pages) and the browser share them.
 *
 * Every table sits in a card-width box that scrolls sideways rather than
 * widening the page (class `public-scroll`, styled in src/public.css), and
 * every count cell carries `data-count`, which the public scan reads
 * (loaders/public/scan.ts). Under each table a link downloads it as CSV: the
 * cells as published (a data: address, so it works with JavaScript off too).
 */
import {csvLine} from "../lib/csv.js";

/** A published count: a number (0 or above the threshold) or "c". */
export type PublishedCell = number | "c";

/** A table after disclosure control (src/lib/disclosure.ts SuppressedTable), as published. */
export interface PublishedTable {
  rows: string[];
  cols: string[];
  cells: PublishedCell[][];
  rowTotals: PublishedCell[];
  colTotals: PublishedCell[];
  total: PublishedCell;
  threshold: number;
}

/**
 * Escapes text for HTML, and for Markdown and Framework around it: besides
 * `& < > " '`, the characters Markdown or Framework would read (`$ { } \` * _ [ ] | \\`)
 * become character references, so a value is shown exactly as it is.
 *
 * @example escapeHtml("a <b> & ${c}") // "a &lt;b&gt; &amp; &#36;&#123;c&#125;"
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'$`{}\\*_[\]|]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : `&#${c.charCodeAt(0)};`,
  );
}

/** A published count as shown: "c", or the number with thousands separators. */
export function formatCount(x: PublishedCell): string {
  return x === "c" ? "c" : x.toLocaleString("en-GB");
}

/**
 * What "c" means. One sign for every count not published: a count of 1 to
 * `threshold` and a count hidden so that such a count cannot be worked out from
 * the totals look the same, because telling them apart would narrow what the
 * hidden counts can be (see docs/privacy.md).
 */
export function suppressionNote(threshold: number): string {
  return `c: not published. Either the count is between 1 and ${threshold}, or it is hidden so that such a count cannot be worked out from the totals.`;
}

/** Options of {@link publicTableHtml}. */
export interface PublicTableOptions {
  rowLabels?: Record<string, string>;
  colLabels?: Record<string, string>;
  caption?: string;
  /** Show row and column totals (default true). */
  totals?: boolean;
  /** Where the table comes from, e.g. "public-results.json:bands" (written as data-table, for checks). */
  source?: string;
  /** Label of the first column's heading (default none). */
  corner?: string;
  /** The CSV file's name without extension (default: from the caption and source). */
  download?: string;
}

/** A CSV file name for a table: the option given, else its caption and the part of the data it shows. */
function downloadName(caption: string, source: string | undefined, given?: string): string {
  return given ?? fileSlug([caption, source?.split(":")[1]].filter(Boolean).join(" "));
}

/** A file name from a table's caption (or its data source): lower case words joined by "-". */
export function fileSlug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "table"
  );
}

/** UTF-8 text as base64 (btoa takes bytes one character each). Base64 survives every HTML and Markdown rewrite of a link. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A link that downloads `lines` (the heading row first) as a CSV file, formula-like text escaped
 * (src/lib/csv.ts). The CSV is in the address itself, so no script is needed.
 */
export function csvLink(lines: readonly (readonly string[])[], name: string, label: string): string {
  const csv = lines.map((l) => csvLine(l)).join("\n") + "\n";
  const href = `data:text/csv;charset=utf-8;base64,${base64(csv)}`;
  return `<p class="public-download"><a href="${escapeHtml(href)}" download="${escapeHtml(name)}.csv" aria-label="Download CSV: ${escapeHtml(label || name)}" data-csv>Download CSV</a></p>`;
}

/** A scrolling box around a table: keyboard-focusable, named by its caption, with a hint when wide and its CSV link. */
export function scrollBox(table: string, label: string, wide: boolean, csv = ""): string {
  const hint = wide ? `<p class="public-scroll-hint" aria-hidden="true">Scroll sideways for every column →</p>` : "";
  return `<div class="public-scroll" tabindex="0" role="region" aria-label="${escapeHtml(label || "table")}">${table}</div>${hint}${csv}`;
}

/**
 * A published table with its totals as HTML; suppressed counts show as "c" and
 * the caption says what "c" means when there is one.
 *
 * @example publicTableHtml(t, {rowLabels: {police: "Police"}, colLabels: {n: "contacts"}, caption: "Contacts by source"})
 */
export function publicTableHtml(t: PublishedTable, options: PublicTableOptions = {}): string {
  const {rowLabels = {}, colLabels = {}, caption = "", totals = true, source, corner = "", download} = options;
  const oneColumn = t.cols.length === 1;
  const rowTotal = totals && !oneColumn;
  const anySuppressed = [...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.total].includes("c");
  const td = (v: PublishedCell) => `<td data-count${v === "c" ? ' data-suppressed="yes"' : ""}>${formatCount(v)}</td>`;
  const head = `<thead><tr><th scope="col">${escapeHtml(corner)}</th>${t.cols
    .map((c) => `<th scope="col">${escapeHtml(colLabels[c] ?? c)}</th>`)
    .join("")}${rowTotal ? `<th scope="col">Total</th>` : ""}</tr></thead>`;
  const body = `<tbody>${t.rows
    .map(
      (r, i) =>
        `<tr><th scope="row">${escapeHtml(rowLabels[r] ?? r)}</th>${t.cells[i].map(td).join("")}${rowTotal ? td(t.rowTotals[i]) : ""}</tr>`,
    )
    .join("")}</tbody>`;
  const foot = totals
    ? `<tfoot><tr><th scope="row">Total</th>${t.colTotals.map(td).join("")}${oneColumn ? "" : td(t.total)}</tr></tfoot>`
    : "";
  const note = anySuppressed ? `<span class="public-note">${escapeHtml(suppressionNote(t.threshold))}</span>` : "";
  const cap = caption || note ? `<caption>${escapeHtml(caption)}${note}</caption>` : "";
  const table = `<table class="public-table"${source ? ` data-table="${escapeHtml(source)}"` : ""}>${cap}${head}${body}${foot}</table>`;
  const count = (v: PublishedCell) => String(v);
  const lines = [
    [corner, ...t.cols.map((c) => colLabels[c] ?? c), ...(rowTotal ? ["Total"] : [])],
    ...t.rows.map((r, i) => [rowLabels[r] ?? r, ...t.cells[i].map(count), ...(rowTotal ? [count(t.rowTotals[i])] : [])]),
    ...(totals ? [["Total", ...t.colTotals.map(count), ...(oneColumn ? [] : [count(t.total)])]] : []),
  ];
  const csv = csvLink(lines, downloadName(caption, source, download), caption);
  return scrollBox(table, caption, t.cols.length + (rowTotal ? 1 : 0) >= 4, csv);
}

/** A column of {@link recordsTableHtml}: the key of each record, its heading, and whether it holds numbers (right-aligned). */
export interface RecordColumn {
  key: string;
  label: string;
  numeric?: boolean;
}

/**
 * Rows of text as an HTML table (e.g. rates by group, the dictionary): one
 * row per record, cells already formatted. The first column heads each row.
 *
 * @example recordsTableHtml([{key: "metric", label: "Metric"}, {key: "value", label: "Value", numeric: true}], [{metric: "AUC", value: "0.771"}], {caption: "Metrics"})
 */
export function recordsTableHtml(
  columns: readonly RecordColumn[],
  records: readonly Record<string, string>[],
  {caption = "", source, header = true, download}: {caption?: string; source?: string; header?: boolean; download?: string} = {},
): string {
  const cell = (c: RecordColumn, r: Record<string, string>, i: number) =>
    i === 0
      ? `<th scope="row">${escapeHtml(r[c.key] ?? "")}</th>`
      : `<td${c.numeric ? ' class="public-num"' : ""}>${escapeHtml(r[c.key] ?? "")}</td>`;
  const head = header ? `<thead><tr>${columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join("")}</tr></thead>` : "";
  const body = `<tbody>${records.map((r) => `<tr>${columns.map((c, i) => cell(c, r, i)).join("")}</tr>`).join("")}</tbody>`;
  const table = `<table class="public-table public-records"${source ? ` data-rows="${escapeHtml(source)}"` : ""}>${
    caption ? `<caption>${escapeHtml(caption)}</caption>` : ""
  }${head}${body}</table>`;
  // a number written with thousands separators ("1,233") goes into the file as a number (1233)
  const plain = (v: string) => (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(v) ? v.replace(/,/g, "") : v);
  const lines = [...(header ? [columns.map((c) => c.label)] : []), ...records.map((r) => columns.map((c) => plain(r[c.key] ?? "")))];
  return scrollBox(table, caption, columns.length >= 4, csvLink(lines, downloadName(caption, source, download), caption));
}

/**
 * The same table as a DOM element, for a page that builds it in the browser.
 *
 * @example display(PublicTable(t, {caption: "Contacts by source"}))
 */
export function PublicTable(t: PublishedTable, options: PublicTableOptions = {}): HTMLElement {
  const template = document.createElement("template");
  template.innerHTML = publicTableHtml(t, options);
  const box = document.createElement("div");
  box.append(template.content);
  return box;
}
