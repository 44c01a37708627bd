/**
 * The site builds with no network at all: `npm run build` (prepare-data,
 * offline-cache fill, observable build) runs in the e2e globalSetup inside
 * `unshare --net` where available, and always with a Node preload that fails
 * and logs every outbound connection, DNS query and fetch (helpers/offline.ts).
 *
 * Evidence that this test can fail (run by hand on 2026-11-26, in a clone):
 * with the npm cache removed,
 *   rm -rf src/.observablehq/cache/_npm
 *   OBSERVABLE_TELEMETRY_DISABLE=1 NODE_OPTIONS=--import=$PWD/tests/e2e/helpers/block-network.mjs \
 *     NETWORK_GUARD_LOG=/tmp/net.log PATH=$PWD/node_modules/.bin:$PATH unshare --net observable build
 * stops with "Unexpected error: fetch failed", exit code 1, and /tmp/net.log
 * holds "fetch https://registry.npmjs.org/@observablehq/plot/latest"; without
 * the preload, unshare alone gives "getaddrinfo EAI_AGAIN registry.npmjs.org".
 * The second test below repeats that on a scratch project on every run, so
 * the guard itself is tested too.
 *
 * Telemetry: Framework POSTs a usage event to https://events.observablehq.com/cli
 * when `build` or `preview` starts and when it ends, unless
 * OBSERVABLE_TELEMETRY_DISABLE is set (it has no CI or offline exception).
 * The scripts switch it off themselves (tools/observable.mjs); runOffline drops
 * the caller's OBSERVABLE_TELEMETRY_* variables, so the guarded build proves
 * it, and the telemetry test below shows that the guard sees the event when
 * Framework runs without the launcher.
 */
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, inject, it} from "vitest";
import {SITE_DIST} from "./global-setup.ts";
import {E2E_TMP_DIR, FRAMEWORK_CLI, OBSERVABLE_LAUNCHER, PROJECT_DIR, describeRun, runOffline} from "./helpers/offline.ts";

/** Framework's telemetry endpoint (telemetry.js: "events." + the observablehq.com origin, path /cli). */
const TELEMETRY = /events\.observablehq\.com/;

describe("offline build", () => {
  it("npm run build succeeds with every outbound connection blocked", () => {
    const build = inject("siteBuild");
    expect(
      build.blocked.filter((line) => TELEMETRY.test(line)),
      `Framework's telemetry was sent\n${describeRun(build)}`,
    ).toEqual([]);
    expect(build.blocked, `outbound connections were attempted\n${describeRun(build)}`).toEqual([]);
    expect(build.exitCode, describeRun(build)).toBe(0);
    expect(existsSync(join(SITE_DIST, "index.html")), `no dist/index.html\n${describeRun(build)}`).toBe(true);
  });

  it("the network guard catches a build that needs the CDN (negative control)", async () => {
    // A project whose npm cache is empty: Framework must look up versions on
    // registry.npmjs.org and download from cdn.jsdelivr.net, and must fail.
    const dir = join(E2E_TMP_DIR, "guard-check");
    rmSync(dir, {recursive: true, force: true});
    mkdirSync(join(dir, "src"), {recursive: true});
    writeFileSync(
      join(dir, "observablehq.config.js"),
      'export default {root: "src", globalStylesheets: [], duckdb: {extensions: {json: null, parquet: null}}};\n',
    );
    writeFileSync(join(dir, "src", "index.md"), "# Guard check\n\n```js\nPlot.plot({marks: [Plot.dot([1, 2, 3], {x: (d) => d})]})\n```\n");
    const run = await runOffline(["observable", "build"], {cwd: dir, label: "guard-check", timeoutMs: 120_000});
    expect(run.exitCode, describeRun(run)).not.toBe(0);
    expect(run.blocked.join("\n"), describeRun(run)).toMatch(/registry\.npmjs\.org|cdn\.jsdelivr\.net/);
    expect(existsSync(join(dir, "dist", "index.html"))).toBe(false);
  });

  it("every npm script that starts Framework goes through tools/observable.mjs", () => {
    const {scripts} = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf-8")) as {scripts: Record<string, string>};
    // `observable …` (bare, after env assignments or npx) as a command of a script.
    const bare = /(?:^|&&|\|\||[;|])\s*(?:\w+=\S*\s+)*(?:npx\s+)?observable(?:\s|$)/;
    expect(Object.entries(scripts).filter(([, command]) => bare.test(command))).toEqual([]);
    expect(scripts.build).toBe("node tools/observable.mjs build");
    expect(scripts.dev).toBe("node tools/observable.mjs preview");
  });

  it("the network guard catches Framework's telemetry when nothing switches it off (negative control)", async () => {
    // A page without code, so the build itself needs nothing from the network:
    // the client bundle comes from a copy of the site's npm cache (filled by
    // `npm run build` in globalSetup). HOME is a scratch folder because
    // telemetry keeps its ids in ~/.observablehq.
    const dir = join(E2E_TMP_DIR, "telemetry-check");
    const home = join(dir, "home");
    rmSync(dir, {recursive: true, force: true});
    mkdirSync(join(dir, "src"), {recursive: true});
    mkdirSync(home);
    writeFileSync(
      join(dir, "observablehq.config.js"),
      'export default {root: "src", globalStylesheets: [], duckdb: {extensions: {json: null, parquet: null}}};\n',
    );
    writeFileSync(join(dir, "src", "index.md"), "# Telemetry check\n\nNo code, nothing to download.\n");
    const siteNpmCache = join(PROJECT_DIR, "src", ".observablehq", "cache", "_npm");
    expect(existsSync(siteNpmCache), `${siteNpmCache} missing: did npm run build fail in globalSetup?`).toBe(true);
    cpSync(siteNpmCache, join(dir, "src", ".observablehq", "cache", "_npm"), {recursive: true});

    // Framework's CLI as installed, without the launcher: telemetry on.
    const bare = await runOffline([process.execPath, FRAMEWORK_CLI, "build"], {
      cwd: dir,
      label: "telemetry-check",
      timeoutMs: 120_000,
      env: {HOME: home},
    });
    expect(bare.exitCode, describeRun(bare)).toBe(0);
    expect(bare.blocked.join("\n"), describeRun(bare)).toMatch(/^fetch https:\/\/events\.observablehq\.com\/cli /m);
    expect(
      bare.blocked.filter((line) => !TELEMETRY.test(line)),
      describeRun(bare),
    ).toEqual([]);
    expect(existsSync(join(home, ".observablehq")), "telemetry wrote no ids").toBe(true);

    // The same build through the launcher: no attempt, and telemetry never even starts.
    rmSync(join(dir, "dist"), {recursive: true, force: true});
    rmSync(join(home, ".observablehq"), {force: true});
    const launched = await runOffline([process.execPath, OBSERVABLE_LAUNCHER, "build"], {
      cwd: dir,
      label: "telemetry-check-launcher",
      timeoutMs: 120_000,
      env: {HOME: home},
    });
    expect(launched.blocked, `outbound connections were attempted\n${describeRun(launched)}`).toEqual([]);
    expect(launched.exitCode, describeRun(launched)).toBe(0);
    expect(existsSync(join(dir, "dist", "index.html")), describeRun(launched)).toBe(true);
    expect(existsSync(join(home, ".observablehq")), "telemetry ran through the launcher").toBe(false);
  });
});
