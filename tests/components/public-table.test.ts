// @vitest-environment jsdom
// HTML snapshot of the published table (the public pages, loaders/public/pages): counts after
// the real disclosure control, suppressed cells shown as "c" with one note saying what "c"
// means (never which "c" is a small count), totals, every count cell marked for the scan, and
// a box that scrolls sideways instead of widening the page. The same text the public build
// writes into the HTML is what the browser element holds.
import {describe, expect, it} from "vitest";
import {escapeHtml, publicTableHtml, PublicTable, recordsTableHtml, suppressionNote} from "../../src/components/public-table.ts";
import {suppressTable} from "../../src/lib/disclosure.ts";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";
import {clean} from "./snapshot.ts";

const confusion = suppressTable({
  rows: ["Female", "Male", "Not known"],
  cols: ["tp", "fn", "fp", "tn"],
  counts: [
    [120, 40, 60, 1300],
    [100, 50, 70, 1250],
    [3, 8, 9, 40],
  ],
});

const options = {
  rowLabels: {"Not known": "Not recorded"},
  colLabels: {tp: "flagged, happened", fn: "not flagged, happened", fp: "flagged, did not happen", tn: "not flagged, did not happen"},
  caption: "Test contacts",
  source: "public-results.json:fairness.0.table",
};

describe("public table (HTML snapshot)", () => {
  it("shows published counts with totals, and 'c' where a count is suppressed, with one note for every 'c'", async () => {
    const el = PublicTable(confusion, options);
    const table = el.querySelector("table")!;
    expect(table.getAttribute("data-table")).toBe("public-results.json:fairness.0.table");
    expect(table.querySelector("caption")?.textContent).toBe(`Test contacts${suppressionNote(5)}`);
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual([
      "",
      "flagged, happened",
      "not flagged, happened",
      "flagged, did not happen",
      "not flagged, did not happen",
      "Total",
    ]);
    expect([...table.querySelectorAll("tbody th")].map((th) => th.textContent)).toEqual(["Female", "Male", "Not recorded"]);
    // every suppressed cell is marked and written "c"; the 3 is among them, and nothing tells it from its complements
    const suppressed = [...table.querySelectorAll("td[data-suppressed=yes]")];
    expect(suppressed.length).toBe(confusion.cells.flat().filter((v) => v === "c").length);
    expect(suppressed.length).toBeGreaterThan(1);
    expect(suppressed.every((td) => td.textContent === "c" && td.outerHTML === suppressed[0].outerHTML)).toBe(true);
    expect(table.querySelector("tbody tr:nth-child(3) td")?.textContent).toBe("c");
    expect(table.querySelector("tfoot td:last-child")?.textContent).toBe((3050).toLocaleString("en-GB"));
    // every count cell (inner cells and totals) is marked for the scan
    expect(table.querySelectorAll("td[data-count]").length).toBe(table.querySelectorAll("td").length);
    // the table scrolls inside a named, focusable box, with a hint for narrow screens (5 columns)
    const box = el.querySelector(".public-scroll")!;
    expect([box.getAttribute("role"), box.getAttribute("tabindex"), box.getAttribute("aria-label")]).toEqual([
      "region",
      "0",
      "Test contacts",
    ]);
    expect(el.querySelector(".public-scroll-hint")).not.toBeNull();
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-table.html");
  });

  it("the page's HTML text and the browser element are the same table", () => {
    const el = PublicTable(confusion, options);
    const template = document.createElement("template");
    template.innerHTML = publicTableHtml(confusion, options);
    expect(el.innerHTML).toBe(template.innerHTML);
  });

  it("a one-column table has no Total column, and no note when nothing is suppressed", () => {
    const el = PublicTable(suppressTable({rows: ["training", "test"], cols: ["contacts"], counts: [[800], [200]]}));
    expect([...el.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["", "contacts"]);
    expect([...el.querySelectorAll("tfoot td")].map((td) => td.textContent)).toEqual(["1,000"]);
    expect(el.querySelector("caption")).toBeNull();
    expect(el.querySelector(".public-scroll-hint")).toBeNull();
  });

  it("shows text exactly as it is: markup, Markdown and Framework's ${…} are escaped", () => {
    const nasty = "<b>x</b> & *y* _z_ [a](b) | `c` ${d} \\";
    expect(escapeHtml(nasty)).not.toMatch(/[<>*_[\]|`${}\\]/);
    const template = document.createElement("template");
    template.innerHTML = recordsTableHtml(
      [
        {key: "k", label: "Key"},
        {key: "v", label: "Value", numeric: true},
      ],
      [{k: nasty, v: "0.771"}],
      {caption: nasty, source: "public-x.json:rows"},
    );
    expect(template.content.querySelector("tbody th")?.textContent).toBe(nasty);
    expect(template.content.querySelector("caption")?.textContent).toBe(nasty);
    expect(template.content.querySelector("td.public-num")?.textContent).toBe("0.771");
    expect(template.content.querySelector("table")?.getAttribute("data-rows")).toBe("public-x.json:rows");
  });
});

describe("public table CSV link", () => {
  /** The CSV a table's link downloads, as rows of unescaped cells. */
  const csvOf = (el: Element) => {
    const a = el.querySelector("a[data-csv]") as HTMLAnchorElement;
    const text = Buffer.from(a.getAttribute("href")!.replace(/^data:text\/csv;charset=utf-8;base64,/, ""), "base64").toString("utf8");
    return {name: a.getAttribute("download"), rows: csvRecords(text).map((r) => r.fields.map(unescapeCsvCell))};
  };
  /** The table's cells as shown (thousands separators dropped), heading row first. */
  const shownOf = (el: Element) =>
    [...el.querySelectorAll("table tr")].map((tr) =>
      [...tr.querySelectorAll("th, td")].map((c) => c.textContent!.replace(/(\d),(\d)/g, "$1$2")),
    );

  it("holds exactly the published cells the table shows, 'c' included, and is named from the caption and source", () => {
    const el = PublicTable(confusion, options);
    const {name, rows} = csvOf(el);
    expect(name).toBe("test-contacts-fairness-0-table.csv");
    expect(rows).toEqual(shownOf(el));
    expect(rows.flat()).toContain("c");
  });

  it("a table of records: its text cells, with formula-like labels escaped in the file", () => {
    const html = recordsTableHtml(
      [
        {key: "group", label: "Group"},
        {key: "rate", label: "Rate", numeric: true},
      ],
      [
        {group: "=HYPERLINK(1)", rate: "12.5%"},
        {group: "Other", rate: "c"},
        {group: "Everyone", rate: "1,233"},
      ],
      {caption: "Rates by group", download: "rates"},
    );
    const el = document.createElement("div");
    el.innerHTML = html;
    const {name, rows} = csvOf(el);
    expect(name).toBe("rates.csv");
    expect(rows).toEqual(shownOf(el));
    const raw = Buffer.from(el.querySelector("a[data-csv]")!.getAttribute("href")!.split(",")[1], "base64").toString("utf8");
    expect(raw).toContain("'=HYPERLINK(1)");
    expect(raw).toContain("Everyone,1233\n");
  });
});
