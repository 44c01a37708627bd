/**
 * Every library the offline cache provides works in the browser after an
 * offline build: a small fixture site (fixtures/libraries: Plot, d3, Inputs,
 * htl, CSV; Arrow, Parquet via parquet-wasm, Arquero, DuckDB via `sql:` and
 * DuckDBClient; TensorFlow.js trained on the wasm backend) is copied to
 * .tmp/e2e/libraries, its npm cache is filled from node_modules
 * (tools/offline-cache.ts --root), it is built with the network blocked,
 * and each page is opened in Chromium with the same checks as the site's own
 * pages plus the values the pages compute.
 */
import {describe, expect, it} from "vitest";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {buildFixture} from "./helpers/fixture.ts";
import {useSiteInBrowser} from "./helpers/session.ts";
import {listBuiltPages} from "./helpers/site.ts";

/** What each fixture page must show, by `data-check` name. */
const EXPECTED: Record<string, Record<string, string>> = {
  "/": {"d3-sum": "10", "above-threshold": "1"},
  "/data": {
    "parquet-rows": "100",
    "arquero-mean-y": "99",
    "arrow-version": "function",
    "duckdb-sum-x": "4950",
    "duckdb-parquet-max-y": "198",
  },
  "/tfjs": {"tf-backend": "wasm", "tf-fit": "converged", "tf-predict": "21.0"},
};

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("libraries from the offline cache, in Chromium", () => {
  const session = useSiteInBrowser(() => buildFixture("libraries"));

  it("built every fixture page", () => {
    expect(listBuiltPages(session().dist)).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });

  it.each(Object.keys(EXPECTED))("%s works", async (path) => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}${path}`, {accessibility: false});
    expect(report.problems, `problems on ${path}`).toEqual([]);
    expect(report.checks).toEqual(EXPECTED[path]);
  });
});
