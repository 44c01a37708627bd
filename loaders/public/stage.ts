/**
 * The staging root of the public build. Framework builds every page under its
 * root, so `npm run build:public` assembles a second root holding only:
 * - the pages of src/ whose front matter says `audience: public`;
 * - the modules they import (src/components, src/lib), followed transitively;
 * - the data loaders they read with FileAttachment, which must be
 *   src/data/public-* (a public page reading an internal loader stops the build);
 * - an index.md copied from the first page of the config's "Public results" section;
 * and a generated Framework config whose pages are that section.
 * Relative imports that leave src/ (data loaders calling loaders/) are
 * rewritten for the new location; nothing else is changed.
 */
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join, posix, relative, resolve, sep} from "node:path";

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

/** Pages (paths relative to the root, e.g. "about.md") whose front matter says `audience: public`. */
export function publicPages(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), {withFileTypes: true})) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".md") && audienceOf(readFileSync(join(root, path), "utf8")) === "public") out.push(path);
    }
  };
  visit("");
  return out.sort();
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
 * everything they import or attach, transitively. Throws when a public page
 * reads a data file that is not a public loader (src/data/public-*).
 */
export function publicFiles(root: string): string[] {
  const pages = publicPages(root);
  const files = new Set<string>(pages);
  const queue = [...pages];
  while (queue.length) {
    const file = queue.shift()!;
    const source = readFileSync(join(root, file), "utf8");
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

/**
 * Assembles the staging root from `root` (default src) and writes the
 * generated config; returns the config path and the staged files. The
 * staging root's .observablehq folder (npm cache) is kept between builds;
 * everything else is replaced.
 */
export function stagePublicSite(
  config: {title?: string; footer?: string; pages: readonly ConfigPage[]},
  {root = "src", staging = STAGING_DIR, output = PUBLIC_OUTPUT} = {},
) {
  const stagedRoot = join(staging, "src");
  const files = publicFiles(root);
  const section = publicSection(config.pages);
  const staged = new Set(files.filter((f) => f.endsWith(".md")).map((f) => `/${f.slice(0, -3)}`));
  const missing = section.filter((p) => p.path && !staged.has(p.path));
  if (missing.length)
    throw new Error(
      `public build: the "${PUBLIC_SECTION}" section lists ${missing.map((p) => p.path).join(", ")}, which are not pages with audience: public`,
    );
  mkdirSync(stagedRoot, {recursive: true});
  for (const entry of readdirSync(stagedRoot))
    if (entry !== ".observablehq") rmSync(join(stagedRoot, entry), {recursive: true, force: true});
  for (const file of files) {
    const to = join(stagedRoot, file);
    mkdirSync(dirname(to), {recursive: true});
    if (/\.(md|js|ts)$/.test(file))
      writeFileSync(to, rewriteOutsideImports(readFileSync(join(root, file), "utf8"), file, root, stagedRoot));
    else cpSync(join(root, file), to);
  }
  const home = section[0].path!.slice(1);
  cpSync(join(stagedRoot, `${home}.md`), join(stagedRoot, "index.md"));
  const configPath = join(staging, "observablehq.config.js");
  const generated = {
    root: stagedRoot.split(sep).join("/"),
    output,
    title: `${config.title ?? "MASH Workbench"}: public results`,
    pages: section,
    globalStylesheets: [],
    duckdb: {extensions: {json: null, parquet: null}},
    search: false,
    footer: config.footer ?? "",
    toc: true,
    pager: false,
  };
  writeFileSync(
    configPath,
    `// Generated by loaders/public/stage.ts for npm run build:public: do not edit.\nexport default ${JSON.stringify(generated, null, 2)};\n`,
  );
  return {configPath, stagedRoot, files};
}
