/**
 * The page checks can fail: a fixture site with one fault per page
 * (fixtures/broken) is built offline and each page must be reported with the
 * matching problem, while its fault-free page passes. Without this, a check
 * that silently stopped working (e.g. inspecting the page before a slow cell
 * failed) would let every real page "pass".
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowSkipWithoutChromium, checkPage, chromiumInstalled, launchChromium } from "./helpers/browser.ts";
import { buildFixture } from "./helpers/fixture.ts";
import { serveDirectory, type StaticServer } from "./helpers/static-server.ts";

/** Each page and the problem the checks must report for it. */
const FAULTS: ReadonlyArray<[path: string, problem: RegExp]> = [
  ["/cell-error", /^cell error: .*broken on purpose/],
  ["/late-error", /^cell error: .*TypeError/],
  ["/empty-chart", /^empty chart/],
  ["/missing-file", /^HTTP 404: .*no-such-file\.json/],
  ["/console-error", /^console error: logged on purpose/],
  ["/outside", /^request outside the site: http:\/\/example\.invalid\//],
  ["/stuck", /variable\(s\) still computing: never/]
];

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("page checks catch broken pages", () => {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;

  beforeAll(async () => {
    const dist = await buildFixture("broken");
    browser = await launchChromium();
    server = await serveDirectory(dist);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("passes the page without faults", async () => {
    if (!browser || !server) throw new Error("browser or server not started");
    const report = await checkPage(browser, `${server.origin}/`);
    expect(report.problems).toEqual([]);
    expect(report.charts).toBe(1);
  });

  it.each(FAULTS)("reports %s", async (path, problem) => {
    if (!browser || !server) throw new Error("browser or server not started");
    const report = await checkPage(browser, `${server.origin}${path}`, { renderTimeoutMs: 8_000 });
    expect(report.problems.some((p) => problem.test(p)), `expected a problem matching ${problem}, got:\n${report.problems.join("\n")}`).toBe(true);
  });
});
