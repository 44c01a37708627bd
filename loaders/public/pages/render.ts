/**
 * The public pages rendered at build time. Each public page is a page loader
 * (`src/<name>.md.ts`, one line: `renderPublicPage("<name>")`) whose Markdown
 * comes from a function of one public data file (the output of
 * `src/data/<file>.ts`, which passed disclosure control). The public build
 * (stage.ts) runs each data loader once, writes its output beside the pages and
 * renders the pages from that same output, so the numbers in the HTML and the
 * numbers the charts draw are one and the same.
 */
import {spawnSync} from "node:child_process";
import {join, resolve} from "node:path";
import {warehouseIsSynthetic} from "../provenance.ts";
import {aboutPage} from "./about.ts";
import {dataSheetPage, DATA_SHEET_FILE} from "./data-sheet.ts";
import {modelCardPage, MODEL_CARD_FILE} from "./model-card.ts";
import type {PageContext} from "./page.ts";
import {resultsPage, RESULTS_FILE} from "./results.ts";
import {transparencyPage} from "./transparency.ts";

/** A public page: the data file it is rendered from (under data/) and the renderer. */
export interface PublicPage {
  file: string;
  /** Each renderer takes its own file's shape; the registry only pairs them (parsed JSON is passed as is). */
  render: (data: never, context: PageContext) => string;
}

/** Every rendered public page, by name (the page loader `src/<name>.md.ts`). */
export const PUBLIC_PAGES: Readonly<Record<string, PublicPage>> = {
  about: {file: MODEL_CARD_FILE, render: aboutPage},
  results: {file: RESULTS_FILE, render: resultsPage},
  "model-card": {file: MODEL_CARD_FILE, render: modelCardPage},
  "data-sheet": {file: DATA_SHEET_FILE, render: dataSheetPage},
  transparency: {file: MODEL_CARD_FILE, render: transparencyPage},
};

/** The page a page loader renders: the name in its `renderPublicPage("…")` call, or undefined for any other file. */
export function renderedPageName(source: string): string | undefined {
  return /\brenderPublicPage\(\s*["']([\w-]+)["']\s*\)/.exec(source)?.[1];
}

/**
 * Runs a public data loader (`<root>/data/<file>.ts`) as Framework does, from
 * the project root, and returns what it wrote; its log goes to stderr. Throws
 * naming the loader when it fails.
 */
export function runPublicLoader(file: string, root = "src"): string {
  const loader = join(root, "data", `${file}.ts`);
  const run = spawnSync(resolve("node_modules", ".bin", "tsx"), [loader], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`public build: the data loader ${loader} failed (exit ${run.status ?? run.signal})`);
  return run.stdout;
}

/**
 * A public page's Markdown from its data file's text.
 *
 * @example renderFrom("results", readFileSync("…/public-results.json", "utf8"), {synthetic: true})
 */
export function renderFrom(name: string, json: string, context: PageContext): string {
  const page = PUBLIC_PAGES[name];
  if (!page) throw new Error(`public build: no public page called ${name} (pages: ${Object.keys(PUBLIC_PAGES).join(", ")})`);
  return page.render(JSON.parse(json) as never, context);
}

/**
 * For a page loader: the page's Markdown, its data computed afresh by the
 * page's data loader and the provenance read from the warehouse.
 *
 * @example process.stdout.write(await renderPublicPage("results"));
 */
export async function renderPublicPage(name: string): Promise<string> {
  const page = PUBLIC_PAGES[name];
  if (!page) throw new Error(`public build: no public page called ${name} (pages: ${Object.keys(PUBLIC_PAGES).join(", ")})`);
  return renderFrom(name, runPublicLoader(page.file), {synthetic: await warehouseIsSynthetic()});
}
