/**
 * The working-session form on the Cross-check page with the keyboard alone (issue 21,
 * WCAG 2.1.1 and 2.4.1): the first Tab reaches the skip link and Enter moves focus to the
 * main content, past the sidebar; Tab then reaches the queue's row picker (named by the
 * record, e.g. "Select CD2270C70"), Space picks a contact; Tab reaches the session's role
 * checkboxes, the verdict radios (arrows move between them), the reason select, the note
 * and the Record button, and Enter records the verdict, as the draft in storage shows.
 */
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled, launchChromium} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {serveDirectory, type StaticServer} from "./helpers/static-server.ts";
import {DRAFT_KEY} from "../../src/lib/review-draft.ts";

const build = inject("siteBuild");
const NOTE = "staff knew of a recent police contact not in the extract";
/** The queue's row pickers: the radio buttons of a single-select Inputs.table. */
const PICKER = "form > table td:first-child > input[type=radio]";

let browser: Browser;
let server: StaticServer;
beforeAll(async () => {
  if (build.exitCode !== 0 || !chromiumInstalled()) return;
  browser = await launchChromium();
  server = await serveDirectory(SITE_DIST);
});
afterAll(async () => {
  await server?.close();
  await browser?.close();
});

/** Matches the focused element against a CSS selector, in the page. */
const focusedIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

/**
 * Presses Tab until the focused element matches `selector`; fails after `max` presses, or
 * if focus lands in the sidebar on the way (the skip link is meant to leave it behind).
 */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    expect(await focusedIs(page, "#observablehq-sidebar *"), `Tab went back to the sidebar on the way to ${selector}`).toBe(false);
    if (await focusedIs(page, selector)) return;
  }
  throw new Error(`${max} presses of Tab did not reach ${selector}`);
}

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("Cross-check working session from the keyboard", () => {
  it("skips to the content, picks a contact and records a verdict with the keyboard alone", async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    const context = await browser.newContext({viewport: {width: 1400, height: 1000}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/crosscheck`, {waitUntil: "networkidle"});
      await page.locator(PICKER).first().waitFor();

      // The first tab stop is the skip link; Enter puts focus on the main content.
      await page.keyboard.press("Tab");
      expect(await focusedIs(page, "a.skip-link")).toBe(true);
      await page.keyboard.press("Enter");
      expect(await focusedIs(page, "main#observablehq-main")).toBe(true);

      // The contact picker: a radio named by its record; Space picks that contact.
      await tabTo(page, PICKER);
      const name = (await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))) ?? "";
      expect(name).toMatch(/^Select \S+/);
      const id = name.slice("Select ".length);
      await page.keyboard.press("Space");
      const record = page.locator("form.review-panel button[type=submit]");
      await expect.poll(() => record.textContent()).toBe(`Record verdict on ${id}`);
      expect(await record.isDisabled()).toBe(true); // nothing chosen yet

      // The session's roles, then the verdict: Space on the first radio, an arrow to the next.
      await tabTo(page, "input[name=role][value=analyst]");
      await page.keyboard.press("Space");
      expect(await page.locator("input[name=role][value=analyst]").isChecked()).toBe(true);
      await tabTo(page, "input[name=verdict]");
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowDown");
      expect(await page.locator("input[name=verdict]:checked").getAttribute("value")).toBe("model_right");

      // The reason (an arrow picks the first), past the variable to the note, then Record.
      await page.keyboard.press("Tab");
      expect(await focusedIs(page, "select[name=reason]")).toBe(true);
      await page.keyboard.press("ArrowDown");
      expect(await page.locator("select[name=reason]").inputValue()).toBe("information_not_in_extract");
      await tabTo(page, "textarea[name=note]", 2);
      await page.keyboard.type(NOTE);
      await page.keyboard.press("Tab");
      expect(await focusedIs(page, "form.review-panel button[type=submit]:enabled")).toBe(true);
      await page.keyboard.press("Enter");

      await page.locator(".review-message", {hasText: `Recorded: ${id}`}).waitFor();
      const draft = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)) ?? "{}");
      expect(draft.roles).toEqual(["analyst"]);
      expect(draft.verdicts.map((v: Record<string, string>) => [v.record_id, v.verdict, v.reason, v.note])).toEqual([
        [id, "model_right", "information_not_in_extract", NOTE],
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
