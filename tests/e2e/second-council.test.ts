/**
 * The whole workbench on a second council's extract, with only the project
 * file changed (issue 18): a council's checkout in .tmp/e2e/essex-project
 * (helpers/council-project.ts) whose workbench.yaml names the essex dictionary
 * and data/raw/essex, holding the synthetic contacts as Essex exports them
 * (`workbench generate --profile essex`: other headings, spellings, UK dates).
 * With the network blocked, `npm run build` (ingest, training of the default
 * models, Framework build) and `npm run build:public` must pass there, every
 * built page must render in Chromium without a problem, `workbench
 * check-public` must pass, and what was built must be Essex's: its dictionary,
 * its headings and spellings, its variable names in the models' features.
 */
import {existsSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {parse} from "yaml";
import {beforeAll, describe, expect, it} from "vitest";
import config from "../../observablehq.config.ts";
import {allowSkipWithoutChromium, checkPage, chromiumInstalled} from "./helpers/browser.ts";
import {makeCouncilProject, type CouncilProject} from "./helpers/council-project.ts";
import {PROJECT_DIR, describeRun, runOffline, type OfflineRun} from "./helpers/offline.ts";
import {useSiteInBrowser, type BrowserSession} from "./helpers/session.ts";
import {listBuiltPages, listConfigPages, type ConfigPage} from "./helpers/site.ts";

const DICTIONARY = "data/dictionaries/essex.yaml";
/** Big enough for every page (months, groups, staff), small enough for CI: 36 months cover the dictionary's 2018/2019 split. */
const GENERATE = ["--profile", "essex", "--contacts", "20000", "--months", "36", "--start", "2016-04-01", "--seed", "18"];

/** What the project's runs produced, shared by every test in this file. */
interface Built {
  project: CouncilProject;
  fill: OfflineRun;
  build: OfflineRun;
  buildPublic?: OfflineRun;
  checkPublic?: OfflineRun;
}

let built: Promise<Built> | undefined;

/** Makes the project and runs its builds once; later calls get the same result. */
function buildEssex(): Promise<Built> {
  built ??= (async () => {
    const project = await makeCouncilProject({
      name: "essex-project",
      project: {dictionary: DICTIONARY, extracts: ["data/raw/essex"], target: "info_sharing", model: "logistic"},
      generate: GENERATE,
      extractFile: "data/raw/essex/contacts.csv",
    });
    // The project file in the folder decides, not one the environment points at.
    const run = (argv: string[], label: string) =>
      runOffline(argv, {cwd: project.dir, label: `essex-${label}`, timeoutMs: 10 * 60_000, env: {WORKBENCH_PROJECT: ""}});
    const fill = await run(["tsx", "tools/offline-cache.ts"], "cache");
    const build = await run(["npm", "run", "build"], "build");
    if (build.exitCode !== 0) return {project, fill, build};
    const buildPublic = await run(["npm", "run", "build:public"], "build-public");
    const checkPublic = await run(["npx", "workbench", "check-public", "dist-public"], "check-public");
    return {project, fill, build, buildPublic, checkPublic};
  })();
  return built;
}

/** The run, or an error saying which earlier step kept it from running. */
function ran(run: OfflineRun | undefined, what: string): OfflineRun {
  if (!run) throw new Error(`${what} did not run: \`npm run build\` failed first`);
  return run;
}

function expectPassed(run: OfflineRun): void {
  expect(run.blocked, `outbound connections were attempted\n${describeRun(run)}`).toEqual([]);
  expect(run.exitCode, describeRun(run)).toBe(0);
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const essex = parse(readFileSync(join(PROJECT_DIR, DICTIONARY), "utf8")) as {variables: {name: string; label: string}[]};
const mash = parse(readFileSync(join(PROJECT_DIR, "data", "dictionary.yaml"), "utf8")) as {variables: {name: string}[]};

describe("the workbench on a second council's extract (essex), only the project file changed", () => {
  beforeAll(buildEssex, 10 * 60_000);

  it("builds offline: ingest, default models, every page", async () => {
    const {fill, build} = await buildEssex();
    expectPassed(fill);
    expectPassed(build);
  });

  it("builds the public site offline, and check-public passes on it", async () => {
    const {buildPublic, checkPublic} = await buildEssex();
    expectPassed(ran(buildPublic, "npm run build:public"));
    expect(buildPublic!.outputTail).toMatch(/scan passed: \d+ files/);
    expectPassed(ran(checkPublic, "workbench check-public"));
    expect(checkPublic!.outputTail).toMatch(/check-public: passed/);
  });

  it("ingested the Essex extract alone, through the essex dictionary, every heading matched", async () => {
    const {project, build} = await buildEssex();
    expect(readFileSync(project.extract, "utf8").slice(0, 40)).toMatch(/^Contact Ref,Date Received,Child Ref/);
    const reportFile = join(project.dir, "data", "processed", "ingest-report.json");
    expect(existsSync(reportFile), describeRun(build)).toBe(true);
    const report = readJson(reportFile);
    expect(report.refusal ?? null).toBeNull();
    expect(report.dictionary.path).toBe(join(project.dir, DICTIONARY));
    expect(report.files.map((f: {file: string}) => f.file)).toEqual(["contacts.csv"]);
    expect(report.files[0].ignoredColumns).toEqual([]);
    expect(report.accepted).toBeGreaterThan(19_000);
    expect(report.accepted + report.rejected + report.duplicates.total).toBe(report.read);
    // Essex's spellings were mapped to the shared codes.
    expect(report.mappedCodes).toContainEqual(
      expect.objectContaining({variable: "source_of_contact", spelling: "Essex Police", code: "police"}),
    );
    // The project lists its extract, so no synthetic sample is made beside it.
    expect(existsSync(join(project.dir, "data", "sample", "contacts.csv"))).toBe(false);
  });

  it("trained the default models on Essex's variables", async () => {
    const {project, build} = await buildEssex();
    const modelsDir = join(project.dir, "models");
    const ids = existsSync(modelsDir) ? readdirSync(modelsDir).filter((id) => existsSync(join(modelsDir, id, "features.json"))) : [];
    expect(ids.length, describeRun(build)).toBeGreaterThanOrEqual(1);
    const essexNames = essex.variables.map((v) => v.name);
    const mashNames = new Set(mash.variables.map((v) => v.name).filter((n) => !essexNames.includes(n)));
    for (const id of ids) {
      const features = readJson(join(modelsDir, id, "features.json"));
      expect(features.variables, id).toContain("source_of_contact");
      expect(features.variables, id).toContain("presenting_issues");
      expect(
        features.variables.filter((n: string) => mashNames.has(n)),
        id,
      ).toEqual([]);
      expect(readJson(join(modelsDir, id, "card.json")).target, id).toBe("info_sharing");
    }
  });
});

const configured = listConfigPages((config as {pages?: readonly ConfigPage[]}).pages);
const skipBrowser = !chromiumInstalled() && allowSkipWithoutChromium();

/** A page's visible text (for checking which council's words it shows). */
async function pageText({browser, server}: BrowserSession, path: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}${path}`, {waitUntil: "networkidle"});
    return await page.locator("main").innerText();
  } finally {
    await context.close();
  }
}

describe.skipIf(skipBrowser)("the essex site in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    const {project, build} = await buildEssex();
    if (build.exitCode !== 0) throw new Error(`the essex site did not build, so there is nothing to open\n${describeRun(build)}`);
    return join(project.dir, "dist");
  });

  it("built every page the config lists", () => {
    const built = listBuiltPages(session().dist);
    expect(configured.filter((path) => !built.includes(path))).toEqual([]);
  });

  it.each(configured)("%s renders without errors", async (path) => {
    const {browser, server} = session();
    const report = await checkPage(browser, `${server.origin}${path}`);
    expect(report.problems, `problems on ${path}`).toEqual([]);
  });

  it("pages built beside the configured ones render without errors", async () => {
    const {browser, server, dist} = session();
    for (const path of listBuiltPages(dist).filter((p) => !configured.includes(p))) {
      const report = await checkPage(browser, `${server.origin}${path}`);
      expect(report.problems, `problems on ${path}`).toEqual([]);
    }
  });

  it("shows Essex's headings and spellings", async () => {
    const overview = await pageText(session(), "/");
    expect(overview).toContain("Contacts per month, by source of contact");
    expect(overview).toContain("essex/contacts.csv");
    const variables = await pageText(session(), "/variables");
    for (const label of ["Contact Ref", "Date Received", "Source of Contact"]) expect(variables).toContain(label);
    const quality = await pageText(session(), "/quality");
    expect(quality).toContain("Essex Police");
  });

  it("finds Essex's workers and teams on the Consistency page and its contacts on the Cross-check page", async () => {
    const {browser, server} = session();
    const consistency = await checkPage(browser, `${server.origin}/consistency`);
    expect(Object.keys(consistency.checks)).not.toContain("consistency-unavailable");
    expect(consistency.checks["screener-summary"]).toMatch(/workers/);
    expect(consistency.checks["team-summary"]).toMatch(/allocated teams/);
    const crosscheck = await checkPage(browser, `${server.origin}/crosscheck`);
    expect(crosscheck.checks["review-queue"]).toMatch(/Contact Ref/);
  });
});

describe.skipIf(skipBrowser)("the essex public site in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    const {project, buildPublic} = await buildEssex();
    const run = ran(buildPublic, "npm run build:public");
    if (run.exitCode !== 0) throw new Error(`the essex public site did not build\n${describeRun(run)}`);
    return join(project.dir, "dist-public");
  });

  it("every public page renders without errors", async () => {
    const {browser, server, dist} = session();
    const pages = listBuiltPages(dist);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const path of pages) {
      const report = await checkPage(browser, `${server.origin}${path}`);
      expect(report.problems, `problems on ${path}`).toEqual([]);
    }
  });

  it("the data sheet describes Essex's export", async () => {
    const text = await pageText(session(), "/data-sheet");
    expect(text).toContain("Essex-style export");
    expect(text).toContain("Source of Contact");
  });
});
