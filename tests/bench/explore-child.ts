// Child process of the benchmark: opens the Explore page of the built site (dist/) in
// Debian's Chromium `loads` times, each in a fresh context (nothing cached), and prints
// per load the milliseconds from navigation start until the first chart's dots are
// drawn, and until DuckDB-wasm is ready for other queries (the page says so), and any
// page error. Usage: explore-child.ts [loads] [site folder, default dist]
import {launchChromium} from "../e2e/helpers/browser.ts";
import {serveDirectory} from "../e2e/helpers/static-server.ts";

const loads = Number(process.argv[2] ?? 3);
const server = await serveDirectory(process.argv[3] ?? "dist");
const browser = await launchChromium();
const out: {firstChartMs: number; dbMs: number; errors: string[]}[] = [];
/** Milliseconds since navigation start when `selector` first matches (polled every 20 ms). */
const when = (page: import("playwright-core").Page, selector: string) =>
  page
    .waitForFunction((s) => (document.querySelector(s) ? performance.now() : false), selector, {polling: 20, timeout: 60_000})
    .then((h) => h.jsonValue() as Promise<number>);
try {
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.origin}/explore`, {waitUntil: "commit"});
    // the rate chart: one dot per group
    const firstChartMs = await when(page, "figure svg g[aria-label=dot] circle");
    // DuckDB-wasm has loaded the contacts table (it starts once the first chart is drawn)
    const dbMs = await when(page, "[data-db=ready]");
    if (await page.locator(".observablehq--error").count()) errors.push("a cell shows an error");
    out.push({firstChartMs, dbMs, errors});
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(JSON.stringify(out));
