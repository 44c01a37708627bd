/**
 * The page checks can fail: a fixture site with one fault per page
 * (fixtures/broken) is built offline and each page must be reported with the
 * matching problem (the accessibility faults of /a11y each by its axe-core
 * rule), while its fault-free page passes, the accessibility check included.
 * Without this, a check that silently stopped working (e.g. inspecting the
 * page before a slow cell failed) would let every real page "pass".
 */
import {describe, expect, it} from "vitest";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {buildFixture} from "./helpers/fixture.ts";
import {useSiteInBrowser} from "./helpers/session.ts";

/** Each page and the problem the checks must report for it. */
const FAULTS: ReadonlyArray<[path: string, problem: RegExp]> = [
  ["/cell-error", /^cell error: .*broken on purpose/],
  ["/late-error", /^cell error: .*TypeError/],
  ["/empty-chart", /^empty chart/],
  ["/missing-file", /^HTTP 404: .*no-such-file\.json/],
  ["/console-error", /^console error: logged on purpose/],
  ["/outside", /^request outside the site: http:\/\/example\.invalid\//],
  ["/stuck", /variable\(s\) still computing: never/],
  // axe-core runs in the page: an unnamed button (critical), grey text at 1.7:1 (serious), and the harness's own chart-name check
  ["/a11y", /^a11y button-name: 1 node\(s\) — Buttons must have discernible text \[/],
  ["/a11y", /^a11y color-contrast: 1 node\(s\) — .*contrast/],
  ["/a11y", /^a11y chart-name: 1 chart\(s\)/],
];

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("page checks catch broken pages", () => {
  const session = useSiteInBrowser(() => buildFixture("broken"));

  it("passes the page without faults", async () => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}/`);
    expect(report.problems).toEqual([]);
    expect(report.charts).toBe(1);
  });

  it("reports nothing about accessibility when asked not to check it", async () => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}/a11y`, {accessibility: false});
    expect(report.problems).toEqual([]);
  });

  it.each(FAULTS)("reports %s", async (path, problem) => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}${path}`, {renderTimeoutMs: 8_000});
    expect(
      report.problems.some((p) => problem.test(p)),
      `expected a problem matching ${problem}, got:\n${report.problems.join("\n")}`,
    ).toBe(true);
  });

  // The page loads DuckDB-wasm, runs a query, then waits forever: the stuck
  // cell is named within the render timeout (the test's own limit is 3× that,
  // not vitest's 180 s), and the query's answer proves the wasm really ran.
  it("reports a stuck cell by name on a page that loads DuckDB-wasm", {timeout: 45_000}, async () => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}/stuck-wasm`, {renderTimeoutMs: 15_000});
    expect(report.checks["duckdb-sum"]).toBe("3");
    expect(
      report.problems.some((p) => /variable\(s\) still computing: .*neverAfterWasm.* after 15 s$/.test(p)),
      report.problems.join("\n"),
    ).toBe(true);
  });
});
