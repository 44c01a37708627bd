// @vitest-environment jsdom
// The public pages rendered at build time (loaders/public/pages), from the real public data
// files (each public loader run once here, as the public build does): every number written in
// is the data's own (each tagged value is checked against the data it names), every published
// table is in the page cell for cell, text from the data is shown literally, the only
// JavaScript left is charts, and the synthetic-data notice heads every page exactly when the
// data are the generated sample.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {PUBLIC_PAGES, renderedPageName, renderFrom, runPublicLoader} from "../../../loaders/public/pages/render.ts";
import {SYNTHETIC_NOTICE} from "../../../loaders/public/pages/page.ts";
import {suppressionNote} from "../../../src/components/public-table.ts";

const files = [...new Set(Object.values(PUBLIC_PAGES).map((p) => p.file))];
const json: Record<string, string> = {};
const data: Record<string, any> = {};

beforeAll(() => {
  for (const f of files) {
    json[f] = runPublicLoader(f);
    data[f] = JSON.parse(json[f]);
  }
}, 120_000);

/** The value at a dotted path, read independently of the renderer. */
const at = (value: any, path: string) => path.split(".").reduce((v, k) => v[k], value);
/** How a tagged value must read, by its format (written here, not imported). */
const formatted = (value: any, format: string) =>
  format === "f3"
    ? value.toFixed(3)
    : format === "pct"
      ? String(Math.round(100 * value))
      : format === "count"
        ? value === "c"
          ? "c"
          : value.toLocaleString("en-GB")
        : String(value);

/** The page's HTML parts as a document fragment (Markdown text in between is harmless text). */
function parse(markdown: string): DocumentFragment {
  const template = document.createElement("template");
  template.innerHTML = markdown;
  return template.content;
}

/** The published tables a page must show, by path in its data file. */
function tablesOf(name: string, d: any): string[] {
  if (name === "results") return ["bands", ...d.fairness.map((_: unknown, i: number) => `fairness.${i}.table`)];
  if (name === "model-card") return ["modelCard.data.split"];
  if (name === "transparency") return ["atrs.tier2.data.split"];
  if (name === "data-sheet")
    return [
      "ingest.accounting",
      "ingest.rejectedByRule",
      "byYear",
      ...d.variables.flatMap((v: any, i: number) => (v.distribution ? [`variables.${i}.distribution.table`] : [])),
    ];
  return [];
}

/** The headline values a page must show, by path in its data file. */
const HEADLINES: Record<string, string[]> = {
  results: ["auc.value", "auc.lo", "auc.hi", "auc.n", "guessAuc", "definition", "threshold"],
  about: ["modelCard.metrics.0.value", "modelCard.metrics.0.lo", "modelCard.metrics.0.hi", "threshold"],
  "model-card": ["modelCard.intendedUse.definition", "modelCard.operatingPoint.bandsFlagged", "threshold"],
  "data-sheet": ["ingest.from", "ingest.to", "dictionary.version", "ingest.accounting.threshold"],
  transparency: ["atrs.tier2.owner", "atrs.tier2.data.dictionaryVersion"],
};

describe.each(Object.keys(PUBLIC_PAGES))("the public page %s", (name) => {
  const render = (synthetic = true) => renderFrom(name, json[PUBLIC_PAGES[name].file], {synthetic});

  it("writes every number in from the data it names, headline values first among them", () => {
    const file = PUBLIC_PAGES[name].file;
    const page = parse(render());
    const tagged = [...page.querySelectorAll("[data-value]")];
    expect(tagged.length).toBeGreaterThan(2);
    for (const el of tagged) {
      const [source, path] = el.getAttribute("data-value")!.split(":");
      expect(source).toBe(file);
      expect(el.textContent, path).toBe(formatted(at(data[file], path), el.getAttribute("data-format")!));
    }
    const paths = tagged.map((el) => el.getAttribute("data-value")!.split(":")[1]);
    expect(paths).toEqual(expect.arrayContaining(HEADLINES[name]));
  });

  it("holds every published table of its data, cell for cell, totals included", () => {
    const file = PUBLIC_PAGES[name].file;
    const page = parse(render());
    for (const path of tablesOf(name, data[file])) {
      const t = at(data[file], path);
      const table = page.querySelector(`table[data-table="${file}:${path}"]`);
      expect(table, path).not.toBeNull();
      const show = (v: number | "c") => (v === "c" ? "c" : v.toLocaleString("en-GB"));
      const rows = [...table!.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
      const withTotals = t.cols.length > 1;
      expect(rows, path).toEqual(
        t.cells.map((row: (number | "c")[], i: number) => [...row, ...(withTotals ? [t.rowTotals[i]] : [])].map(show)),
      );
      const foot = [...table!.querySelectorAll("tfoot td")].map((td) => td.textContent);
      expect(foot, path).toEqual([...t.colTotals, ...(withTotals ? [t.total] : [])].map(show));
      if ([...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.total].includes("c"))
        expect(table!.querySelector("caption")?.textContent).toContain(suppressionNote(t.threshold));
    }
  });

  it("leaves only charts to JavaScript, each in a box above the numbers it draws", () => {
    const markdown = render();
    const inline = [...markdown.matchAll(/\$\{([^\n]*?)\}<\/div>/g)].map((m) => m[1]);
    const expressions = markdown.split("${").length - 1;
    expect(inline.length).toBe(expressions);
    // each chart with its downloads: the CSV is the published rows the chart draws, from the page's data file only
    for (const e of inline)
      expect(e).toMatch(
        /^Downloadable\(resize\(\(width\) => Public(Bands|Calibration|Rates)\((r|card)\.[\w.[\]]+, \{.*\}\)\), \{name: "[a-z0-9-]+", rows: (bandRows|calibrationRows|rateRows)\((r|card)\.[\w.[\]]+(, "\w+")?\)\}\)$/,
      );
    // each component is imported in a cell of its own, so a module failing breaks only its charts
    for (const block of markdown.matchAll(/```js\n([\s\S]*?)```/g)) expect(block[1].trim().split("\n")).toHaveLength(1);
  });

  it("opens with the synthetic-data notice exactly when the data are the generated sample", () => {
    const synthetic = render(true);
    const real = render(false);
    expect(synthetic.indexOf(SYNTHETIC_NOTICE)).toBeGreaterThan(0);
    expect(synthetic.indexOf(SYNTHETIC_NOTICE)).toBeLessThan(synthetic.indexOf("\n# "));
    expect(real).not.toContain("Synthetic data");
    expect(synthetic).toMatch(/^---\ntitle: .+\naudience: public\n---\n/);
  });
});

it("shows text from the data literally: markup, Markdown and ${…} in a definition stay text", () => {
  const file = PUBLIC_PAGES.results.file;
  const nasty = "the *contact* <script>alert(1)</script> ${1 + 1} went [on](x) | _here_";
  const markdown = renderFrom("results", JSON.stringify({...data[file], definition: nasty}), {synthetic: false});
  expect(markdown).not.toContain("<script>");
  expect(markdown).not.toContain("${1 + 1}");
  expect(parse(markdown).querySelector(`[data-value="${file}:definition"]`)?.textContent).toBe(nasty);
});

it("renders a project without the optional parts: no pilot period, no one-variable baseline, no group variables, no dictionary changes", () => {
  const card = structuredClone(data[PUBLIC_PAGES["model-card"].file]);
  const {pilotFrom: _from, pilotTo: _to, ...plan} = card.modelCard.data.plan;
  card.modelCard.data.plan = plan;
  card.modelCard.fairness = [];
  const modelCard = renderFrom("model-card", JSON.stringify(card), {synthetic: false});
  expect(modelCard).not.toMatch(/pilot period|undefined/);
  expect(parse(modelCard).querySelectorAll(".public-chart")).toHaveLength(0);
  const results = renderFrom(
    "results",
    JSON.stringify({...data["public-results.json"], baselineAuc: null, baselineLabel: null, fairness: []}),
    {
      synthetic: false,
    },
  );
  expect(results).not.toMatch(/only knows|undefined/);
  const sheet = structuredClone(data["public-data-sheet.json"]);
  sheet.dictionary.changes = [];
  expect(renderFrom("data-sheet", JSON.stringify(sheet), {synthetic: false})).toContain("No changes recorded.");
});

it("a rate hidden to protect a small count says so, not that its group is small", () => {
  const file = PUBLIC_PAGES.results.file;
  const markdown = renderFrom("results", json[file], {synthetic: false});
  expect(markdown).not.toMatch(/small numbers/i);
  const page = parse(markdown);
  data[file].fairness.forEach((f: any, i: number) => {
    const table = page.querySelector(`table[data-rows="${file}:fairness.${i}.groups"]`)!;
    const rows = [...table.querySelectorAll("tbody tr")];
    expect(rows.map((tr) => tr.querySelector("th")?.textContent)).toEqual(f.groups.map((g: any) => g.group));
    f.groups.forEach((g: any, j: number) => {
      // the group's size is shown even when its rates are not
      expect(rows[j].querySelectorAll("td")[0].textContent).toBe(g.n === "c" ? "c" : g.n.toLocaleString("en-GB"));
      if (g.truePositiveRate === "c") expect(rows[j].querySelectorAll("td")[1].textContent).toBe("c");
    });
  });
});

it("every page loader in src/ names a public page, and every public page has its loader", () => {
  const loaders = readdirSync("src").filter((f) => f.endsWith(".md.ts"));
  const named = loaders.map((f) => renderedPageName(readFileSync(join("src", f), "utf8")));
  expect(named.sort()).toEqual(Object.keys(PUBLIC_PAGES).sort());
  for (const f of loaders) expect(f).toBe(`${renderedPageName(readFileSync(join("src", f), "utf8"))}.md.ts`);
});

it("the page renderers hold no typed-in figure: no decimals, no percentages, no number of 3+ digits", () => {
  const dir = join("loaders", "public", "pages");
  for (const file of readdirSync(dir).filter((f) => f !== "render.ts")) {
    // (render.ts runs the loaders and holds no page text)
    // Allowed in the code: digits of formatting (toFixed(n), 100 * x, 1-based indices), the 95% of an interval, a year cited (2019), 20 score bands.
    const code = readFileSync(join(dir, file), "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, ""); // comments may give examples
    const text = code.replace(/toFixed\(\d\)|\b100 \*|\(100 \* |\b95% interval|\(\d{4}\)|et al\. \d{4}|\b20 score bands/g, "");
    expect(text.match(/\b\d+\.\d+\b|\b\d+(\.\d+)?\s?%|\b\d{3,}\b/g) ?? [], file).toEqual([]);
  }
});
