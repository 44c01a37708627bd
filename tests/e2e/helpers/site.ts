/**
 * Which pages a built site has: found by crawling the output folder for
 * .html files (so a new page is tested without touching the tests), and which
 * pages the Framework config lists (to check that none went missing).
 */
import {readdirSync} from "node:fs";
import {join, posix} from "node:path";

/**
 * URL paths of every page in a built site, sorted: index.html → "/",
 * foo.html → "/foo", foo/index.html → "/foo/". Folders starting with "_"
 * (Framework's _npm, _observablehq, _file, _import) hold no pages.
 *
 * @example listBuiltPages("dist") // ["/", "/404", "/model"]
 */
export function listBuiltPages(distDir: string): string[] {
  const pages: string[] = [];
  const visit = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      if (entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) visit(join(dir, entry.name), posix.join(prefix, entry.name));
      else if (entry.name.endsWith(".html")) {
        const name = entry.name.slice(0, -".html".length);
        pages.push(name === "index" ? `${prefix}/` : posix.join(prefix, name));
      }
    }
  };
  visit(distDir, "/");
  return pages.map((p) => p.replace(/^\/\/+/, "/")).sort();
}

/** A Framework config `pages` entry: a page or a section of pages. */
export interface ConfigPage {
  name?: string;
  path?: string;
  pages?: readonly ConfigPage[];
}

/**
 * The page paths the config lists (sections flattened), as URL paths
 * comparable with {@link listBuiltPages}: "/" stays, "/foo" stays, "/foo/index" → "/foo/".
 */
export function listConfigPages(pages: readonly ConfigPage[] | undefined): string[] {
  const paths: string[] = [];
  const visit = (list: readonly ConfigPage[]): void => {
    for (const page of list) {
      if (page.path !== undefined) paths.push(page.path.replace(/(^|\/)index$/, "$1") || "/");
      if (page.pages) visit(page.pages);
    }
  };
  visit(pages ?? []);
  return paths.sort();
}
