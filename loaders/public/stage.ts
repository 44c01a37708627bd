/**
 * The staging root of the public build. Framework builds every page under its
 * root, so `npm run build:public` assembles a second root holding only:
 * - the public pages: Markdown pages of src/ whose front matter says
 *   `audience: public`, and the page loaders `src/<name>.md.ts` that call
 *   `renderPublicPage("<name>")` (loaders/public/pages/render.ts), rendered
 *   here into static Markdown, so their numbers and tables are in the HTML;
 * - the modules they import (src/components, src/lib), followed transitively,
 *   and the stylesheets they link;
 * - the output of each data loader they read with FileAttachment, which must be
 *   src/data/public-* (a public page reading an internal loader stops the build):
 *   each loader runs once here, and its output is both what the charts load and
 *   what the rendered pages were written from;
 * - an index.md copied from the first page of the config's "Public results" section;
 * and a generated Framework config whose pages are that section, with links
 * that end in .html (`preserveExtension`), so any static host serves them.
 * Relative imports that leave src/ are rewritten for the new location.
 */
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join, posix, relative, resolve, sep} from "node:path";
import {PUBLIC_PAGES, renderedPageName, renderFrom, runPublicLoader} from "./pages/render.ts";
import {warehouseIsSynthetic} from "./provenance.ts";

/** Where the staging site lives (gitignored scratch). */
export const STAGING_DIR = ".tmp/public-site";
/** The public build's output folder. */
export const PUBLIC_OUTPUT = "dist-public";
/** The name of the config section listing the public pages. */
export const PUBLIC_SECTION = "Public results";

/** A page's audience from its front matter (`audience: public` or `internal`), undefined when not declared. */
export function audienceOf(markdown: string): string | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown);
  return front ? /^audience:\s*["']?([\w-]+)["']?\s*$/m.exec(front[1])?.[1] : undefined;
}

/** Every Markdown page and page loader (`*.md.ts`) under the root, relative paths, sorted. */
function pageFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), {withFileTypes: true})) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (/\.md(\.ts)?$/.test(entry.name)) out.push(path);
    }
  };
  visit("");
  return out.sort();
}

/**
 * The rendered public pages: page loaders (`about.md.ts`) calling
 * `renderPublicPage("about")`, by the page they make ("about.md") with the
 * page's name. A page loader naming another page than its own file stops the build.
 */
export function renderedPages(root: string): Map<string, {loader: string; name: string}> {
  const out = new Map<string, {loader: string; name: string}>();
  for (const loader of pageFiles(root).filter((f) => f.endsWith(".md.ts"))) {
    const name = renderedPageName(readFileSync(join(root, loader), "utf8"));
    if (!name) continue;
    const page = loader.slice(0, -".ts".length);
    if (posix.basename(page, ".md") !== name) throw new Error(`public build: ${loader} renders the page ${name}; name it ${name}.md.ts`);
    out.set(page, {loader, name});
  }
  return out;
}

/**
 * Public pages as the staged site has them (paths relative to the root, e.g.
 * "about.md"): Markdown pages whose front matter says `audience: public`, and
 * the pages the rendered page loaders make.
 */
export function publicPages(root: string): string[] {
  const markdown = pageFiles(root).filter((f) => f.endsWith(".md") && audienceOf(readFileSync(join(root, f), "utf8")) === "public");
  return [...new Set([...markdown, ...renderedPages(root).keys()])].sort();
}

/** Relative module specifiers imported by a page or module (static and dynamic imports). */
export function relativeImports(source: string): string[] {
  const specs = new Set<string>();
  for (const m of source.matchAll(
    /\b(?:import|export)\b[^"'`;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']|\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)|\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
  )) {
    specs.add(m[1] ?? m[2] ?? m[3]);
  }
  return [...specs];
}

/** Names passed to FileAttachment in a page or module. */
export function fileAttachments(source: string): string[] {
  return [...new Set([...source.matchAll(/FileAttachment\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]))];
}

/** Local stylesheets a page links (`<link rel="stylesheet" href="./public.css">`). */
export function linkedStylesheets(source: string): string[] {
  return [
    ...new Set(
      [...source.matchAll(/<link\b[^>]*\bhref=["']((?:\.{1,2}\/|\/)?[\w./-]+\.css)["'][^>]*>/g)]
        .map((m) => m[1])
        .filter((href) => !/^\w+:/.test(href)),
    ),
  ];
}

/** The source file behind an import of a local module: "./x.js" may be x.js or x.ts. */
function moduleFile(root: string, from: string, spec: string): string | undefined {
  const target = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const candidate of [target, target.replace(/\.js$/, ".ts")]) if (existsSync(join(root, candidate))) return candidate;
  return undefined;
}

/** The file (static or loader) behind a FileAttachment name, relative to the root. */
function attachmentFile(root: string, from: string, name: string): string | undefined {
  const target = posix.normalize(posix.join(posix.dirname(from), name));
  if (existsSync(join(root, target))) return target;
  const dir = posix.dirname(target);
  const base = posix.basename(target);
  if (!existsSync(join(root, dir))) return undefined;
  return readdirSync(join(root, dir))
    .filter((f) => f.startsWith(`${base}.`))
    .map((f) => posix.join(dir, f))[0];
}

/**
 * The files the public site needs, relative to `root`: the public pages and
 * everything they import, link or attach, transitively. `sources` gives the
 * text of pages not on disk (the rendered pages); the others are read. Throws
 * when a public page reads a data file that is not a public loader (src/data/public-*).
 */
export function publicFiles(root: string, sources: ReadonlyMap<string, string> = new Map()): string[] {
  const pages = publicPages(root);
  const files = new Set<string>(pages);
  const queue = [...pages];
  const rendered = renderedPages(root);
  while (queue.length) {
    const file = queue.shift()!;
    if (rendered.has(file) && !sources.has(file)) throw new Error(`public build: ${file} is a rendered page; pass its Markdown`);
    const source = sources.get(file) ?? readFileSync(join(root, file), "utf8");
    for (const href of file.endsWith(".md") ? linkedStylesheets(source) : []) {
      const target = posix.normalize(href.startsWith("/") ? href.slice(1) : posix.join(posix.dirname(file), href));
      if (!existsSync(join(root, target))) throw new Error(`public build: ${file} links ${href}, which is not under ${root}/`);
      files.add(target);
    }
    const isDataLoader = file.startsWith("data/");
    for (const spec of isDataLoader ? [] : relativeImports(source)) {
      const target = moduleFile(root, file, spec);
      if (!target) throw new Error(`public build: ${file} imports ${spec}, which is not under ${root}/`);
      if (!files.has(target)) (files.add(target), queue.push(target));
    }
    for (const name of fileAttachments(source)) {
      const target = attachmentFile(root, file, name);
      if (!target) throw new Error(`public build: ${file} attaches ${name}, and there is no such file or loader`);
      if (!/^data\/public-[^/]+$/.test(target)) {
        throw new Error(`public build: ${file} reads ${target}; public pages may read only public aggregates (src/data/public-*)`);
      }
      if (!files.has(target)) (files.add(target), queue.push(target));
    }
  }
  return [...files].sort();
}

/** Rewrites relative imports of a staged file that point outside the source root, so they still reach the same file. */
export function rewriteOutsideImports(source: string, fromFile: string, root: string, stagedRoot: string): string {
  const absRoot = resolve(root);
  return source.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+)\2/g,
    (whole, lead: string, quote: string, spec: string) => {
      const target = resolve(dirname(join(absRoot, fromFile)), spec);
      if (target === absRoot || target.startsWith(absRoot + sep)) return whole;
      let path = relative(dirname(resolve(stagedRoot, fromFile)), target)
        .split(sep)
        .join("/");
      if (!path.startsWith(".")) path = `./${path}`;
      return `${lead}${quote}${path}${quote}`;
    },
  );
}

/** A page entry of the Framework config. */
export interface ConfigPage {
  name: string;
  path?: string;
  pages?: ConfigPage[];
}

/** The "Public results" section of a config's pages, checked against the staged pages. */
export function publicSection(pages: readonly ConfigPage[]): ConfigPage[] {
  const section = pages.find((p) => p.name === PUBLIC_SECTION && p.pages);
  if (!section?.pages?.length) throw new Error(`public build: observablehq.config.ts has no "${PUBLIC_SECTION}" section of pages`);
  return section.pages;
}

/** The public data files the staged pages attach ("data/public-results.json"), each with the loader behind it. */
function attachedData(files: readonly string[]): {file: string; loader: string}[] {
  return files
    .filter((f) => /^data\/public-[^/]+\.ts$/.test(f))
    .map((loader) => ({file: loader.slice(0, -".ts".length), loader}))
    .filter(({file}) => /\.json$/.test(file));
}

/** Local files (href or src) the config's `head` refers to, e.g. a favicon, relative to the root. */
export function headAssets(head: string): string[] {
  return [...head.matchAll(/<(?:link|script|img)\b[^>]*?\s(?:href|src)=["']([^"']+)["']/g)]
    .map((m) => m[1])
    .filter((url) => !/^(\w+:|#|\/\/)/.test(url))
    .map((url) => posix.normalize(url.replace(/^\//, "")));
}

/**
 * The site footer for the public build: the config's, without any sentence
 * about synthetic data. Whether the data are synthetic is said at the top of
 * every public page exactly when they are (loaders/public/provenance.ts), so a
 * standing "synthetic unless stated" would mislead on a council's real extract.
 *
 * @example publicFooter("MASH Workbench — supports judgement. Synthetic data unless stated.") // "MASH Workbench — supports judgement."
 */
export function publicFooter(footer: string): string {
  return (footer.match(/[^.!?]+[.!?]*/g) ?? [])
    .filter((sentence) => !/synthetic/i.test(sentence))
    .join("")
    .trim();
}

/**
 * Assembles the staging root from `root` (default src) and writes the
 * generated config; returns the config path and the staged files. Each public
 * data loader runs once and its output is staged as a static file; the
 * rendered pages are written from those outputs. The staging root's
 * .observablehq folder (npm cache) is kept between builds; everything else is
 * replaced.
 */
export async function stagePublicSite(
  config: {title?: string; footer?: string; head?: string; pages: readonly ConfigPage[]},
  {root = "src", staging = STAGING_DIR, output = PUBLIC_OUTPUT} = {},
) {
  const stagedRoot = join(staging, "src");
  const section = publicSection(config.pages);
  const rendered = renderedPages(root);
  const context = {synthetic: await warehouseIsSynthetic()};
  // Run each data loader the rendered pages read, once; render the pages from those outputs.
  const outputs = new Map<string, string>();
  const sources = new Map<string, string>();
  for (const [page, {name}] of rendered) {
    const file = PUBLIC_PAGES[name]?.file;
    if (!file) throw new Error(`public build: ${rendered.get(page)!.loader} renders ${name}, which is not a public page`);
    if (!outputs.has(file)) outputs.set(file, runPublicLoader(file, root));
    sources.set(page, renderFrom(name, outputs.get(file)!, context));
  }
  const files = publicFiles(root, sources);
  // Loaders read by Markdown pages run once too, so nothing is computed during the build.
  for (const {file} of attachedData(files)) {
    const name = posix.basename(file);
    if (!outputs.has(name)) outputs.set(name, runPublicLoader(name, root));
  }
  const staged = new Set(files.filter((f) => f.endsWith(".md")).map((f) => `/${f.slice(0, -3)}`));
  const missing = section.filter((p) => p.path && !staged.has(p.path));
  if (missing.length)
    throw new Error(
      `public build: the "${PUBLIC_SECTION}" section lists ${missing.map((p) => p.path).join(", ")}, which are not pages with audience: public`,
    );
  mkdirSync(stagedRoot, {recursive: true});
  for (const entry of readdirSync(stagedRoot))
    if (entry !== ".observablehq") rmSync(join(stagedRoot, entry), {recursive: true, force: true});
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(stagedRoot, file)), {recursive: true});
    writeFileSync(join(stagedRoot, file), text);
  };
  const stagedFiles: string[] = [];
  const head = config.head ?? "";
  for (const asset of headAssets(head))
    if (!existsSync(join(root, asset))) throw new Error(`public build: the config's head refers to ${asset}, which is not under ${root}/`);
  for (const file of [...files, ...headAssets(head)]) {
    const data = attachedData([file])[0];
    if (data) {
      write(data.file, outputs.get(posix.basename(data.file))!);
      stagedFiles.push(data.file);
    } else if (sources.has(file)) {
      write(file, sources.get(file)!);
      stagedFiles.push(file);
    } else if (/\.(md|js|ts)$/.test(file)) {
      write(file, rewriteOutsideImports(readFileSync(join(root, file), "utf8"), file, root, stagedRoot));
      stagedFiles.push(file);
    } else {
      mkdirSync(dirname(join(stagedRoot, file)), {recursive: true});
      cpSync(join(root, file), join(stagedRoot, file));
      stagedFiles.push(file);
    }
  }
  // Every output the pages were rendered from stays beside them (Framework ships only those a page attaches).
  for (const [file, text] of outputs) {
    if (stagedFiles.includes(`data/${file}`)) continue;
    write(`data/${file}`, text);
    stagedFiles.push(`data/${file}`);
  }
  const home = section[0].path!.slice(1);
  cpSync(join(stagedRoot, `${home}.md`), join(stagedRoot, "index.md"));
  const configPath = join(staging, "observablehq.config.js");
  const generated = {
    root: stagedRoot.split(sep).join("/"),
    output,
    title: `${config.title ?? "MASH Workbench"}: public results`,
    pages: section,
    // Links end in .html, so a plain static file server (no rewrites) serves every page.
    preserveExtension: true,
    globalStylesheets: [],
    duckdb: {extensions: {json: null, parquet: null}},
    search: false,
    // A page that declares no icon makes the browser ask for /favicon.ico, a 404 on a plain host.
    head: /<link\b[^>]*\brel=["'][^"']*\bicon\b/i.test(head) ? head : `${head}<link rel="icon" href="data:,">`,
    footer: publicFooter(config.footer ?? ""),
    toc: true,
    pager: false,
  };
  writeFileSync(
    configPath,
    `// Generated by loaders/public/stage.ts for npm run build:public: do not edit.\nexport default ${JSON.stringify(generated, null, 2)};\n`,
  );
  return {configPath, stagedRoot, files: [...new Set(stagedFiles)].sort(), synthetic: context.synthetic};
}
