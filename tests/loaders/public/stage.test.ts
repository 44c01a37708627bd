// The staging root of the public build: only pages with `audience: public` (Markdown pages, and
// the page loaders rendered at staging), with the modules, stylesheets and public-* loaders they
// use; a public page reading an internal loader stops the build; imports that leave src/ are
// rewritten so they reach the same files; on the real site each public loader runs once and the
// pages are staged as static Markdown with their numbers written in, links ending in .html.
import {afterAll, beforeAll, expect, it} from "vitest";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {
  audienceOf,
  headAssets,
  publicFooter,
  linkedStylesheets,
  publicFiles,
  publicPages,
  renderedPages,
  rewriteOutsideImports,
  stagePublicSite,
} from "../../../loaders/public/stage.ts";
import config from "../../../observablehq.config.ts";

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), {recursive: true});
  writeFileSync(join(dir, path), text);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stage-"));
  write(
    "root/about.md",
    '---\ntitle: About\naudience: public\n---\n\n```js\nimport {Chart} from "./components/public-chart.js";\nconst d = await FileAttachment("data/public-a.json").json();\n```\n',
  );
  write("root/internal.md", '---\naudience: internal\n---\n\n```js\nconst rows = FileAttachment("data/contacts.parquet");\n```\n');
  write("root/undeclared.md", "# no front matter\n");
  write("root/components/public-chart.ts", 'import {helper} from "../lib/helper.js";\nexport const Chart = helper;\n');
  write("root/lib/helper.ts", "export const helper = 1;\n");
  write("root/lib/unused.ts", "export const unused = 1;\n");
  write("root/data/public-a.json.ts", 'import {x} from "../../loaders/x.ts";\nprocess.stdout.write(JSON.stringify(x));\n');
  write("root/data/contacts.parquet.ts", "process.stdout.write('');\n");
  write("loaders/x.ts", "export const x = {a: 1};\n");
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("reads a page's audience from its front matter", () => {
  expect(audienceOf("---\ntitle: X\naudience: public\n---\n# X")).toBe("public");
  expect(audienceOf('---\naudience: "internal"\n---\n')).toBe("internal");
  expect(audienceOf("# audience: public")).toBeUndefined();
});

it("stages the public pages and exactly what they use", () => {
  expect(publicPages(join(dir, "root"))).toEqual(["about.md"]);
  expect(publicFiles(join(dir, "root"))).toEqual(["about.md", "components/public-chart.ts", "data/public-a.json.ts", "lib/helper.ts"]);
});

it("takes a page loader calling renderPublicPage for a public page, staged from the Markdown it renders", () => {
  write(
    "root/rendered.md.ts",
    'import {renderPublicPage} from "../loaders/r.ts";\nprocess.stdout.write(await renderPublicPage("rendered"));\n',
  );
  write("root/public.css", "main {}\n");
  try {
    expect(publicPages(join(dir, "root"))).toEqual(["about.md", "rendered.md"]);
    expect([...renderedPages(join(dir, "root"))]).toEqual([["rendered.md", {loader: "rendered.md.ts", name: "rendered"}]]);
    expect(() => publicFiles(join(dir, "root"))).toThrow(/rendered\.md is a rendered page; pass its Markdown/);
    const markdown =
      '---\naudience: public\n---\n<link rel="stylesheet" href="./public.css">\n\n```js\nconst d = FileAttachment("data/public-a.json").json();\n```\n';
    expect(publicFiles(join(dir, "root"), new Map([["rendered.md", markdown]]))).toEqual([
      "about.md",
      "components/public-chart.ts",
      "data/public-a.json.ts",
      "lib/helper.ts",
      "public.css",
      "rendered.md",
    ]);
    write("root/misnamed.md.ts", 'process.stdout.write(await renderPublicPage("other"));\n');
    expect(() => renderedPages(join(dir, "root"))).toThrow(/misnamed\.md\.ts renders the page other; name it other\.md\.ts/);
  } finally {
    for (const f of ["rendered.md.ts", "public.css", "misnamed.md.ts"]) rmSync(join(dir, "root", f), {force: true});
  }
});

it("finds the stylesheets a page links and the local files the head refers to", () => {
  expect(linkedStylesheets('<link rel="stylesheet" href="./public.css"><link href="https://x.org/a.css" rel="stylesheet">')).toEqual([
    "./public.css",
  ]);
  expect(
    headAssets('<link rel="icon" href="/favicon.svg"><link rel="icon" href="data:,"><script src="https://x.org/a.js"></script>'),
  ).toEqual(["favicon.svg"]);
  // a URL written by a script in the head is not a file of the site
  expect(headAssets('<script type="module">a.href="x.css"; b.src = "y.js";</script><link rel="stylesheet" href="/a11y.css">')).toEqual([
    "a11y.css",
  ]);
});

it("keeps the config's footer for the public site, without a standing claim about synthetic data", () => {
  expect(
    publicFooter("MASH Workbench — a model that supports, never overrides, professional judgement. Synthetic data unless stated."),
  ).toBe("MASH Workbench — a model that supports, never overrides, professional judgement.");
  expect(publicFooter("Built by the council. Contact us.")).toBe("Built by the council. Contact us.");
  expect(publicFooter("")).toBe("");
});

it("refuses a public page that reads an internal loader", () => {
  write("root/leaky.md", '---\naudience: public\n---\n\n```js\nFileAttachment("data/contacts.parquet")\n```\n');
  try {
    expect(() => publicFiles(join(dir, "root"))).toThrow(
      /leaky\.md reads data\/contacts\.parquet\.ts; public pages may read only public aggregates/,
    );
  } finally {
    rmSync(join(dir, "root", "leaky.md"));
  }
});

it("rewrites imports that leave the root so they reach the same file from the staging root", () => {
  const source = readFileSync(join(dir, "root/data/public-a.json.ts"), "utf8");
  const out = rewriteOutsideImports(source, "data/public-a.json.ts", join(dir, "root"), join(dir, "stage/deeper/src"));
  const spec = /from "([^"]+)"/.exec(out)![1];
  expect(resolve(join(dir, "stage/deeper/src/data"), spec)).toBe(join(dir, "loaders/x.ts"));
  expect(rewriteOutsideImports('import {h} from "../lib/helper.js";', "components/c.ts", join(dir, "root"), join(dir, "s"))).toBe(
    'import {h} from "../lib/helper.js";',
  );
});

it("on the real site: every page declares its audience, the staged set holds no internal page or loader, the pages are static with their numbers in, and links end in .html", async () => {
  const pages = readdirSync("src").filter((f) => f.endsWith(".md"));
  expect(pages.filter((f) => audienceOf(readFileSync(join("src", f), "utf8")) === undefined)).toEqual([]);
  const staging = join(dir, "real");
  const {files, configPath, stagedRoot} = await stagePublicSite(config as any, {staging, output: join(dir, "out")});
  const stagedPages = files.filter((f) => f.endsWith(".md"));
  expect(stagedPages.length).toBeGreaterThanOrEqual(5);
  for (const f of stagedPages) expect(audienceOf(readFileSync(join(stagedRoot, f), "utf8")), f).toBe("public");
  // the public data are staged as the loaders' outputs (each run once), never as loaders to run during the build
  expect(files.filter((f) => f.startsWith("data/") && !/^data\/public-[\w-]+\.json$/.test(f))).toEqual([]);
  expect(readdirSync(join(stagedRoot, "data")).filter((f) => f.endsWith(".ts"))).toEqual([]);
  const results = JSON.parse(readFileSync(join(stagedRoot, "data", "public-results.json"), "utf8"));
  expect(readFileSync(join(stagedRoot, "results.md"), "utf8")).toContain(`>${results.auc.value.toFixed(3)}</span>`);
  expect(files).toContain("public.css");
  expect(existsSync(join(stagedRoot, "index.md"))).toBe(true);
  const generated = (await import(resolve(configPath))).default;
  expect(generated.output).toBe(join(dir, "out"));
  expect(generated.preserveExtension).toBe(true);
  expect(generated.head).toMatch(/<link rel="icon"/);
  expect(existsSync(join(stagedRoot, "training.md"))).toBe(false);
}, 120_000);
