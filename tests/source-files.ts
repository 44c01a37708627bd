/**
 * The project's source files for tests that read code as text (import layers, names in code):
 * every file under `dir` (relative to the project root) whose name matches `pattern`, skipping
 * dot-folders (Framework's cache) and node_modules; a missing folder gives none.
 */
import {existsSync, readdirSync, statSync} from "node:fs";
import {join, resolve} from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dirname, "..");

/** Paths relative to the project root, sorted. */
export function sourceFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(join(PROJECT_ROOT, d))) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const path = join(d, name);
      if (statSync(join(PROJECT_ROOT, path)).isDirectory()) walk(path);
      else if (pattern.test(name)) out.push(path);
    }
  };
  if (existsSync(join(PROJECT_ROOT, dir))) walk(dir);
  return out.sort();
}
