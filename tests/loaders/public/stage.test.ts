// The staging root of the public build: only pages with `audience: public`, with the modules
// and public-* loaders they use; a public page reading an internal loader stops the build;
// imports that leave src/ are rewritten so they reach the same files.
import {afterAll, beforeAll, expect, it} from "vitest";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {audienceOf, publicFiles, publicPages, rewriteOutsideImports, stagePublicSite} from "../../../loaders/public/stage.ts";
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

it("on the real site: every page declares its audience, the staged set holds no internal page or loader, and the config's public section is staged", () => {
  const pages = readdirSync("src").filter((f) => f.endsWith(".md"));
  expect(pages.filter((f) => audienceOf(readFileSync(join("src", f), "utf8")) === undefined)).toEqual([]);
  const staging = join(dir, "real");
  const {files, configPath, stagedRoot} = stagePublicSite(config as any, {staging, output: join(dir, "out")});
  for (const f of files.filter((f) => f.endsWith(".md"))) expect(audienceOf(readFileSync(join("src", f), "utf8"))).toBe("public");
  expect(files.filter((f) => f.startsWith("data/") && !f.startsWith("data/public-"))).toEqual([]);
  expect(existsSync(join(stagedRoot, "index.md"))).toBe(true);
  expect(readFileSync(configPath, "utf8")).toContain('"output"');
  expect(existsSync(join(stagedRoot, "training.md"))).toBe(false);
});
