/**
 * The public site on a plain static host: `npm run build:public` (network
 * blocked), served by `python3 -m http.server` on 127.0.0.1 (no rewrites: a
 * link without .html is a 404 there), opened in real Chromium.
 * - A crawl from "/" follows every same-site link and fetches every asset a
 *   page names: no 404 (in the browser or in the server's log), no console
 *   error, no cell error, no empty chart.
 * - With JavaScript disabled every page still shows its headline numbers and
 *   every table, equal to the public data they were rendered from (bound to
 *   the data, not typed in here).
 * - At 390 px wide no page scrolls sideways, with JavaScript on or off.
 * - With one chart module failing to load, the results page still reads.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {readFileSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PUBLIC_OUTPUT, STAGING_DIR} from "../../loaders/public/stage.ts";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled, launchChromium} from "./helpers/browser.ts";
import {PROJECT_DIR, describeRun, runOffline} from "./helpers/offline.ts";
import {listBuiltPages} from "./helpers/site.ts";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";

const DIST = join(PROJECT_DIR, PUBLIC_OUTPUT);
const DATA = join(PROJECT_DIR, STAGING_DIR, "src", "data");
const PHONE = {width: 390, height: 844};

/** `python3 -m http.server` on a free loopback port, with its request log. */
interface PythonServer {
  origin: string;
  log: string[];
  process: ChildProcess;
}

async function startPythonServer(dir: string): Promise<PythonServer> {
  const child = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("python3 -m http.server did not start in 10 s")), 10_000);
    child.once("exit", (code) => reject(new Error(`python3 -m http.server exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const m = /port (\d+)/.exec(chunk.toString());
      if (m) (clearTimeout(timer), resolve(Number(m[1])));
    });
  });
  return {origin: `http://127.0.0.1:${port}`, log, process: child};
}

/** Waits until no Framework cell is loading and the network is idle (a page with JavaScript). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, undefined, {timeout: 30_000});
}

/** The value at a dotted path of parsed JSON. */
const at = (value: any, path: string): any => path.split(".").reduce((v, k) => v?.[k], value);
/** How a tagged value must read (the formats of loaders/public/pages/page.ts, written out here). */
const formatted = (value: any, format: string): string =>
  format === "f3"
    ? value.toFixed(3)
    : format === "pct"
      ? String(Math.round(100 * value))
      : format === "count"
        ? value === "c"
          ? "c"
          : value.toLocaleString("en-GB")
        : String(value);
const show = (v: number | "c") => (v === "c" ? "c" : v.toLocaleString("en-GB"));

/** Each page's data file, headline values and published tables (paths in its data). */
const EXPECTED: Record<string, {file: string; headlines: string[]; tables: (d: any) => string[]}> = {
  "/results.html": {
    file: "public-results.json",
    headlines: ["auc.value", "auc.lo", "auc.hi", "auc.n", "guessAuc", "definition"],
    tables: (d) => ["bands", ...d.fairness.map((_: unknown, i: number) => `fairness.${i}.table`)],
  },
  "/about.html": {
    file: "public-model-card.json",
    headlines: ["modelCard.metrics.0.value", "modelCard.metrics.0.lo", "modelCard.metrics.0.hi"],
    tables: () => [],
  },
  "/model-card.html": {
    file: "public-model-card.json",
    headlines: ["modelCard.intendedUse.definition"],
    tables: () => ["modelCard.data.split"],
  },
  "/transparency.html": {file: "public-model-card.json", headlines: ["atrs.tier2.owner"], tables: () => ["atrs.tier2.data.split"]},
  "/data-sheet.html": {
    file: "public-data-sheet.json",
    headlines: ["ingest.from", "ingest.to", "dictionary.version"],
    tables: (d) => [
      "ingest.accounting",
      "ingest.rejectedByRule",
      "byYear",
      ...d.variables.flatMap((v: any, i: number) => (v.distribution ? [`variables.${i}.distribution.table`] : [])),
    ],
  },
};
EXPECTED["/"] = EXPECTED["/about.html"];

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("the public site on a plain static file server", () => {
  let browser: Browser | undefined;
  let server: PythonServer | undefined;
  let failure: unknown;
  const data: Record<string, any> = {};

  beforeAll(async () => {
    try {
      browser = await launchChromium();
      rmSync(DIST, {recursive: true, force: true}); // never test a stale build
      const run = await runOffline(["npm", "run", "build:public"], {label: "public-static-build", timeoutMs: 15 * 60_000});
      if (run.exitCode !== 0 || run.blocked.length) throw new Error(`the public site did not build offline\n${describeRun(run)}`);
      for (const f of readdirSync(DATA)) data[f] = JSON.parse(readFileSync(join(DATA, f), "utf8"));
      server = await startPythonServer(DIST);
    } catch (error) {
      failure = error;
    }
  }, 16 * 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.process.kill();
  });
  const session = () => {
    if (!browser || !server) throw failure instanceof Error ? failure : new Error(String(failure));
    return {browser, server};
  };

  it("a crawl from / reaches every page by its links, with no 404 and no console error", async () => {
    const {browser, server} = session();
    const queue = ["/"];
    const seen = new Set(queue);
    const assets = new Set<string>();
    const problems: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      const report = await checkPage(browser, `${server.origin}${path}`);
      problems.push(...report.problems.map((p) => `${path}: ${p}`));
      const context = await browser.newContext({javaScriptEnabled: false});
      const page = await context.newPage();
      await page.goto(`${server.origin}${path}`);
      const urls = await page.evaluate(() =>
        [...document.querySelectorAll("a[href], link[href], script[src], img[src]")].map(
          (e) => (e as HTMLAnchorElement).href || (e as HTMLScriptElement).src,
        ),
      );
      await context.close();
      for (const url of urls) {
        const u = new URL(url);
        if (u.origin !== server.origin) continue;
        const target = u.pathname;
        if (target === "/" || target.endsWith(".html")) {
          if (!seen.has(target)) (seen.add(target), queue.push(target));
        } else assets.add(target);
      }
    }
    const request = (await browser.newContext()).request;
    for (const asset of assets) {
      const response = await request.get(`${server.origin}${asset}`);
      if (response.status() !== 200) problems.push(`asset ${asset}: HTTP ${response.status()}`);
    }
    const notFound = server.log.filter((line) => /" 404 /.test(line));
    console.log(`crawl: ${seen.size} pages, ${assets.size} assets, ${notFound.length} 404s in the server log, ${problems.length} problems`);
    expect(problems).toEqual([]);
    expect(notFound).toEqual([]);
    // every page built was reached by following links
    expect([...seen].sort()).toEqual(
      listBuiltPages(DIST)
        .map((p) => (p === "/" ? p : `${p}.html`))
        .sort(),
    );
    // the server rewrites nothing: an extensionless link would be a 404 here, so the crawl can fail
    expect((await request.get(`${server.origin}/results`)).status()).toBe(404);
    await expect.poll(() => server.log.filter((line) => /" 404 /.test(line)).length).toBe(1);
  });

  it("with JavaScript off every page shows its headline numbers and every table, as the data say", async () => {
    const {browser, server} = session();
    const context = await browser.newContext({javaScriptEnabled: false, viewport: PHONE});
    // the data the charts load are the very files the pages were rendered from
    for (const f of readdirSync(join(DIST, "_file", "data"))) {
      const name = f.replace(/\.[0-9a-f]+\.json$/, ".json");
      expect(JSON.parse(readFileSync(join(DIST, "_file", "data", f), "utf8")), f).toEqual(data[name]);
    }
    for (const [path, expected] of Object.entries(EXPECTED)) {
      const page = await context.newPage();
      await page.goto(`${server.origin}${path}`);
      const d = data[expected.file];
      const values = await page.locator("[data-value]").evaluateAll((els) =>
        els.map((e) => ({
          source: e.getAttribute("data-value")!,
          format: e.getAttribute("data-format")!,
          text: e.textContent,
          visible: e.checkVisibility(),
        })),
      );
      for (const v of values) {
        const [file, p] = v.source.split(":");
        expect(file, `${path} ${p}`).toBe(expected.file);
        expect(v.text, `${path} ${p}`).toBe(formatted(at(d, p), v.format));
      }
      for (const h of expected.headlines)
        expect(values.find((v) => v.source === `${expected.file}:${h}`)?.visible, `${path} ${h}`).toBe(true);
      for (const t of expected.tables(d)) {
        const table = at(d, t);
        const shown = await page.locator(`table[data-table="${expected.file}:${t}"]`).evaluateAll((els) =>
          els.map((e) => ({
            rows: [...e.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
            foot: [...e.querySelectorAll("tfoot td")].map((td) => td.textContent),
          })),
        );
        expect(shown.length, `${path} ${t}`).toBe(1);
        const totals = table.cols.length > 1;
        expect(shown[0].rows, `${path} ${t}`).toEqual(
          table.cells.map((row: any[], i: number) => [...row, ...(totals ? [table.rowTotals[i]] : [])].map(show)),
        );
        expect(shown[0].foot, `${path} ${t}`).toEqual([...table.colTotals, ...(totals ? [table.total] : [])].map(show));
      }
      // tables of records (rates by group, metrics, the dictionary): one row per record of the data
      const lists = await page
        .locator("[data-rows]")
        .evaluateAll((els) => els.map((e) => ({source: e.getAttribute("data-rows")!, rows: e.querySelectorAll("tbody tr, li").length})));
      for (const l of lists) {
        const value = at(d, l.source.split(":")[1]);
        if (Array.isArray(value)) expect(l.rows, `${path} ${l.source}`).toBe(value.length);
      }
      // every table downloads as CSV without a script (a data: link): the file's rows are its cells
      const downloads = await page.locator("table").evaluateAll((els) =>
        els.map((table) => {
          let next = table.closest(".public-scroll")?.nextElementSibling;
          while (next && !next.matches(".public-download")) next = next.nextElementSibling;
          return {
            href: next?.querySelector("a[data-csv]")?.getAttribute("href") ?? null,
            cells: [...table.querySelectorAll("tr")].map((tr) =>
              [...tr.querySelectorAll("th, td")].map((c) => c.textContent!.replace(/(\d),(\d)/g, "$1$2")),
            ),
          };
        }),
      );
      for (const [i, t] of downloads.entries()) {
        expect(t.href, `${path} table ${i}`).toMatch(/^data:text\/csv;charset=utf-8;base64,/);
        const csv = Buffer.from(t.href!.replace(/^data:text\/csv;charset=utf-8;base64,/, ""), "base64").toString("utf8");
        expect(
          csvRecords(csv).map((r) => r.fields.map(unescapeCsvCell)),
          `${path} table ${i}`,
        ).toEqual(t.cells);
      }
      expect(await page.locator("main").innerText()).not.toMatch(/undefined|NaN|\$\{/);
      await page.close();
    }
    await context.close();
  });

  it("at 390 px no page scrolls sideways, with JavaScript on or off; charts fit their boxes", async () => {
    const {browser, server} = session();
    const widths: string[] = [];
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({viewport: PHONE, javaScriptEnabled});
      for (const path of Object.keys(EXPECTED)) {
        const page = await context.newPage();
        await page.goto(`${server.origin}${path}`);
        if (javaScriptEnabled) await settle(page);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        widths.push(`${path} (${javaScriptEnabled ? "JS" : "no JS"}): ${scrollWidth}`);
        expect(scrollWidth, `${path}, JavaScript ${javaScriptEnabled ? "on" : "off"}`).toBeLessThanOrEqual(PHONE.width);
        if (javaScriptEnabled) {
          // every chart is as wide as its box, and no box is a sliver
          const charts = await page.locator(".public-chart").evaluateAll((els) =>
            els.map((e) => ({
              box: e.getBoundingClientRect().width,
              svg: Math.max(0, ...[...e.querySelectorAll("svg")].map((s) => s.getBoundingClientRect().width)),
            })),
          );
          for (const c of charts) expect(c.svg, path).toBeGreaterThan(0.9 * c.box);
          for (const c of charts) expect(c.box, path).toBeGreaterThan(250);
        }
        await page.close();
      }
      await context.close();
    }
    console.log(`scrollWidth at ${PHONE.width} px:\n  ${widths.join("\n  ")}`);
  });

  it("with one chart module failing to load, the results page still shows its numbers and its other charts", async () => {
    const {browser, server} = session();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route("**/_import/components/public-rates.*.js", (route) => route.abort());
    await page.goto(`${server.origin}/results.html`);
    await page.waitForLoadState("networkidle");
    const r = data["public-results.json"];
    await expect.poll(() => page.locator('[data-check="auc"]').textContent()).toBe(r.auc.value.toFixed(3));
    expect(await page.locator('[data-check="auc"]').isVisible()).toBe(true);
    expect(await page.locator(`table[data-table="public-results.json:fairness.0.table"] tbody tr`).count()).toBe(
      r.fairness[0].table.rows.length,
    );
    // the bands and calibration charts do not depend on the failed module
    await expect.poll(() => page.locator(".public-chart svg[class^=plot]").count()).toBeGreaterThanOrEqual(2);
    await context.close();
  });
  it("a chart's CSV download holds only the published cells it draws: the suppressed table of the public data, with its c", async () => {
    const {browser, server} = session();
    const context = await browser.newContext({acceptDownloads: true});
    const page = await context.newPage();
    await page.goto(`${server.origin}/results.html`);
    await settle(page);
    const r = data["public-results.json"];
    const bar = page.getByRole("group", {name: "Download test contacts by score band"});
    const [file] = await Promise.all([page.waitForEvent("download"), bar.locator("button[data-download=csv]").click()]);
    expect(file.suggestedFilename()).toBe("test-contacts-by-score-band.csv");
    const [header, ...rows] = csvRecords(readFileSync((await file.path())!, "utf8")).map((l) => l.fields.map(unescapeCsvCell));
    expect(header).toEqual(["band", "outcome", "n"]);
    const outcome: Record<string, string> = {positive: "Outcome happened", negative: "Did not happen"};
    const published = r.bands.rows.flatMap((band: string, i: number) =>
      r.bands.cols.map((col: string, j: number) => [band, outcome[col], String(r.bands.cells[i][j])]),
    );
    expect(rows).toEqual(published);
    // nothing but published counts: every n is "c", 0 or above the threshold
    for (const [, , n] of rows) expect(n === "c" || n === "0" || Number(n) > r.threshold).toBe(true);
    // a group-rates chart: its rows are the published groups, "c" where the rate is not published
    const rates = page.getByRole("group", {name: /^Download flagged outcome happened by /}).first();
    const [ratesFile] = await Promise.all([page.waitForEvent("download"), rates.locator("button[data-download=csv]").click()]);
    const [, ...rateRows] = csvRecords(readFileSync((await ratesFile.path())!, "utf8")).map((l) => l.fields.map(unescapeCsvCell));
    const groups = r.fairness[0].groups;
    expect(rateRows.map((row) => [row[0], row[1], row[4]])).toEqual(
      groups.map((g: any) => [g.group, String(g.n), g.truePositiveRate === "c" ? "c" : String(g.truePositiveRate.rate)]),
    );
    await context.close();
  });
});
