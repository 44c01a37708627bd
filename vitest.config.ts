// Vitest configuration. Two projects:
// - "unit": every tests/**/*.test.ts outside tests/e2e, run in parallel;
// - "e2e": tests/e2e, which builds the site once (globalSetup, network
//   blocked) and drives real Chromium; its files run one after another
//   (each builds or serves a site and starts a browser) with long timeouts.
// The timezone is pinned to UTC so dates format the same on every machine,
// and a JSON report is written to .tmp/vitest-report.json for .ci/run.
import {defineConfig} from "vitest/config";

process.env.TZ = "UTC";

export default defineConfig({
  // Components import Plot as Framework serves it ("npm:…"); in Node the same package.
  resolve: {alias: {"npm:@observablehq/plot": "@observablehq/plot", "npm:htl": "htl"}},
  test: {
    env: {TZ: "UTC"},
    reporters: ["default", "json"],
    outputFile: {json: ".tmp/vitest-report.json"},
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/e2e/**", "**/node_modules/**"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
