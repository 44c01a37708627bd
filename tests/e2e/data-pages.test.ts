/**
 * The Overview, Variables, Data quality and Explore pages do their job in Chromium:
 * the search box filters the dictionary, the accounting adds up, Explore's rates
 * carry intervals and the SQL cell answers.
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

  it("Explore: rates with intervals for every group, and the SQL cell answers from DuckDB-wasm", async () => {
    const {page, close} = await open("/explore");
    try {
      await page.waitForSelector("text=MASH decision: Multi-agency information sharing, by Who made the contact", {timeout: 90_000});
      await expect.poll(() => page.locator("figure svg g[aria-label=dot] circle").count(), {timeout: 60_000}).toBeGreaterThanOrEqual(10);
      expect(await page.locator("figure svg g[aria-label=rule] line").count()).toBeGreaterThanOrEqual(10);
      await expect
        .poll(async () => await page.locator("table").last().locator("tbody tr").count(), {timeout: 60_000})
        .toBeGreaterThanOrEqual(10);
      const text = await page.locator("table").last().textContent();
      expect(text).toContain("police");
    } finally {
      await close();
    }
  });
});
