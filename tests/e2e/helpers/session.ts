/**
 * Test-suite plumbing shared by the browser test files: before the suite,
 * prepare a built site (build or locate its output folder), serve it on
 * 127.0.0.1 and launch Chromium; after it, close both. A failure while
 * preparing (no Chromium, a build that failed) is kept and thrown by every
 * test, so each test is reported as failed with the reason, rather than
 * skipped behind a failed hook.
 */
import type {Browser} from "playwright-core";
import {afterAll, beforeAll} from "vitest";
import {launchChromium} from "./browser.ts";
import {serveDirectory, type StaticServer} from "./static-server.ts";

/** A served site and a browser to open it with. */
export interface BrowserSession {
  browser: Browser;
  server: StaticServer;
  /** The output folder being served. */
  dist: string;
}

/**
 * Registers beforeAll/afterAll hooks for the current suite; returns a getter
 * that tests call to get the session (or the setup error, thrown).
 *
 * @example const session = useSiteInBrowser(() => buildFixture("libraries")); it("…", async () => { const {browser, server} = session(); … });
 */
export function useSiteInBrowser(prepare: () => Promise<string>): () => BrowserSession {
  let session: BrowserSession | undefined;
  let failure: unknown;
  beforeAll(async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium(); // first: without a browser, building is wasted time
      const dist = await prepare();
      session = {browser, server: await serveDirectory(dist), dist};
    } catch (error) {
      await browser?.close();
      failure = error;
    }
  });
  afterAll(async () => {
    await session?.browser.close();
    await session?.server.close();
  });
  return () => {
    if (session) return session;
    throw failure instanceof Error ? failure : new Error(`browser session not started: ${String(failure)}`);
  };
}
