// Child process of the benchmark: opens each page named (paths) of the built site (dist/)
// in Debian's Chromium and prints, per page, the milliseconds from navigation start
// until every cell has rendered (no loading placeholder, some content, the
// number of charts, table rows and paragraphs unchanged for 300 ms; the quiet wait is subtracted),
// and any page error.
import {launchChromium} from "../e2e/helpers/browser.ts";
import {serveDirectory} from "../e2e/helpers/static-server.ts";

const paths = process.argv.slice(2);
const server = await serveDirectory("dist");
const browser = await launchChromium();
const out: Record<string, {ms: number; errors: string[]}> = {};
try {
  for (const path of paths) {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.origin}${path}`, {waitUntil: "load"});
    const ms = await page
      .waitForFunction(
        () => {
          const w = window as unknown as {_bench?: {count: number; since: number}};
          const loading = document.querySelectorAll("observablehq-loading, .observablehq--loading").length;
          const failed = document.querySelectorAll(".observablehq--error").length;
          const count = document.querySelectorAll("svg g[aria-label], table tr, #observablehq-main p").length;
          const now = performance.now();
          if (failed) return -1;
          if (loading || count === 0) return ((w._bench = undefined), false);
          if (!w._bench || w._bench.count !== count) return ((w._bench = {count, since: now}), false);
          return now - w._bench.since >= 300 ? w._bench.since : false;
        },
        undefined,
        {polling: 50, timeout: 60_000},
      )
      .then((h) => h.jsonValue() as Promise<number>);
    if (ms < 0) errors.push("a cell shows an error");
    out[path] = {ms, errors};
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(JSON.stringify(out));
