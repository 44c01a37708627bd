/**
 * Real-Chromium page checks for the built site (playwright-core driving
 * Debian's /usr/bin/chromium). One call opens one page, waits until every
 * Framework cell has rendered, and returns every problem found, so a test
 * failure lists them all at once.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";

/** Where Chromium is expected (override with CHROMIUM_PATH). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Whether the browser tests may be skipped when Chromium is missing (E2E_ALLOW_SKIP=1). */
export function allowSkipWithoutChromium(): boolean {
  return process.env.E2E_ALLOW_SKIP === "1";
}

/** Whether Chromium is installed where {@link chromiumPath} says. */
export function chromiumInstalled(): boolean {
  return existsSync(chromiumPath());
}

/**
 * The flags that keep headless Chromium quiet and offline: as root it needs
 * --no-sandbox, and without the others it phones Google (component updates,
 * sync, QUIC probes) and logs refused connections.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync"
];

/** Launches headless Chromium; throws a message saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (\`apt-get install -y chromium\`) or set CHROMIUM_PATH. ` +
        "Set E2E_ALLOW_SKIP=1 to skip the browser tests instead."
    );
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}

/** What {@link checkPage} found on one page. */
export interface PageReport {
  url: string;
  /** Everything wrong, one line each; empty means the page is fine. */
  problems: string[];
  /** Text of every `[data-check]` element, by attribute value (for page-specific assertions). */
  checks: Record<string, string>;
  /** Number of Plot charts seen (each one had marks, or it is listed in problems). */
  charts: number;
}

/** Options of {@link checkPage}. */
export interface CheckOptions {
  /** How long cells may take to render (default 90 s: DuckDB and tfjs pages load megabytes of wasm). */
  renderTimeoutMs?: number;
  viewport?: { width: number; height: number };
}

/**
 * Opens `url` and reports: console errors, uncaught page errors, failed
 * requests and HTTP statuses >= 400, requests leaving the site's origin,
 * cells still loading, cells showing an Observable error
 * (`.observablehq--error`), and Plot charts without marks (every Plot svg must
 * have a mark group — `g[aria-label]` other than axes, grids and frames —
 * holding at least one shape or text).
 *
 * @example const report = await checkPage(browser, `${server.origin}/`); expect(report.problems).toEqual([]);
 */
export async function checkPage(browser: Browser, url: string, options: CheckOptions = {}): Promise<PageReport> {
  const origin = new URL(url).origin;
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium probes /favicon.ico on its own when a page declares no icon;
    // that 404 is the browser's guess, not a resource the site asked for.
    if (message.location().url === `${origin}/favicon.ico`) return;
    problems.push(`console error: ${message.text()}${message.location().url ? ` (${message.location().url})` : ""}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "unknown"})`);
  });
  page.on("request", (request) => {
    const target = request.url();
    if (!/^(data|blob):/.test(target) && new URL(target).origin !== origin) problems.push(`request outside the site: ${target}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  try {
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response) problems.push("no response for the page itself");
    await scrollThrough(page); // cells waiting on visibility() render only when scrolled into view
    await page.waitForLoadState("networkidle");
    const timeout = options.renderTimeoutMs ?? 90_000;
    const pending = await waitForCells(page, timeout);
    if (pending) problems.push(`${pending} after ${timeout / 1000} s`);
    const found = await page.evaluate(inspectDocument);
    problems.push(...found.problems);
    return { url, problems, checks: found.checks, charts: found.charts };
  } finally {
    await context.close();
  }
}

/**
 * Waits until every Framework cell has settled: no `<observablehq-loading>`
 * placeholder left, and every reachable variable of the Observable runtime
 * fulfilled or rejected with the runtime idle (a cell that only calls
 * display() has no placeholder, so the runtime is the only honest signal),
 * twice in a row with the network idle in between. Framework does not expose
 * its runtime, so the instances are found with the DevTools protocol
 * (Runtime.queryObjects on the prototype of the page's own Runtime class).
 * Returns "" when settled, otherwise what is still pending.
 */
async function waitForCells(page: Page, timeoutMs: number): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const deadline = Date.now() + timeoutMs;
    let state = "";
    let quietRounds = 0;
    while (Date.now() < deadline) {
      state = await pendingCells(page, cdp);
      quietRounds = state ? 0 : quietRounds + 1;
      if (quietRounds >= 2) return "";
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(state ? 250 : 100);
    }
    return state || "cells not settled";
  } finally {
    await cdp.detach();
  }
}

/** Runs on the array of Runtime instances (as `this`); describes what is pending, "" when nothing is. */
const PENDING_IN_RUNTIMES = `async function () {
  const variables = [];
  let busy = false;
  for (const runtime of this) {
    if (runtime._computing) busy = true;
    for (const v of runtime._variables) if (v._reachable) variables.push(v);
  }
  const settled = new Set();
  for (const v of variables) v._promise.then(() => settled.add(v), () => settled.add(v));
  await new Promise((resolve) => setTimeout(resolve, 20)); // already-settled promises report first
  const names = variables.filter((v) => !settled.has(v)).map((v) => v._name || "(anonymous cell)");
  const parts = [];
  if (names.length) parts.push(names.length + " variable(s) still computing: " + names.slice(0, 10).join(", "));
  if (busy) parts.push("runtime busy");
  return parts.join("; ");
}`;

async function pendingCells(page: Page, cdp: CDPSession): Promise<string> {
  const { loading, runtimeUrl } = await page.evaluate(() => ({
    loading: document.querySelectorAll("observablehq-loading, .observablehq--loading").length,
    runtimeUrl: document.querySelector<HTMLLinkElement>('link[rel="modulepreload"][href*="/_observablehq/runtime."]')?.href ?? null
  }));
  const parts = loading ? [`${loading} cell(s) still loading`] : [];
  if (runtimeUrl) {
    const objectGroup = "e2e-pending-cells";
    try {
      const prototype = await cdp.send("Runtime.evaluate", {
        expression: `import(${JSON.stringify(runtimeUrl)}).then((module) => module.Runtime.prototype)`,
        awaitPromise: true,
        objectGroup
      });
      if (!prototype.result.objectId) throw new Error(`no Runtime class in ${runtimeUrl}`);
      const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: prototype.result.objectId, objectGroup });
      if (!objects.objectId) throw new Error("Runtime.queryObjects returned nothing");
      const { result, exceptionDetails } = await cdp.send("Runtime.callFunctionOn", {
        objectId: objects.objectId,
        functionDeclaration: PENDING_IN_RUNTIMES,
        awaitPromise: true,
        returnByValue: true,
        objectGroup
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      if (result.value) parts.push(String(result.value));
    } finally {
      await cdp.send("Runtime.releaseObjectGroup", { objectGroup });
    }
  }
  return parts.join("; ");
}

async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const step = Math.max(200, Math.floor(window.innerHeight * 0.8));
    for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    }
    window.scrollTo(0, 0);
  });
}

/** Runs in the page: finds error cells and empty Plot charts, and reads `[data-check]` values. */
function inspectDocument(): { problems: string[]; checks: Record<string, string>; charts: number } {
  const problems: string[] = [];
  for (const error of document.querySelectorAll(".observablehq--error")) {
    problems.push(`cell error: ${(error.textContent ?? "").trim().slice(0, 300)}`);
  }
  // Plot's chart svgs carry exactly the class "plot-<hex>" (legends add a suffix such as "-ramp").
  const charts = [...document.querySelectorAll("svg")].filter((svg) => [...svg.classList].some((c) => /^plot-[0-9a-f]+$/.test(c)));
  const nonData = /(^|-)axis\b|grid|^frame$/;
  const shapes = "path, rect, circle, ellipse, line, polyline, polygon, text, image, use";
  charts.forEach((svg, i) => {
    const marks = [...svg.querySelectorAll("g[aria-label]")].filter((g) => !nonData.test(g.getAttribute("aria-label") ?? ""));
    if (!marks.some((g) => g.querySelector(shapes) !== null)) {
      const label = svg.getAttribute("aria-label") ?? svg.closest("figure")?.querySelector("h2, h3, figcaption")?.textContent ?? `#${i + 1}`;
      const groups = marks.map((g) => g.getAttribute("aria-label")).join(", ") || "none";
      problems.push(`empty chart ${label.trim()}: no mark with shapes (mark groups: ${groups})`);
    }
  });
  const checks: Record<string, string> = {};
  for (const element of document.querySelectorAll("[data-check]")) {
    checks[element.getAttribute("data-check") ?? ""] = (element.textContent ?? "").trim();
  }
  return { problems, checks, charts: charts.length };
}
