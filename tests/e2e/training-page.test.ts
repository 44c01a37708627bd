/**
 * The Training page trains a model live in Chromium and draws its curves, only when
 * Train is pressed; a bad setting gets one message beside its field and Train stays
 * disabled, while the registered models stay in view.
 */
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
      // Changing a control trains nothing: only Train does.
      await page.getByLabel("Epochs").first().fill("5");
      await page.waitForTimeout(1_500);
      expect(await page.locator("[data-phase]").getAttribute("data-phase")).toBe("idle");
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
      // Epoch axes tick at whole epochs only.
      const epochTicks = await page.locator("[data-phase=done] svg g[aria-label='x-axis tick label'] text").allTextContents();
      expect(epochTicks.length).toBeGreaterThan(0);
      expect(
        epochTicks.every((t) => /^\d+$/.test(t)),
        epochTicks.join(" "),
      ).toBe(true);
      // After a run, changing controls does not retrain: the finished run stays as it was until Train.
      const finished = await page.locator("[data-phase=done] h2").textContent();
      await page.getByLabel("Hidden layers").fill("8");
      await page.getByLabel("Epochs").first().fill("2");
      await page.locator("[data-field=groups] input[type=checkbox]").first().uncheck(); // one group fewer (others stay ticked)
      await page.waitForTimeout(2_000);
      expect(await page.locator("[data-phase]").getAttribute("data-phase")).toBe("done");
      expect(await page.locator("[data-phase=done] h2").textContent()).toBe(finished);
      await page.getByRole("button", {name: "Train"}).click();
      await page.waitForSelector("[data-phase=done]:has-text('hidden layers 8, 2 epochs')", {timeout: 120_000});
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('"abc" in hidden layers: one message beside the field, Train disabled, the registered models still shown; no feature group: a message and Train disabled', async () => {
    const {browser, server} = session();
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && !m.location().url.endsWith("/favicon.ico") && errors.push(m.text()));
    try {
      await page.goto(`${server.origin}/training`, {waitUntil: "networkidle"});
      await page.waitForSelector("text=Press Train to start", {timeout: 90_000});
      const train = page.getByRole("button", {name: "Train"});
      const shown = page.locator(".field-message:visible");
      const registered = page.locator("table").first();
      const registeredRows = await registered.locator("tbody tr").count();
      expect(registeredRows).toBeGreaterThan(0); // prepare-data registers models for the built site

      await page.getByLabel("Hidden layers").fill("abc");
      await expect.poll(() => shown.count()).toBe(1);
      expect(await page.locator("[data-field=hidden] .field-message").textContent()).toMatch(/"abc" is not a layer size/);
      expect(await page.locator("main").textContent()).not.toMatch(/is not a layer size[\s\S]*is not a layer size/); // said once
      expect(await train.isDisabled()).toBe(true);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      expect(await registered.locator("tbody tr").count()).toBe(registeredRows);
      await train.click({force: true}); // a disabled button starts nothing
      await page.waitForTimeout(1_000);
      expect(await page.locator("[data-phase]").getAttribute("data-phase")).toBe("idle");

      await page.getByLabel("Hidden layers").fill("16");
      await expect.poll(() => shown.count()).toBe(0);
      expect(await train.isDisabled()).toBe(false);
      for (const box of await page.locator("[data-field=groups] input[type=checkbox]").all()) await box.uncheck();
      await expect.poll(() => shown.count()).toBe(1);
      expect(await page.locator("[data-field=groups] .field-message").textContent()).toMatch(/tick at least one/);
      expect(await train.isDisabled()).toBe(true);
      expect(await page.locator('a[download="weights.bin"]').count()).toBe(0); // nothing trained, nothing offered
      expect(await page.locator("main").textContent()).not.toContain('""'); // no stray empty-string output
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
