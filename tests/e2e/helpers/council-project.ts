/**
 * A council's own checkout of the workbench, made in a scratch folder: the
 * code a council gets (src/ without Framework's cache, loaders/, tools/, bin/,
 * data/dictionaries/, the config, package.json, tsconfig.json), node_modules
 * linked to this repo's, and a workbench.yaml naming its dictionary and its
 * extracts. Nothing of this repo's data comes along (no data/dictionary.yaml,
 * sample, warehouse, models or reviews), so whatever the project builds came
 * from its project file and its extract alone.
 */
import {cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {E2E_TMP_DIR, PROJECT_DIR, describeRun, runOffline} from "./offline.ts";

/** What a council's checkout holds of this repo (relative paths). */
export const CHECKOUT_ENTRIES: readonly string[] = [
  "src",
  "loaders",
  "tools",
  "bin",
  "data/dictionaries",
  "observablehq.config.ts",
  "package.json",
  "tsconfig.json",
];

/** What a rerun keeps of the project's Framework cache (src/.observablehq/cache): tools/offline-cache.ts's output. */
const NPM_CACHE_ENTRIES: readonly string[] = ["_npm", ".offline-cache.json"];

/** The project file, as the keys of workbench.yaml (loaders/project.ts). */
export interface ProjectFile {
  dictionary: string;
  extracts: string[];
  target?: string;
  model?: "logistic" | "mlp";
}

/** Options of {@link makeCouncilProject}. */
export interface CouncilProjectOptions {
  /** Folder name under .tmp/e2e. */
  name: string;
  project: ProjectFile;
  /** `workbench generate` flags (without --out): the extract is generated with them. */
  generate: readonly string[];
  /** Where the generated contacts.csv goes in the project (relative path). */
  extractFile: string;
}

/** A made project: its folder and the file the extract was written to. */
export interface CouncilProject {
  dir: string;
  extract: string;
}

/**
 * Makes the project folder afresh (keeping only the npm cache in
 * src/.observablehq/cache, which tools/offline-cache.ts then finds up to
 * date), writes its workbench.yaml, generates the extract with the network
 * blocked and copies only contacts.csv into the project (a council's extract
 * has no truth files).
 * Throws with the logs when generating fails.
 *
 * @example const {dir} = await makeCouncilProject({name: "essex-project", project: {dictionary: "data/dictionaries/essex.yaml", extracts: ["data/raw/essex"]}, generate: ["--profile", "essex"], extractFile: "data/raw/essex/contacts.csv"});
 */
export async function makeCouncilProject(options: CouncilProjectOptions): Promise<CouncilProject> {
  const dir = join(E2E_TMP_DIR, options.name);
  mkdirSync(dir, {recursive: true});
  for (const entry of readdirSync(dir)) if (entry !== "src") rmSync(join(dir, entry), {recursive: true, force: true});
  if (existsSync(join(dir, "src")))
    for (const entry of readdirSync(join(dir, "src"))) if (entry !== ".observablehq") rmSync(join(dir, "src", entry), {recursive: true});
  // Keep the npm cache and its stamp, never a loader output from an earlier run.
  const cache = join(dir, "src", ".observablehq", "cache");
  if (existsSync(cache))
    for (const entry of readdirSync(cache)) if (!NPM_CACHE_ENTRIES.includes(entry)) rmSync(join(cache, entry), {recursive: true});
  for (const entry of CHECKOUT_ENTRIES) {
    mkdirSync(dirname(join(dir, entry)), {recursive: true});
    cpSync(join(PROJECT_DIR, entry), join(dir, entry), {
      recursive: true,
      filter: (source) => !source.startsWith(join(PROJECT_DIR, "src", ".observablehq")),
    });
  }
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "workbench.yaml"), projectYaml(options.project));

  const generated = join(E2E_TMP_DIR, `${options.name}-extract`);
  rmSync(generated, {recursive: true, force: true});
  const run = await runOffline(["tsx", "loaders/cli.ts", "generate", ...options.generate, "--out", generated], {
    cwd: dir,
    label: `${options.name}-generate`,
    timeoutMs: 120_000,
  });
  if (run.exitCode !== 0 || run.blocked.length) throw new Error(`generating the extract failed\n${describeRun(run)}`);
  const extract = join(dir, options.extractFile);
  mkdirSync(dirname(extract), {recursive: true});
  cpSync(join(generated, "contacts.csv"), extract);
  return {dir, extract};
}

/** The project file's text. */
export function projectYaml(project: ProjectFile): string {
  return [
    "# Written by tests/e2e/helpers/council-project.ts: a second council's project.",
    `dictionary: ${project.dictionary}`,
    `extracts: [${project.extracts.join(", ")}]`,
    ...(project.target ? [`target: ${project.target}`] : []),
    ...(project.model ? [`model: ${project.model}`] : []),
    "",
  ].join("\n");
}
