/**
 * The Overview, Variables, Data quality and Explore pages do their job in Chromium:
 * the search box filters the dictionary, the accounting adds up (and the Overview's
 * headline is Data quality's accepted count), Explore's rates carry intervals and
 * labels, an empty selection says so, and the SQL cell answers.
 */
import {readFileSync} from "node:fs";
import type {Locator, Page} from "playwright-core";
import {describe, expect, inject, it} from "vitest";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";

const build = inject("siteBuild");

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("data pages in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  async function open(path: string) {
    const {browser, server} = session();
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    await page.goto(`${server.origin}${path}`, {waitUntil: "networkidle"});
    return {page, close: () => context.close()};
  }

  it("Overview: the charts state their n", async () => {
    const {page, close} = await open("/");
    try {
      await page.waitForSelector("figure figcaption", {timeout: 60_000});
      const captions = await page.locator("figcaption").allTextContents();
      expect(captions.length).toBeGreaterThanOrEqual(2);
      for (const c of captions) expect(c).toMatch(/n = [\d,]+/);
    } finally {
      await close();
    }
  });

  it("Overview: the headline counts accepted contacts, as Data quality does, with rows read, rejected and duplicates beside it", async () => {
    const number = (t: string | null) => Number((t ?? "").replace(/,/g, ""));
    const home = await open("/");
    let overview: number[];
    try {
      await home.page.waitForSelector("[data-accepted]", {timeout: 60_000});
      overview = await Promise.all(
        ["accepted", "read", "rejected", "duplicates"].map((k) => home.page.locator(`[data-${k}]`).textContent().then(number)),
      );
    } finally {
      await home.close();
    }
    const quality = await open("/quality");
    try {
      await quality.page.waitForSelector("text=nothing lost", {timeout: 60_000});
      const [read, accepted, rejected, duplicates] = (await quality.page.locator(".big").allTextContents()).map(number);
      expect(overview).toEqual([accepted, read, rejected, duplicates]);
      expect(accepted).toBeLessThan(read);
    } finally {
      await quality.close();
    }
  });

  it("Variables: searching for a synonym narrows the dictionary to its variable", async () => {
    const {page, close} = await open("/variables");
    try {
      await page.waitForSelector(".variable", {timeout: 60_000});
      const all = await page.locator(".variable").count();
      expect(all).toBeGreaterThan(10);
      await page.locator("input[type=text]").first().fill("constabulary");
      await expect.poll(() => page.locator(".variable").count(), {timeout: 10_000}).toBe(1);
      expect(await page.locator(".variable h2").first().textContent()).toContain("referral_source");
    } finally {
      await close();
    }
  });

  it("Data quality: accepted + rejected + duplicates = read, nothing lost", async () => {
    const {page, close} = await open("/quality");
    try {
      await page.waitForSelector("text=nothing lost", {timeout: 60_000});
      const big = (await page.locator(".big").allTextContents()).map((t) => Number(t.replace(/,/g, "")));
      const [read, accepted, rejected, duplicates] = big;
      expect(read).toBeGreaterThan(0);
      expect(accepted + rejected + duplicates).toBe(read);
    } finally {
      await close();
    }
  });

  it("Explore: rates with intervals for every group, labels not codes, and the SQL cell answers from DuckDB-wasm", async () => {
    const {page, close} = await open("/explore");
    try {
      await page.waitForSelector("text=MASH decision: Multi-agency information sharing, by Who made the contact", {timeout: 90_000});
      await expect.poll(() => page.locator("figure svg g[aria-label=dot] circle").count(), {timeout: 60_000}).toBeGreaterThanOrEqual(10);
      expect(await page.locator("figure svg g[aria-label=rule] line").count()).toBeGreaterThanOrEqual(10);
      const groups = await page.locator("figure svg g[aria-label='y-axis tick label'] text").allTextContents();
      expect(groups).toContain("Local authority services");
      expect(groups).not.toContain("la_services");
      // the months as small multiples: one titled panel per group, six at most
      const panels = await page.locator("figure svg[aria-label*='one panel per group'] g[aria-label=text] text").allTextContents();
      expect(panels.length).toBeGreaterThan(1);
      expect(panels.length).toBeLessThanOrEqual(6);
      expect(panels).toContain("Police");
      // the example query, answered at build; its coded column shows labels
      const sql = page.locator("table").last();
      await expect.poll(async () => await sql.locator("tbody tr").count(), {timeout: 60_000}).toBeGreaterThanOrEqual(10);
      const cells = await sql.locator("tbody td").allTextContents();
      expect(cells).toContain("Local authority services");
      expect(cells).not.toContain("la_services");
      // another breakdown is answered by DuckDB-wasm, with the dictionary's labels
      await page.waitForSelector("[data-db=ready]", {timeout: 90_000});
      await page.getByLabel("Break down by").selectOption({label: "District"});
      await page.waitForSelector("text=MASH decision: Multi-agency information sharing, by District", {timeout: 60_000});
      await expect
        .poll(() => page.locator("figure svg g[aria-label='y-axis tick label'] text").allTextContents(), {timeout: 60_000})
        .toContain("St Edmundsbury");
      expect(await page.locator("figure svg g[aria-label='y-axis tick label'] text").allTextContents()).not.toContain("st_edmundsbury");
      // a query typed in the SQL cell runs in DuckDB-wasm
      await page.locator("textarea").fill(`SELECT "district", count(*) AS n FROM contacts GROUP BY ALL ORDER BY n DESC`);
      await page.getByRole("button", {name: "Run"}).click();
      await expect.poll(async () => sql.locator("tbody td").allTextContents(), {timeout: 60_000}).toContain("St Edmundsbury");
      expect(await page.locator(".observablehq--error").count()).toBe(0);
    } finally {
      await close();
    }
  });

  it("Explore: with every source unticked it says so, and draws nothing rather than everything", async () => {
    const {page, close} = await open("/explore");
    try {
      await expect.poll(() => page.locator("figure svg g[aria-label=dot] circle").count(), {timeout: 90_000}).toBeGreaterThanOrEqual(10);
      const boxes = page.locator("form").filter({hasText: "Who made the contact"}).locator("input[type=checkbox]");
      expect(await boxes.count()).toBeGreaterThanOrEqual(10);
      // Unticked as fast as the browser takes clicks, while DuckDB-wasm is still loading: every
      // chart must end on the last selection (each result names the view it answers).
      for (const box of await boxes.all()) await box.uncheck();
      await page.waitForSelector("[data-empty-selection]", {timeout: 60_000});
      expect(await page.locator("[data-empty-selection]").first().textContent()).toMatch(/Nothing is ticked under “Who made the contact”/);
      await expect.poll(() => page.locator("figure svg g[aria-label=dot] circle").count(), {timeout: 30_000}).toBe(0);
      await boxes.first().check();
      await expect.poll(() => page.locator("figure svg g[aria-label=dot] circle").count(), {timeout: 60_000}).toBe(1);
      expect(await page.locator("[data-empty-selection]").count()).toBe(0);
    } finally {
      await close();
    }
  });
});

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("data pages: downloads and the view in the address", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  async function open(path: string) {
    const {browser, server} = session();
    const context = await browser.newContext({viewport: {width: 1280, height: 900}, acceptDownloads: true});
    const page = await context.newPage();
    await page.goto(`${server.origin}${path}`, {waitUntil: "networkidle"});
    return {page, close: () => context.close()};
  }

  /** The JSON a page loaded from data/<name> (its /_file/… address, found among the page's requests). */
  async function loaded(page: Page, name: string): Promise<any> {
    const urls: string[] = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    const [base, ext] = name.split(".");
    const url = urls.find((u) => new RegExp(`/_file/data/${base}\\.([0-9a-f]+\\.)?${ext}$`).test(u));
    if (!url) throw new Error(`the page did not load data/${name}: ${urls.join(", ")}`);
    return page.evaluate((u) => fetch(u).then((r) => r.json()), url);
  }

  /** Presses a download button in a download bar and returns the file's name and bytes. */
  async function download(bar: Locator, kind: "csv" | "svg" | "png") {
    const [file] = await Promise.all([bar.page().waitForEvent("download"), bar.locator(`button[data-download=${kind}]`).click()]);
    return {name: file.suggestedFilename(), bytes: readFileSync((await file.path())!)};
  }

  /** A CSV's header and rows, cells unescaped (src/lib/csv.ts). */
  function parse(bytes: Buffer): {header: string[]; rows: string[][]} {
    const [header, ...rows] = csvRecords(bytes.toString("utf8")).map((r) => r.fields.map(unescapeCsvCell));
    return {header, rows};
  }

  it("Data quality: a chart's CSV holds exactly the rows it draws; its SVG and PNG are images; a table's CSV its rows", async () => {
    const {page, close} = await open("/quality");
    try {
      await page.waitForSelector(".downloadable svg", {timeout: 60_000});
      const q = await loaded(page, "quality.json");
      const bar = page.getByRole("group", {name: "Download rejected by month"});
      const csv = await download(bar, "csv");
      expect(csv.name).toBe("rejected-by-month.csv");
      const {header, rows} = parse(csv.bytes);
      expect(header).toEqual(Object.keys(q.rejectsByMonth[0]));
      expect(rows).toEqual(q.rejectsByMonth.map((d: any) => header.map((k) => String(d[k]))));
      expect(rows.length).toBeGreaterThan(1);
      // the bars drawn are as many as the rows (one bar per month and rule)
      const bars = await page.locator(".downloadable", {has: bar}).locator("svg[class^=plot] g[aria-label=bar] rect").count();
      expect(bars).toBe(q.rejectsByMonth.length);

      const svg = await download(bar, "svg");
      expect(svg.name).toBe("rejected-by-month.svg");
      expect(svg.bytes.toString("utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const png = await download(bar, "png");
      expect(png.name).toBe("rejected-by-month.png");
      expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.bytes.length).toBeGreaterThan(1000);

      // a table offers its CSV only, and the CSV is the table's rows
      const table = page.getByRole("group", {name: "Download rejected by column"});
      expect(await table.locator("button[data-download=svg]").isVisible()).toBe(false);
      const t = parse((await download(table, "csv")).bytes);
      expect(t.rows).toEqual(q.rejectsByColumn.map((d: any) => t.header.map((k) => String(d[k]))));
      const cells = await page.locator(".downloadable", {has: table}).locator("tbody tr").first().locator("td").allTextContents();
      for (const value of t.rows[0]) expect(cells.map((c) => c.replace(/,/g, ""))).toContain(value);
    } finally {
      await close();
    }
  });

  it("Overview: the decisions chart's CSV is its bars: decisions in words and their counts, adding up to the accepted contacts", async () => {
    const {page, close} = await open("/");
    try {
      await page.waitForSelector("[data-accepted]", {timeout: 60_000});
      const a = await loaded(page, "overview-accepted.json");
      const o = await loaded(page, "overview.json");
      const {header, rows} = parse((await download(page.getByRole("group", {name: "Download decisions"}), "csv")).bytes);
      expect(header).toEqual(["decision", "n"]);
      expect(rows.map((r) => Number(r[1]))).toEqual(a.decisions.map((d: any) => d.n));
      const codes = new Set(o.decision.codes.filter((c: any) => c.label !== c.code).map((c: any) => c.code));
      for (const [decision] of rows) expect(codes.has(decision)).toBe(false);
      const accepted = Number((await page.locator("[data-accepted]").textContent())!.replace(/,/g, ""));
      expect(rows.reduce((s, r) => s + Number(r[1]), 0)).toBe(accepted);
      // the monthly chart's CSV adds up to the same
      const monthly = parse((await download(page.getByRole("group", {name: "Download contacts per month"}), "csv")).bytes);
      expect(monthly.header).toEqual(["month", "label", "n"]);
      expect(monthly.rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(accepted);
    } finally {
      await close();
    }
  });

  it("Explore: the address sets the breakdown, and changing it updates the address", async () => {
    const picked = (page: Page) => page.getByLabel("Break down by").evaluate((s: HTMLSelectElement) => s.selectedOptions[0].text);
    const first = await open("/explore?by=gender");
    let address: string;
    let label: string;
    try {
      await first.page.waitForSelector(".downloadable svg", {timeout: 60_000});
      const gender = await picked(first.page);
      expect(gender).not.toBe("gender"); // a label, not the code
      await expect.poll(() => first.page.locator("h2").first().textContent(), {timeout: 30_000}).toContain(`by ${gender}`);
      const select = first.page.getByLabel("Break down by");
      const options = await select.evaluate((s: HTMLSelectElement) => [...s.options].map((o) => o.text));
      label = options.find((o) => o !== gender)!;
      await select.selectOption({label});
      await expect.poll(() => new URL(first.page.url()).searchParams.get("by")).not.toBe("gender");
      await first.page.getByLabel("From").fill("2018-04-01");
      await expect.poll(() => new URL(first.page.url()).searchParams.get("from")).toBe("2018-04-01");
      address = first.page.url();
      expect(new URL(address).searchParams.get("by")).toBeTruthy();
    } finally {
      await first.close();
    }
    // the address opens the same view
    const second = await open(new URL(address).pathname + new URL(address).search);
    try {
      await second.page.waitForSelector(".downloadable svg", {timeout: 60_000});
      expect(await picked(second.page)).toBe(label);
      expect(await second.page.getByLabel("From").inputValue()).toBe("2018-04-01");
    } finally {
      await second.close();
    }
  });

  it("Variables: the address sets the search, and typing updates the address", async () => {
    const {page, close} = await open("/variables?q=constabulary");
    try {
      await page.waitForSelector(".variable", {timeout: 60_000});
      expect(await page.getByLabel("Search").inputValue()).toBe("constabulary");
      await expect.poll(() => page.locator(".variable").count(), {timeout: 10_000}).toBe(1);
      await page.getByLabel("Search").fill("school");
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("school");
    } finally {
      await close();
    }
  });
});
