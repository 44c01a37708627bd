/**
 * Real-Chromium page checks for the built site (playwright-core driving
 * Debian's /usr/bin/chromium). One call opens one page, waits until every
 * Framework cell has rendered, and returns every problem found, so a test
 * failure lists them all at once.
 */
import {existsSync, readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {chromium, type Browser, type Page} from "playwright-core";

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
  "--disable-sync",
];

/** Launches headless Chromium; throws a message saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (\`apt-get install -y chromium\`) or set CHROMIUM_PATH. ` +
        "Set E2E_ALLOW_SKIP=1 to skip the browser tests instead.",
    );
  }
  return chromium.launch({executablePath, headless: true, args: [...CHROMIUM_ARGS]});
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
  viewport?: {width: number; height: number};
  /**
   * Run the accessibility check once the page has settled (default true): axe-core's
   * WCAG 2.0, 2.1 and 2.2 rules at levels A and AA, each serious or critical
   * violation reported as "a11y <rule>: <n> node(s) — <help> [selectors]", and
   * every Plot chart must have an accessible name ("a11y chart-name: …").
   */
  accessibility?: boolean;
}

/**
 * Opens `url` and reports: console errors, uncaught page errors, failed
 * requests and HTTP statuses >= 400, requests leaving the site's origin,
 * cells still loading, cells showing an Observable error
 * (`.observablehq--error`), and Plot charts without marks (every Plot svg must
 * have a mark group — `g[aria-label]` other than axes, grids and frames —
 * holding at least one shape or text); and, unless `accessibility: false`,
 * WCAG A/AA violations that axe-core rates serious or critical, and Plot
 * charts without an accessible name.
 *
 * @example const report = await checkPage(browser, `${server.origin}/`); expect(report.problems).toEqual([]);
 */
export async function checkPage(browser: Browser, url: string, options: CheckOptions = {}): Promise<PageReport> {
  const origin = new URL(url).origin;
  const context = await browser.newContext({viewport: options.viewport ?? {width: 1280, height: 900}});
  await context.addInitScript(recordRuntimes);
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
  // An aborted request for a URL the server also answered with success (DuckDB-wasm starts two fetches
  // of its wasm and Chromium may abort one) is not a fault: such aborts are kept apart and dropped at
  // the end; a failing answer is reported by its status.
  const aborted: {url: string; text: string}[] = [];
  const received = new Set<string>();
  page.on("requestfailed", (request) => {
    const text = `request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "unknown"})`;
    if (request.failure()?.errorText === "net::ERR_ABORTED") aborted.push({url: request.url(), text});
    else problems.push(text);
  });

  page.on("request", (request) => {
    const target = request.url();
    if (!/^(data|blob):/.test(target) && new URL(target).origin !== origin) problems.push(`request outside the site: ${target}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    else received.add(response.url());
  });
  const timeout = options.renderTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeout;
  page.setDefaultTimeout(timeout); // goto and load-state waits; evaluate calls are bounded below
  try {
    const response = await page.goto(url, {waitUntil: "load"});
    if (!response) problems.push("no response for the page itself");
    // cells waiting on visibility() render only when scrolled into view
    const scrolled = await bounded(
      page.evaluate(scrollThrough).then(() => ""),
      LOOK_TIMEOUT_MS,
      "the page did not answer while scrolled",
    );
    if (scrolled) problems.push(scrolled);
    const pending = await waitForCells(page, deadline);
    if (pending) problems.push(`${pending} after ${timeout / 1000} s`);
    const found = await bounded(page.evaluate(inspectDocument), LOOK_TIMEOUT_MS, "the page did not answer when inspected");
    if (typeof found === "string") return {url, problems: [...problems, found], checks: {}, charts: 0};
    problems.push(...found.problems);
    if (options.accessibility ?? true) {
      const check = checkAccessibility(page).catch((error: Error) => [`a11y: axe-core failed: ${error.message.split("\n")[0]}`]);
      const a11y = await bounded(check, AXE_TIMEOUT_MS, "a11y: axe-core did not finish");
      problems.push(...(typeof a11y === "string" ? [a11y] : a11y));
    }
    problems.push(...aborted.filter((a) => !received.has(a.url)).map((a) => a.text));
    // A copy: closing the context aborts requests still in flight, and those are not the page's faults.
    return {url, problems: [...problems], checks: found.checks, charts: found.charts};
  } finally {
    await bounded(context.close(), LOOK_TIMEOUT_MS, "");
  }
}

/**
 * Waits until every Framework cell has settled: no `<observablehq-loading>`
 * placeholder left, and every reachable variable of the Observable runtime
 * fulfilled or rejected with the runtime idle (a cell that only calls
 * display() has no placeholder, so the runtime is the only honest signal),
 * twice in a row with the network idle in between. The runtime is found by
 * {@link recordRuntimes}. Every look at the page is
 * bounded, so a page whose main thread never answers is reported too. Returns "" when settled, otherwise what is still pending.
 */
async function waitForCells(page: Page, deadline: number): Promise<string> {
  let state = "";
  let quietRounds = 0;
  while (Date.now() < deadline) {
    // one look may run past the deadline by up to LOOK_TIMEOUT_MS, so a slow last look is not taken for a silent page
    state = await bounded(page.evaluate(pendingInPage), LOOK_TIMEOUT_MS, "the page did not answer (main thread busy?)");
    quietRounds = state ? 0 : quietRounds + 1;
    if (quietRounds >= 2) return "";
    await page.waitForLoadState("networkidle", {timeout: Math.max(1, deadline - Date.now())}).catch(() => undefined);
    await page.waitForTimeout(state ? 250 : 100);
  }
  return state || "cells not settled";
}

/** Longest wait for one look at the page (a busy main thread answers nothing). */
const LOOK_TIMEOUT_MS = 10_000;

/** Resolves as `work` does, or with `timeoutMessage` once `ms` have passed. */
async function bounded<T>(work: Promise<T>, ms: number, timeoutMessage: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(timeoutMessage), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs in every page before its own scripts: keeps each Observable runtime the
 * page creates in `window.__e2eRuntimes`. The runtime's constructor declares
 * its state with Object.defineProperties (`_variables`, `_computing`,
 * `_modules`), which is where it is caught; Framework's build does not export
 * the instance, and Chromium 156 no longer answers the DevTools heap query
 * (Runtime.queryObjects) on pages that load WebAssembly.
 */
function recordRuntimes(): void {
  const define = Object.defineProperties;
  const runtimes: object[] = [];
  Object.defineProperty(window, "__e2eRuntimes", {value: runtimes});
  Object.defineProperties = function <T>(target: T, properties: PropertyDescriptorMap & ThisType<unknown>): T {
    const result = define(target, properties);
    if ("_variables" in properties && "_computing" in properties && "_modules" in properties) runtimes.push(target as object);
    return result;
  };
}

/**
 * Runs in the page: what is still pending, "" when nothing is. Each reachable
 * variable's promise is raced against a short tick, so only those not yet
 * settled are named.
 */
async function pendingInPage(): Promise<string> {
  type Variable = {_reachable: boolean; _name: string | null; _promise: Promise<unknown>};
  type Runtime = {_computing: unknown; _variables: Set<Variable>};
  const parts: string[] = [];
  const loading = document.querySelectorAll("observablehq-loading, .observablehq--loading").length;
  if (loading) parts.push(`${loading} cell(s) still loading`);
  const runtimes = (window as unknown as {__e2eRuntimes?: Runtime[]}).__e2eRuntimes ?? [];
  const usesRuntime = document.querySelector('link[rel="modulepreload"][href*="/_observablehq/runtime."]') !== null;
  if (usesRuntime && runtimes.length === 0) parts.push("no Observable runtime found in the page");
  const variables = runtimes.flatMap((runtime) => [...runtime._variables].filter((v) => v._reachable));
  const settled = new Set<Variable>();
  for (const v of variables)
    v._promise.then(
      () => settled.add(v),
      () => settled.add(v),
    );
  await new Promise((resolve) => setTimeout(resolve, 20)); // already-settled promises report first
  const names = variables.filter((v) => !settled.has(v)).map((v) => v._name || "(anonymous cell)");
  if (names.length) parts.push(`${names.length} variable(s) still computing: ${names.slice(0, 10).join(", ")}`);
  if (runtimes.some((runtime) => runtime._computing)) parts.push("runtime busy");
  return parts.join("; ");
}

/** Runs in the page: scrolls to the bottom a screen at a time, then back to the top. */
async function scrollThrough(): Promise<void> {
  const step = Math.max(200, Math.floor(window.innerHeight * 0.8));
  for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  }
  window.scrollTo(0, 0);
}

/** Runs in the page: finds error cells and empty Plot charts, and reads `[data-check]` values. */
function inspectDocument(): {problems: string[]; checks: Record<string, string>; charts: number} {
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
      const label =
        svg.getAttribute("aria-label") ?? svg.closest("figure")?.querySelector("h2, h3, figcaption")?.textContent ?? `#${i + 1}`;
      const groups = marks.map((g) => g.getAttribute("aria-label")).join(", ") || "none";
      problems.push(`empty chart ${label.trim()}: no mark with shapes (mark groups: ${groups})`);
    }
  });
  const checks: Record<string, string> = {};
  for (const element of document.querySelectorAll("[data-check]")) {
    checks[element.getAttribute("data-check") ?? ""] = (element.textContent ?? "").trim();
  }
  return {problems, checks, charts: charts.length};
}

/** The WCAG levels the accessibility check holds pages to (axe-core's tags). */
export const AXE_TAGS: readonly string[] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** Longest wait for axe-core on one page (long tables and many charts take a few seconds). */
const AXE_TIMEOUT_MS = 60_000;

let axeSource: string | undefined;
/** axe-core's browser bundle, read once from node_modules (never fetched: the tests run offline). */
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/**
 * Injects axe-core into the settled page and runs the WCAG A/AA rules; returns one
 * problem per serious or critical rule ("a11y color-contrast: 3 node(s) — Elements
 * must meet minimum color contrast ratio thresholds [.card > p, …]"), naming
 * elements by selector only, never by their text. Plot charts (svg.plot-<hex>)
 * without an accessible name are reported as "a11y chart-name": axe-core does
 * not ask it of an svg without role="img".
 */
async function checkAccessibility(page: Page): Promise<string[]> {
  await page.addScriptTag({content: axeScript()});
  const found = await page.evaluate(async (tags) => {
    type Violation = {id: string; impact: string | null; help: string; nodes: {target: unknown[]}[]};
    const axe = (window as unknown as {axe: {run: (context: Document, options: object) => Promise<{violations: Violation[]}>}}).axe;
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    const violations = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(" "))}));
    const charts = [...document.querySelectorAll("svg")].filter((svg) => [...svg.classList].some((c) => /^plot-[0-9a-f]+$/.test(c)));
    const unnamed = charts.filter((svg) => !(svg.getAttribute("aria-label") ?? "").trim() && !svg.closest("[role=img][aria-label]"));
    return {violations, unnamedCharts: unnamed.length};
  }, AXE_TAGS as string[]);
  const problems = found.violations.map((v) => {
    const shown = v.targets.slice(0, 3).join(", ") + (v.targets.length > 3 ? ", …" : "");
    return `a11y ${v.id}: ${v.targets.length} node(s) — ${v.help} [${shown}]`;
  });
  if (found.unnamedCharts)
    problems.push(`a11y chart-name: ${found.unnamedCharts} chart(s) — Plot charts must have an accessible name (ariaLabel)`);
  return problems;
}
