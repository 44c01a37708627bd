/**
 * The review loop in Chromium: record two verdicts on the Cross-check page,
 * reload (nothing lost), export the session file, put it where review files
 * live, rebuild the site, and see the verdicts counted on the Cross-check page
 * and the terminology problem on the Variables page. The review folder is a
 * temporary one (MASH_REVIEWS_DIR) so data/reviews/ is never touched by tests.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, inject, it} from "vitest";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled, launchChromium} from "./helpers/browser.ts";
import {describeRun, runOffline} from "./helpers/offline.ts";
import {serveDirectory} from "./helpers/static-server.ts";
import {parseReviews} from "../../src/lib/reviews.ts";

const build = inject("siteBuild");
const reviews = mkdtempSync(join(tmpdir(), "e2e-reviews-"));
afterAll(() => rmSync(reviews, {recursive: true, force: true}));

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("review verdicts: page → data/reviews → loader → pages", () => {
  it("two verdicts recorded, kept across a reload, exported, and counted after a rebuild", async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    const browser = await launchChromium();
    let server = await serveDirectory(SITE_DIST);
    try {
      const context = await browser.newContext({viewport: {width: 1400, height: 1000}, acceptDownloads: true});
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.origin}/crosscheck`, {waitUntil: "networkidle"});
      await page.getByLabel("analyst").check();
      await page.getByLabel("social worker").check();
      const rows = page.locator("[data-check=review-queue] table").first().locator("tbody tr");
      const recordOn = async (i: number, verdict: string, reason: string, variable?: string) => {
        // The row's record key (its first column after the pick box): the panel must show this one,
        // not the one picked before, before anything is filled in.
        const id = ((await rows.nth(i).locator("td").nth(1).textContent()) ?? "").trim();
        await rows.nth(i).locator("input").first().check();
        const button = page.getByRole("button", {name: `Record verdict on ${id}`});
        await button.waitFor();
        await page.locator(`input[name=verdict][value=${verdict}]`).check();
        await page.locator("select[name=reason]").selectOption(reason);
        if (variable) await page.locator("select[name=variable]").selectOption(variable);
        await page.locator("textarea[name=note]").fill("seen in the session");
        await button.click();
        await page.locator(".review-message", {hasText: `Recorded: ${id}`}).waitFor();
        return id;
      };
      const first = await recordOn(0, "data_error", "recording_error");
      const second = await recordOn(1, "terminology_problem", "code_meaning_unclear", "primary_concern");
      expect(first).not.toBe(second);
      await page.reload({waitUntil: "networkidle"});
      const draft = page.locator("[data-check=review-draft]");
      await expect.poll(async () => (await draft.locator("h2").textContent()) ?? "").toContain(": 2");
      const [download] = await Promise.all([page.waitForEvent("download"), draft.getByRole("link", {name: /Export 2 verdicts/}).click()]);
      await download.saveAs(join(reviews, download.suggestedFilename()));
      const saved = readdirSync(reviews);
      expect(saved).toHaveLength(1);
      const parsed = parseReviews(readFileSync(join(reviews, saved[0]), "utf8"), saved[0]);
      expect(parsed.map((r) => [r.record_id, r.verdict])).toEqual([
        [first, "data_error"],
        [second, "terminology_problem"],
      ]);
      expect(parsed[0].reviewer_roles).toEqual(["analyst", "social_worker"]);
      expect(errors).toEqual([]);
      await context.close();

      // Rebuild with the exported file where review files live.
      await server.close();
      const rebuilt = await runOffline(["npm", "run", "build"], {
        label: "site-build-reviews",
        timeoutMs: 15 * 60_000,
        env: {MASH_REVIEWS_DIR: reviews},
      });
      expect(rebuilt.exitCode, describeRun(rebuilt)).toBe(0);
      server = await serveDirectory(SITE_DIST);
      const after = await browser.newPage();
      await after.goto(`${server.origin}/crosscheck`, {waitUntil: "networkidle"});
      const summary = after.locator("[data-check=reviews-summary]");
      await expect.poll(async () => (await summary.textContent()) ?? "").toContain("Verdicts recorded so far: 2 in 1 session file");
      expect(await summary.textContent()).toContain("1 contact marked as data errors will be left out of the next training run");
      await after.goto(`${server.origin}/variables`, {waitUntil: "networkidle"});
      await expect
        .poll(async () => (await after.locator("#var-primary_concern").textContent()) ?? "")
        .toContain("Terminology problems raised in working sessions: seen in the session (1)");
      await after.close();
    } finally {
      await server.close();
      await browser.close();
    }
  });
});
