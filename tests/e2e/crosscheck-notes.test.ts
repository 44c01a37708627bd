/**
 * The Cross-check page's notes and draft in Chromium (issue 19, item 5; issue 21): a note
 * that holds an identifier is warned about as it is typed (the kind, never the text) and
 * cannot be saved; verdict and reason start unchosen; a clean note saves and the export
 * shows it at once; a deleted verdict is gone from storage and the export; "Clear draft"
 * (after a confirm step) empties both.
 */
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled, launchChromium} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {serveDirectory, type StaticServer} from "./helpers/static-server.ts";
import {DRAFT_KEY} from "../../src/lib/review-draft.ts";
import {parseReviews} from "../../src/lib/reviews.ts";

const build = inject("siteBuild");

/** Each kind alone, in the words the warning uses, and every kind in one note. */
const IDENTIFIER_NOTES: [string, string][] = [
  ["a person's name", "olivia smith"],
  ["a person's name", "JACK TAYLOR"],
  ["an e-mail address", "jo@example.org"],
  ["a phone number", "07700 900123"],
  ["an NHS number", "943 476 5919"],
  ["a postcode", "IP1 2AB"],
  ["a date of birth", "DOB 01/02/2015"],
  ["a national insurance number", "AB 12 34 56 C"],
  ["a street address", "12 High St"],
  [
    "a person's name, a postcode, an e-mail address, a phone number, a date of birth and a street address",
    "Mum Jane Smith jane.smith@example.com rang on 07700 900123, 12 High St IP1 2AB, DOB 01/02/2015",
  ],
];
const CLEAN = "staff knew of a recent police contact not in the extract";

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

/** The stored draft, as the page left it (null when there is none). */
const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY);
/** The export as it stands: the link's text and the file behind it, or the sentence shown instead. */
async function exported(page: Page): Promise<{label: string; csv: string | null}> {
  const card = page.locator("[data-check=review-draft]");
  const link = card.getByRole("link", {name: /^Export /});
  if (!(await link.count())) return {label: ((await card.locator(".review-export").textContent()) ?? "").trim(), csv: null};
  const href = (await link.getAttribute("href"))!;
  return {label: (await link.textContent()) ?? "", csv: await page.evaluate(async (url) => (await fetch(url)).text(), href)};
}

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("Cross-check notes and draft in Chromium", () => {
  it("refuses identifier notes naming the kind, saves a clean one, and deletes and clears at once", async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    const context = await browser.newContext({viewport: {width: 1400, height: 1000}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/crosscheck`, {waitUntil: "networkidle"});
      await page.getByLabel("analyst").check();
      const rows = page.locator("[data-check=review-queue] table").first().locator("tbody tr");
      const note = page.locator("textarea[name=note]");
      const warning = page.locator(".review-note-warning");
      const card = page.locator("[data-check=review-draft]");
      const pick = async (i: number) => {
        const id = ((await rows.nth(i).locator("td").nth(1).textContent()) ?? "").trim();
        await rows.nth(i).locator("input").first().check();
        const button = page.getByRole("button", {name: `Record verdict on ${id}`});
        await button.waitFor();
        return {id, button};
      };

      // Nothing is pre-selected: the button waits for a verdict and a reason.
      const first = await pick(0);
      expect(await page.locator("input[name=verdict]:checked").count()).toBe(0);
      expect(await page.locator("select[name=reason]").inputValue()).toBe("");
      expect(await first.button.isDisabled()).toBe(true);
      await page.locator("input[name=verdict][value=decision_right]").check();
      expect(await first.button.isDisabled()).toBe(true);
      await page.locator("select[name=reason]").selectOption("information_not_in_extract");
      expect(await first.button.isDisabled()).toBe(false);

      for (const [kind, text] of IDENTIFIER_NOTES) {
        await note.fill("");
        await note.pressSequentially(text); // typed, so the screen runs on every input event
        await expect
          .poll(() => warning.textContent())
          .toBe(`The note holds what looks like ${kind}: remove it — notes must not identify anyone`);
        expect(await warning.getAttribute("role")).toBe("alert");
        expect(await note.getAttribute("aria-invalid")).toBe("true");
        expect(await first.button.isDisabled(), text).toBe(true);
        // A submit forced past the disabled button (Enter, a script) is refused on save too.
        await page.locator("form.review-panel").evaluate((f: HTMLFormElement) => f.requestSubmit());
        expect(await page.locator(".review-message").textContent()).toContain("Not recorded: The note holds what looks like");
        // The page never shows the note outside the textarea, and storage holds none of it.
        const shown = await page.evaluate(() => document.documentElement.outerHTML);
        expect(shown.toLowerCase(), text).not.toContain(text.toLowerCase());
        expect(await page.locator("body").innerText()).not.toContain(text);
        expect(await stored(page)).not.toContain(text);
        expect(JSON.parse((await stored(page)) ?? '{"verdicts": []}').verdicts).toEqual([]);
      }

      // A clean note saves; the draft and the export show it at once, without a reload.
      await note.fill(CLEAN);
      await expect.poll(() => warning.textContent()).toBe("");
      await first.button.click();
      await page.locator(".review-message", {hasText: `Recorded: ${first.id}`}).waitFor();
      expect(await card.locator("h2").textContent()).toContain(": 1");
      const one = await exported(page);
      // The file is named by the session's date and the model reviewed (the page names it too).
      const modelId = (
        (await page
          .locator("p", {hasText: /^Model /})
          .first()
          .locator("code")
          .textContent()) ?? ""
      ).replace(/[^A-Za-z0-9_.-]+/g, "-");
      expect(modelId).not.toBe("");
      expect(one.label).toMatch(new RegExp(`^Export 1 verdict as \\d{4}-\\d{2}-\\d{2}-${modelId.replace(/[.]/g, "\\.")}-\\w+\\.csv$`));
      expect(parseReviews(one.csv!, "session.csv").map((r) => [r.record_id, r.verdict, r.reason, r.note])).toEqual([
        [first.id, "decision_right", "information_not_in_extract", CLEAN],
      ]);
      expect(await card.locator("tbody").textContent()).toContain("the staff decision was right");
      expect(JSON.parse((await stored(page))!).verdicts.map((v: {record_id: string}) => v.record_id)).toEqual([first.id]);

      // Deleted from the keyboard: gone from storage and the export at once.
      await card.getByRole("button", {name: `Delete the verdict on ${first.id}`}).focus();
      await page.keyboard.press("Enter");
      await expect.poll(async () => (await card.locator("h2").textContent()) ?? "").toContain(": 0");
      expect(await stored(page)).not.toContain(first.id);
      expect(JSON.parse((await stored(page))!).verdicts).toEqual([]);
      expect(await exported(page)).toEqual({
        label: "No verdicts recorded yet. — save the file into data/reviews/ and commit it; then rebuild.",
        csv: null,
      });

      // Undo brings the deleted verdict back (one step), and a second delete removes it again.
      await card.getByRole("button", {name: "Undo last change"}).click();
      await expect.poll(async () => (await card.locator("h2").textContent()) ?? "").toContain(": 1");
      expect(JSON.parse((await stored(page))!).verdicts.map((v: {record_id: string}) => v.record_id)).toEqual([first.id]);
      await card.getByRole("button", {name: `Delete the verdict on ${first.id}`}).click();
      await expect.poll(async () => (await card.locator("h2").textContent()) ?? "").toContain(": 0");
      expect(await stored(page)).not.toContain(first.id);

      // Two recorded, then the draft cleared after the confirm step: both gone.
      const ids: string[] = [];
      for (const i of [0, 1]) {
        const {id, button} = await pick(i);
        await page.locator("input[name=verdict][value=model_right]").check();
        await page.locator("select[name=reason]").selectOption("local_threshold_practice");
        await note.fill(CLEAN);
        await button.click();
        await page.locator(".review-message", {hasText: `Recorded: ${id}`}).waitFor();
        ids.push(id);
      }
      const two = await exported(page);
      expect(two.label).toMatch(/^Export 2 verdicts as /);
      expect(parseReviews(two.csv!, "session.csv").map((r) => r.record_id)).toEqual(ids);
      await card.getByRole("button", {name: "Clear draft…"}).click();
      expect(JSON.parse((await stored(page))!).verdicts).toHaveLength(2); // nothing cleared before the confirm
      await card.getByRole("button", {name: "Keep them"}).click();
      expect(JSON.parse((await stored(page))!).verdicts).toHaveLength(2);
      await card.getByRole("button", {name: "Clear draft…"}).click();
      await card.getByRole("button", {name: "Yes, clear the draft"}).click();
      await expect.poll(async () => (await card.locator("h2").textContent()) ?? "").toContain(": 0");
      const after = (await stored(page))!;
      for (const id of ids) expect(after).not.toContain(id);
      expect(JSON.parse(after)).toMatchObject({roles: ["analyst"], verdicts: []});
      expect((await exported(page)).csv).toBeNull();

      // Nothing comes back on a reload.
      await page.reload({waitUntil: "networkidle"});
      await expect.poll(async () => (await card.locator("h2").textContent()) ?? "").toContain(": 0");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
