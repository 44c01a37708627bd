/**
 * How heavy a built site is: the whole output, and per page the HTML plus
 * every local file it references (stylesheets, module preloads — Framework
 * preloads a page's whole import graph — and registered FileAttachments).
 * The e2e test measures the same in Chromium; this is the build's own check.
 */
import {existsSync, readFileSync, statSync} from "node:fs";
import {join, normalize, posix} from "node:path";
import {listFiles} from "./scan.ts";

export const SIZE_LIMITS = {pageBytes: 2 * 1024 * 1024, totalBytes: 10 * 1024 * 1024};

/** Local files a built page references (relative to the output folder). */
export function pageReferences(dir: string, page: string): string[] {
  const html = readFileSync(join(dir, page), "utf8");
  const refs = new Set<string>();
  for (const m of html.matchAll(/(?:href|src)="([^"#?]+)[^"]*"|"path":\s*"([^"]+)"|path:\s*"([^"]+)"/g)) {
    const url = m[1] ?? m[2] ?? m[3];
    if (/^[a-z]+:/i.test(url) || url.startsWith("//")) continue;
    const file = normalize(posix.join(posix.dirname(page), url))
      .split("\\")
      .join("/");
    if (existsSync(join(dir, file)) && statSync(join(dir, file)).isFile()) refs.add(file);
  }
  return [...refs].sort();
}

/** Sizes of a built site: files, total bytes, and each page with what it loads. */
export function siteSizes(dir: string) {
  const files = listFiles(dir);
  const size = (f: string) => statSync(join(dir, f)).size;
  const pages = files
    .filter((f) => f.endsWith(".html"))
    .map((page) => ({
      path: `/${page.replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, "")}`,
      bytes: size(page) + pageReferences(dir, page).reduce((a, f) => a + size(f), 0),
    }));
  return {files: files.length, totalBytes: files.reduce((a, f) => a + size(f), 0), pages};
}
