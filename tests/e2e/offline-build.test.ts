/**
 * The site builds with no network at all: `npm run build` (prepare-data,
 * offline-cache fill, observable build) runs in the e2e globalSetup inside
 * `unshare --net` where available, and always with a Node preload that fails
 * and logs every outbound connection, DNS query and fetch (helpers/offline.ts).
 *
 * Evidence that this test can fail: with the npm cache removed
 *   rm -rf src/.observablehq/cache/_npm
 *   OBSERVABLE_TELEMETRY_DISABLE=1 NODE_OPTIONS=--import=./tests/e2e/helpers/block-network.mjs \
 *     NETWORK_GUARD_LOG=/tmp/net.log unshare --net npx observable build
 * the build stops with "fetch failed … network-guard: outbound fetch to
 * https://registry.npmjs.org/react-dom blocked" and exit code 1, and the log
 * lists the registry look-ups (without the preload, unshare alone gives
 * "getaddrinfo EAI_AGAIN registry.npmjs.org"). The second test below repeats
 * that on a scratch project on every run, so the guard itself is tested too.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { SITE_DIST } from "./global-setup.ts";
import { E2E_TMP_DIR, describeRun, runOffline } from "./helpers/offline.ts";

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
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(
      join(dir, "observablehq.config.js"),
      'export default {root: "src", globalStylesheets: [], duckdb: {extensions: {json: null, parquet: null}}};\n'
    );
    writeFileSync(join(dir, "src", "index.md"), "# Guard check\n\n```js\nPlot.plot({marks: [Plot.dot([1, 2, 3], {x: (d) => d})]})\n```\n");
    const run = await runOffline(["observable", "build"], { cwd: dir, label: "guard-check", timeoutMs: 120_000 });
    expect(run.exitCode, describeRun(run)).not.toBe(0);
    expect(run.blocked.join("\n"), describeRun(run)).toMatch(/registry\.npmjs\.org|cdn\.jsdelivr\.net/);
    expect(existsSync(join(dir, "dist", "index.html"))).toBe(false);
  });
});
