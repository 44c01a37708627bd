import {html} from "npm:htl";

/** A table after disclosure control (src/lib/disclosure.ts SuppressedTable), as published. */
export interface PublishedTable {
  rows: string[];
  cols: string[];
  cells: (number | "c")[][];
  rowTotals: (number | "c")[];
  colTotals: (number | "c")[];
  total: number | "c";
  threshold: number;
}

const fmt = (x: number | "c") => (x === "c" ? "c" : x.toLocaleString("en-GB"));

/**
 * An HTML table of published counts with its totals; suppressed counts show as "c".
 * @example PublicTable(t, {rowLabels: {police: "Police"}, colLabels: {n: "contacts"}, caption: "Contacts by source"})
 */
export function PublicTable(
  t: PublishedTable,
  {rowLabels = {} as Record<string, string>, colLabels = {} as Record<string, string>, caption = "", totals = true} = {},
) {
  const oneColumn = t.cols.length === 1;
  return html`<table class="public-table">
    ${caption ? html`<caption>${caption}</caption>` : ""}
    <thead><tr><th></th>${t.cols.map((c) => html`<th>${colLabels[c] ?? c}</th>`)}${totals && !oneColumn ? html`<th>Total</th>` : ""}</tr></thead>
    <tbody>${t.rows.map((r, i) => html`<tr><th>${rowLabels[r] ?? r}</th>${t.cells[i].map((v) => html`<td data-suppressed=${v === "c" ? "yes" : "no"}>${fmt(v)}</td>`)}${totals && !oneColumn ? html`<td>${fmt(t.rowTotals[i])}</td>` : ""}</tr>`)}</tbody>
    ${totals ? html`<tfoot><tr><th>Total</th>${t.colTotals.map((v) => html`<td>${fmt(v)}</td>`)}${oneColumn ? "" : html`<td>${fmt(t.total)}</td>`}</tr></tfoot>` : ""}
  </table>`;
}
