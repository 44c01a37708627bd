/**
 * Every page of the built site, opened in real Chromium: no console error,
 * no page error, no failed or >= 400 request, nothing fetched from outside
 * the site, no cell left loading or showing an error, no Plot chart without
 * marks, and no serious or critical WCAG 2.2 A/AA violation that axe-core
 * finds, nor a chart without an accessible name (helpers/browser.ts). Every
 * page links a favicon the site serves, and its first tab stop is a skip link
 * whose Enter moves focus to the main content. Pages are found by crawling
 * dist/ (helpers/site.ts), so new pages are covered without editing this file;
 * the config's page list is checked against what was built.
 */
import {existsSync} from "node:fs";
import {describe, expect, inject, it} from "vitest";
import config from "../../observablehq.config.ts";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";
import {listBuiltPages, listConfigPages, type ConfigPage} from "./helpers/site.ts";

const build = inject("siteBuild");
const pages = build.exitCode === 0 && existsSync(SITE_DIST) ? listBuiltPages(SITE_DIST) : [];

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("built site in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build, so there is nothing to open\n${describeRun(build)}`);
    return SITE_DIST;
  });

  it("built every page the config lists", () => {
    session();
    expect(pages.length).toBeGreaterThan(0);
    const configured = listConfigPages((config as {pages?: readonly ConfigPage[]}).pages);
    expect(configured.filter((path) => !pages.includes(path))).toEqual([]);
  });

  it.each(pages)("%s renders without errors or accessibility violations", async (path) => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}${path}`, {accessibility: true});
    expect(report.problems, `problems on ${path}`).toEqual([]);
  });

  it("every page links a favicon the site serves, and its first tab stop skips to the main content", async () => {
    const {browser, server} = session();
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      for (const path of pages) {
        await page.goto(`${server.origin}${path}`, {waitUntil: "load"});
        const icon = await page.locator('head link[rel="icon"]').getAttribute("href");
        expect(icon, `favicon on ${path}`).toBeTruthy();
        expect((await page.request.get(new URL(icon!, page.url()).href)).status(), `favicon of ${path}`).toBe(200);
        await page.keyboard.press("Tab");
        expect(await page.evaluate(() => document.activeElement?.matches("a.skip-link") ?? false), `first tab stop on ${path}`).toBe(true);
        await page.keyboard.press("Enter");
        expect(await page.evaluate(() => document.activeElement?.id), `focus after the skip link on ${path}`).toBe("observablehq-main");
      }
    } finally {
      await context.close();
    }
  });
});
