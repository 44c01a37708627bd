// Modules the pages load (src/lib, src/components, and the pages' own code) import each other
// with a `.js` ending: Framework copies a relative import as written, so a `./x.ts` import
// names a file the built site does not hold and the page breaks (Node, tsx and vitest read
// `./x.js` as `./x.ts`). Found when the identifier screen imported its name lists as `.ts`.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT, sourceFiles} from "../source-files.ts";

const RELATIVE_TS = /\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.ts)["']/g;

describe("browser imports", () => {
  it("no module of src/ imports another with a .ts ending", () => {
    const files = [...sourceFiles("src/lib", /\.ts$/), ...sourceFiles("src/components", /\.ts$/), ...sourceFiles("src", /\.md$/)];
    expect(files.length).toBeGreaterThan(40);
    const bad = files.flatMap((f) => [...readFileSync(join(PROJECT_ROOT, f), "utf8").matchAll(RELATIVE_TS)].map((m) => `${f}: ${m[1]}`));
    expect(bad).toEqual([]);
  });

  it("the check finds such an import (negative control)", () => {
    expect([...'import {X} from "./name-lists.ts";'.matchAll(RELATIVE_TS)].length).toBe(1);
  });
});
