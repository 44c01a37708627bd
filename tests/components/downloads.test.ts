// @vitest-environment jsdom
// Download buttons (src/components/downloads.ts): the CSV holds exactly the rows drawn (parsed
// back, formula-like text escaped and restored), a chart offers SVG and PNG, a table CSV only,
// and the SVG file is the chart's own SVG, standalone. jsdom has no object URLs: the blobs are
// caught where the page would hand them to the browser.
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {Downloadable, svgText} from "../../src/components/downloads.ts";
import {csvRecords, rowsToCsv, unescapeCsvCell} from "../../src/lib/csv.ts";

let saved: {file: string; blob: Blob}[] = [];
const created = new Map<string, Blob>();
beforeEach(() => {
  saved = [];
  let k = 0;
  URL.createObjectURL = (b: Blob) => {
    const url = `blob:test/${k++}`;
    created.set(url, b as Blob);
    return url;
  };
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    saved.push({file: this.download, blob: created.get(this.href)!});
  };
});
afterEach(() => document.body.replaceChildren());

/** A blob's text (jsdom's Blob has no text()). */
const read = (b: Blob) =>
  new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsText(b);
  });

const rows = [
  {group: "Police", n: 120, rate: 0.25},
  {group: '=HYPERLINK("x")', n: 7, rate: null},
  {group: "Schools, colleges", n: 30, rate: -0.5},
];

describe("rowsToCsv", () => {
  it("gives back exactly the rows: header, numbers as numbers, text escaped, missing empty", () => {
    const text = rowsToCsv(rows);
    const [header, ...body] = csvRecords(text).map((r) => r.fields);
    expect(header).toEqual(["group", "n", "rate"]);
    expect(body.map((f) => [unescapeCsvCell(f[0]), Number(f[1]), f[2] === "" ? null : Number(f[2])])).toEqual(
      rows.map((r) => [r.group, r.n, r.rate]),
    );
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe("Downloadable", () => {
  it("a chart: CSV, SVG and PNG buttons; the CSV and SVG files hold the rows and the chart", async () => {
    const chart = document.createElement("figure");
    chart.innerHTML = `<svg width="200" height="100" viewBox="0 0 200 100"><rect x="1" y="2" width="30" height="40"></rect></svg>`;
    const el = Downloadable(chart, {name: "by-group", rows});
    document.body.append(el);
    const buttons = [...el.querySelectorAll("button")].filter((b) => !b.hidden);
    expect(buttons.map((b) => b.textContent)).toEqual(["CSV", "SVG", "PNG"]);
    buttons[0].click();
    buttons[1].click();
    expect(saved.map((s) => s.file)).toEqual(["by-group.csv", "by-group.svg"]);
    expect(await read(saved[0].blob)).toBe(rowsToCsv(rows));
    const svg = await read(saved[1].blob);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('<rect x="1" y="2" width="30" height="40"');
    expect(svgText(chart)).toBe(svg);
  });

  it("a table: CSV only; no rows given: no CSV", () => {
    const table = document.createElement("table");
    const el = Downloadable(table, {name: "t", rows});
    expect([...el.querySelectorAll("button")].filter((b) => !b.hidden).map((b) => b.textContent)).toEqual(["CSV"]);
    const chart = document.createElement("div");
    chart.innerHTML = "<svg></svg>";
    expect([...Downloadable(chart, {name: "c"}).querySelectorAll("button")].filter((b) => !b.hidden).map((b) => b.textContent)).toEqual([
      "SVG",
      "PNG",
    ]);
  });
});
