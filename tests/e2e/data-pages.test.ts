/**
 * The Overview, Variables, Data quality and Explore pages do their job in Chromium:
 * the search box filters the dictionary, the accounting adds up (and the Overview's
 * headline is Data quality's accepted count), Explore's rates carry intervals and
 * labels, an empty selection says so, and the SQL cell answers.
 */
import {describe, expect, inject, it} from "vitest";
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
