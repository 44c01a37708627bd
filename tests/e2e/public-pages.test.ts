/**
 * The public results site, end to end: `npm run build:public` with the network
 * blocked builds only the pages with `audience: public` into dist-public/ and
 * passes its own scan; `workbench check-public` passes on it and fails on a
 * copy with a planted warehouse id or a planted count of 3; every public page
 * renders in Chromium without errors or serious or critical accessibility
 * violations (axe-core, helpers/browser.ts), under 2 MB transferred, the whole
 * output under 10 MB; the figures shown are the registry's.
 */
import {cpSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {listFiles, warehouseIds} from "../../loaders/public/scan.ts";
import {publicModelDir} from "../../loaders/public/settings.ts";
import {siteSizes} from "../../loaders/public/size.ts";
import {PUBLIC_OUTPUT, publicPages} from "../../loaders/public/stage.ts";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {E2E_TMP_DIR, PROJECT_DIR, describeRun, runOffline, type OfflineRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";
import {listBuiltPages} from "./helpers/site.ts";

const DIST = join(PROJECT_DIR, PUBLIC_OUTPUT);
let build: OfflineRun | undefined;

/** Runs the public build once (shared by every test in this file). */
async function publicBuild(): Promise<OfflineRun> {
  if (!build) {
    rmSync(DIST, {recursive: true, force: true}); // never test a stale build
    build = await runOffline(["npm", "run", "build:public"], {label: "public-build", timeoutMs: 15 * 60_000});
  }
  return build;
}

const checkPublic = (dir: string) =>
  runOffline(["tsx", join(PROJECT_DIR, "loaders", "cli.ts"), "check-public", dir], {label: "check-public", timeoutMs: 120_000});

describe("public build", () => {
  beforeAll(publicBuild, 15 * 60_000);

  it("builds offline into dist-public/ and passes its own scan", async () => {
    const run = await publicBuild();
    expect(run.blocked, `outbound connections were attempted\n${describeRun(run)}`).toEqual([]);
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.outputTail).toMatch(/scan passed: \d+ files, none holds any of [\d,]+ warehouse ids/);
  });

  it("holds only the public pages, no data but public aggregates, and is light", () => {
    const expected = ["/", ...publicPages(join(PROJECT_DIR, "src")).map((p) => `/${p.replace(/\.md$/, "")}`)].sort();
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(listBuiltPages(DIST)).toEqual(expected);
    const data = listFiles(DIST).filter((f) => f.startsWith("_file/"));
    expect(data.length).toBeGreaterThan(0);
    // data files are public aggregates only; the rest are stylesheets and images (the public pages' and the config's head)
    const dataFiles = data.filter((f) => /\.(json|csv|tsv|parquet|arrow|txt|zip)$/i.test(f));
    expect(dataFiles.length).toBeGreaterThan(0);
    expect(dataFiles.filter((f) => !/^_file\/data\/public-[\w-]+\.[0-9a-f]+\.json$/.test(f))).toEqual([]);
    expect(data.filter((f) => !dataFiles.includes(f) && !/\.(css|svg|png|ico)$/i.test(f))).toEqual([]);
    const sizes = siteSizes(DIST);
    expect(sizes.totalBytes).toBeLessThan(10 * 1024 * 1024);
    for (const p of sizes.pages) expect(p.bytes, p.path).toBeLessThan(2 * 1024 * 1024);
  });

  it("check-public passes on the build and fails on a planted id and on a planted count of 3", async () => {
    const clean = await checkPublic(DIST);
    expect(clean.exitCode, describeRun(clean)).toBe(0);

    const plantedId = join(E2E_TMP_DIR, "public-planted-id");
    rmSync(plantedId, {recursive: true, force: true});
    cpSync(DIST, plantedId, {recursive: true});
    const [id] = await warehouseIds(); // never printed: the findings name the rule, not the value
    const about = join(plantedId, "about.html");
    writeFileSync(about, readFileSync(about, "utf8").replace("</body>", `<!-- ${id} --></body>`));
    const withId = await checkPublic(plantedId);
    expect(withId.exitCode).toBe(1);
    expect(withId.outputTail).toMatch(/identifier: about\.html: 1 distinct id/);
    expect(withId.outputTail.includes(id)).toBe(false);

    const plantedCount = join(E2E_TMP_DIR, "public-planted-count");
    rmSync(plantedCount, {recursive: true, force: true});
    cpSync(DIST, plantedCount, {recursive: true});
    const file = listFiles(plantedCount).find((f) => f.startsWith("_file/data/public-results"))!;
    const results = JSON.parse(readFileSync(join(plantedCount, file), "utf8"));
    results.fairness[0].table.cells[0][0] = 3;
    writeFileSync(join(plantedCount, file), JSON.stringify(results));
    const withCount = await checkPublic(plantedCount);
    expect(withCount.exitCode).toBe(1);
    expect(withCount.outputTail).toMatch(/small-count: _file\/data\/public-results.*fairness\[0\]\.table\.cells\[0\]\[0\]/);
  });
});

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("public pages in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    const run = await publicBuild();
    if (run.exitCode !== 0) throw new Error(`the public site did not build\n${describeRun(run)}`);
    return DIST;
  });
  const pages = () => listBuiltPages(DIST);

  it("every public page renders without errors or accessibility violations and transfers under 2 MB", async () => {
    const {browser, server} = session();
    expect(pages().length).toBeGreaterThanOrEqual(5);
    for (const path of pages()) {
      const report = await checkPage(browser, `${server.origin}${path}`, {accessibility: true});
      expect(report.problems, `problems on ${path}`).toEqual([]);
      const context = await browser.newContext();
      const page = await context.newPage();
      const finished: Promise<number>[] = [];
      page.on("requestfinished", (request) => finished.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
      await page.goto(`${server.origin}${path}`, {waitUntil: "networkidle"});
      const bytes = (await Promise.all(finished)).reduce((a, b) => a + b, 0);
      await context.close();
      expect(bytes, `${path} transferred`).toBeGreaterThan(10_000);
      expect(bytes, `${path} transferred`).toBeLessThan(2 * 1024 * 1024);
    }
  });

  it("the results page and the model card show the registry's figures in charts built from suppressed tables", async () => {
    const {browser, server} = session();
    const metrics = JSON.parse(readFileSync(join(publicModelDir(join(PROJECT_DIR, "models")), "metrics.json"), "utf8"));
    const results = await checkPage(browser, `${server.origin}/results`);
    expect(results.problems).toEqual([]);
    expect(results.checks.auc).toBe(metrics.test.auc.value.toFixed(3));
    expect(results.charts).toBeGreaterThanOrEqual(3);
    const card = await checkPage(browser, `${server.origin}/model-card`);
    expect(card.problems).toEqual([]);
    expect(card.checks.definition).toBe(metrics.definition);
    expect(card.charts).toBeGreaterThanOrEqual(1);
  });

  it("the overview says the model supports, never overrides, judgement, and links the other public pages", async () => {
    const {browser, server} = session();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`, {waitUntil: "networkidle"});
    const text = await page.locator("main").innerText();
    const links = await page.locator("main a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    await context.close();
    expect(text).toMatch(/supports, never overrides/);
    expect(text).toMatch(/does not make decisions/i);
    // links end in .html, so a static host without rewrites serves them (tests/e2e/public-static.test.ts crawls them there)
    expect(links).toEqual(expect.arrayContaining(["/model-card.html", "/results.html", "/data-sheet.html", "/transparency.html"]));
  });
});
