/**
 * Layers point one way (commands → pipeline → registry → lib → paths/db):
 * the import graph of loaders/, tools/ and src/ (lib, data, components) is
 * read from the sources and checked — no module imports a command
 * (loaders/cli/), src/lib imports nothing from loaders/, only the registry
 * lists models/, and there is no import cycle. The checks run first on small
 * inline graphs, so a checker that stopped finding anything would fail.
 */
import {readFileSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT, sourceFiles} from "../source-files.ts";

/** TypeScript sources, declaration files aside. */
const tsFiles = (dir: string) => sourceFiles(dir, /^(?!.*\.d\.ts$).*\.ts$/);

/** The relative imports of one source text (static, re-exports and dynamic), as written. */
export function importSpecifiers(source: string): string[] {
  const found = new Set<string>();
  const patterns = [/\bfrom\s+"(\.{1,2}\/[^"]+)"/g, /\bimport\s+"(\.{1,2}\/[^"]+)"/g, /\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

/** file → the project files it imports (a browser-style `.js` import of a .ts file is mapped to the .ts). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(join(PROJECT_ROOT, file), "utf8")).map((spec) => {
      const target = relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), spec));
      return known.has(target) ? target : target.replace(/\.js$/, ".ts");
    });
    graph.set(
      file,
      targets.filter((t) => known.has(t)),
    );
  }
  return graph;
}

/** Every import cycle, each as the files along it (Tarjan's strongly connected components of more than one file, or a self-import). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Imports that break a rule, as "from → to (rule)". */
export function layerViolations(graph: Map<string, string[]>): string[] {
  const isCommand = (f: string) => f.startsWith("loaders/cli/") || f === "loaders/cli.ts";
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (to.startsWith("loaders/cli/") && !isCommand(from)) problems.push(`${from} → ${to} (nothing imports a command)`);
      if (from.startsWith("src/lib/") && to.startsWith("loaders/")) problems.push(`${from} → ${to} (src/lib is shared with the browser)`);
      if (from.startsWith("loaders/") && to.startsWith("tools/") && from !== "loaders/public/build.ts")
        problems.push(`${from} → ${to} (build tools sit outside the pipeline)`);
    }
  }
  return problems;
}

describe("the checks themselves", () => {
  it("reads static, re-export and dynamic relative imports, not packages", () => {
    const source = `import {a} from "./a.ts";\nexport {b} from "../b.ts";\nimport "./side.ts";\nconst c = await import("./c.ts");\nimport {d} from "node:fs";\nimport e from "commander";`;
    expect(importSpecifiers(source).sort()).toEqual(["../b.ts", "./a.ts", "./c.ts", "./side.ts"]);
  });

  it("finds a cycle of three and a self-import, and none in a tree", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(findCycles(cyclic)).toEqual([["a", "b", "c"], ["e"]]);
    expect(
      findCycles(
        new Map([
          ["a", ["b", "c"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("flags a pipeline module importing a command, and src/lib importing loaders", () => {
    const graph = new Map([
      ["loaders/pages/quality.ts", ["loaders/cli/ingest.ts"]],
      ["loaders/cli/prepare.ts", ["loaders/cli/ingest.ts"]],
      ["src/lib/features.ts", ["loaders/dictionary.ts"]],
    ]);
    expect(layerViolations(graph)).toEqual([
      "loaders/pages/quality.ts → loaders/cli/ingest.ts (nothing imports a command)",
      "src/lib/features.ts → loaders/dictionary.ts (src/lib is shared with the browser)",
    ]);
  });
});

describe("the project's layers", () => {
  const files = ["loaders", "tools", "src/lib", "src/data", "src/components"].flatMap(tsFiles);
  const graph = importGraph(files);

  it("reads a graph of the whole project", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(graph.get("loaders/cli.ts")?.some((f) => f.startsWith("loaders/cli/"))).toBe(true);
  });

  it("has no import cycle", () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it("imports point down: no command imported, src/lib free of loaders/", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("lists models/ only in the registry", () => {
    const listers = files
      .filter((f) => f.startsWith("loaders/"))
      .filter((f) => {
        const text = readFileSync(join(PROJECT_ROOT, f), "utf8");
        return /\breaddir/.test(text) && /models/.test(text);
      });
    expect(listers).toEqual(["loaders/registry.ts"]);
  });
});
