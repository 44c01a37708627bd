/**
 * The Consistency page in Chromium on the default sample: it renders without
 * errors, its screener funnel draws one point per screener in the warehouse and
 * its summary counts the screeners a direct DuckDB count finds, the team funnel
 * one point per team, a time chart for each known change, and the agreement table.
 */
import {describe, expect, inject, it} from "vitest";
import {queryRows} from "../../loaders/db.ts";
import {withWarehouse} from "../../loaders/db.ts";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";

const build = inject("siteBuild");

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("Consistency page in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  it("renders the funnels, the change charts and the agreement table, counting what the warehouse holds", async () => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}/consistency`);
    expect(report.problems).toEqual([]);
    expect(report.charts).toBeGreaterThanOrEqual(4); // screener and team funnels, one chart per change

    const [{screeners, teams}] = await withWarehouse((db) =>
      queryRows(
        db,
        `SELECT count(DISTINCT screener_id)::INT AS screeners, count(DISTINCT team)::INT AS teams FROM contacts WHERE mash_decision IS NOT NULL`,
      ),
    );
    expect(report.checks["screener-summary"]).toMatch(new RegExp(`^\\d+ of ${screeners} screeners fall outside the 99\\.8% limits`));
    expect(report.checks["team-summary"]).toMatch(new RegExp(`^\\d+ of ${teams} teams fall outside the 99\\.8% limits`));
    expect(report.checks["agreement"]).toMatch(/different screeners agree/);
    expect(report.checks["change-policy_shift"]).toMatch(/Revised threshold guidance: 2017-10-01/);
    expect(report.checks["change-pilot"]).toMatch(/2019-01-01 to 2019-03-31/);

    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    try {
      await page.goto(`${server.origin}/consistency`, {waitUntil: "networkidle"});
      const dots = (card: string) => page.locator(`[data-check=${card}] svg [aria-label=dot] circle`);
      await dots("screener-funnel").first().waitFor({timeout: 60_000});
      expect(await dots("screener-funnel").count()).toBe(screeners);
      expect(await dots("team-funnel").count()).toBe(teams);
      // Screeners named on the chart are those outside 99.8%: as many as the summary says.
      const flagged = Number(report.checks["screener-summary"].split(" ")[0]);
      expect(await page.locator("[data-check=screener-funnel] svg [aria-label=text] text").count()).toBe(flagged);
    } finally {
      await page.close();
    }
  });
});
