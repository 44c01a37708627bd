/**
 * Builds one of the small Framework sites in tests/e2e/fixtures the way the
 * real site is built, offline: copy it to .tmp/e2e/<name> (so generated files
 * never land in the source tree), fill its npm cache from node_modules with
 * tools/offline-cache.ts --root, then `observable build`, both with the
 * network blocked. Throws with the logs when anything fails or reaches out.
 */
import {cpSync, existsSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {E2E_TMP_DIR, PROJECT_DIR, describeRun, runOffline} from "./offline.ts";

/** Builds fixture `name`; returns its output folder. */
export async function buildFixture(name: string): Promise<string> {
  const site = join(E2E_TMP_DIR, name);
  const dist = join(site, "dist");
  // Fresh sources and output, but keep the npm cache (src/.observablehq) so
  // a second run only checks its stamp.
  rmSync(dist, {recursive: true, force: true});
  const src = join(site, "src");
  if (existsSync(src)) for (const entry of readdirSync(src)) if (entry !== ".observablehq") rmSync(join(src, entry), {recursive: true});
  for (const entry of ["observablehq.config.js", "src"]) {
    const from = join(PROJECT_DIR, "tests", "e2e", "fixtures", name, entry);
    if (existsSync(from)) cpSync(from, join(site, entry), {recursive: true, force: true});
  }
  const fill = await runOffline(["tsx", join(PROJECT_DIR, "tools", "offline-cache.ts"), "--root", join(site, "src")], {
    label: `${name}-cache`,
    timeoutMs: 300_000,
  });
  if (fill.exitCode !== 0 || fill.blocked.length) throw new Error(`filling the npm cache of fixture ${name} failed\n${describeRun(fill)}`);
  const build = await runOffline(["observable", "build"], {cwd: site, label: `${name}-build`, timeoutMs: 600_000});
  if (build.exitCode !== 0 || build.blocked.length || !existsSync(join(dist, "index.html"))) {
    throw new Error(`fixture ${name} did not build offline\n${describeRun(build)}`);
  }
  return dist;
}
