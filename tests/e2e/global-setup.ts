/**
 * Vitest globalSetup of the e2e project: builds the site ONCE, the way a user
 * does (`npm run build`, so prepare-data and the offline-cache fill run too),
 * with the network blocked (see helpers/offline.ts). The result goes to the
 * tests through vitest's provide/inject: offline-build.test.ts asserts that it
 * succeeded without an outbound attempt, pages.test.ts opens what it built.
 * It never throws, so a failing build shows up as failing tests, not as a
 * crashed run.
 */
import {rmSync} from "node:fs";
import {join} from "node:path";
import type {TestProject} from "vitest/node";
import {PROJECT_DIR, runOffline, type OfflineRun} from "./helpers/offline.ts";

/** The site's output folder (Framework's default). */
export const SITE_DIST = join(PROJECT_DIR, "dist");

declare module "vitest" {
  export interface ProvidedContext {
    /** The offline `npm run build` of the site, run once by the e2e globalSetup. */
    siteBuild: OfflineRun;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  rmSync(SITE_DIST, {recursive: true, force: true}); // never test a stale build
  const run = await runOffline(["npm", "run", "build"], {label: "site-build", timeoutMs: 15 * 60_000});
  process.stderr.write(`e2e: npm run build exited ${run.exitCode} in ${(run.durationMs / 1000).toFixed(1)} s [${run.isolation}]\n`);
  project.provide("siteBuild", run);
}
