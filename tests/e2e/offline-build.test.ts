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
 */
import {existsSync, mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, inject, it} from "vitest";
import {SITE_DIST} from "./global-setup.ts";
import {E2E_TMP_DIR, describeRun, runOffline} from "./helpers/offline.ts";

describe("offline build", () => {
  it("npm run build succeeds with every outbound connection blocked", () => {
    const build = inject("siteBuild");
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
});
