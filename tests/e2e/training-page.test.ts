/** The Training page trains a model live in Chromium and draws its curves. */
import {describe, expect, inject, it} from "vitest";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";

const build = inject("siteBuild");

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("Training page in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  it("trains an MLP live: the progress reaches the last epoch, both curves are drawn, validation AUC beats chance, and it is drawn beside the registered models", async () => {
    const {browser, server} = session();
    const context = await browser.newContext({viewport: {width: 1280, height: 900}, acceptDownloads: true});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && !m.location().url.endsWith("/favicon.ico") && errors.push(m.text()));
    try {
      await page.goto(`${server.origin}/training`, {waitUntil: "networkidle"});
      await page.waitForSelector("text=Press Train to start", {timeout: 90_000});
      await page.getByRole("button", {name: "Train"}).click();
      await page.waitForSelector("[data-phase=training]", {timeout: 60_000}); // seen mid-way: the page updates while it trains
      await page.waitForSelector("[data-phase=done]", {timeout: 120_000});
      const lines = await page.locator("[data-phase=done] figure svg g[aria-label=line] path").count();
      expect(lines).toBeGreaterThanOrEqual(4); // training and validation, for loss and AUC
      const table = await page.locator("table").last().textContent();
      const auc = Number(
        /this page \(not registered\)\S*\s*\S*\s*[^0-9]*([0-9.]+)/.exec(table ?? "")?.[1] ??
          /not used here\s*([0-9.]+)/.exec(table ?? "")?.[1],
      );
      expect(auc).toBeGreaterThan(0.6);
      expect(await page.locator('a[download="weights.bin"]').count()).toBe(1);
      // Side by side: the page's model joins the registered ones in the learning-curve and ROC charts.
      const comparison = page.locator("[data-comparison]");
      await comparison.locator("figure").first().waitFor({timeout: 30_000});
      expect(await comparison.locator("figure").count()).toBe(2);
      expect(await comparison.textContent()).toContain("this page");
      expect(await comparison.locator("svg g[aria-label=line] path").count()).toBeGreaterThanOrEqual(4); // learning: 2 sets; ROC: chance line + the page's model
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
