// Child process of the benchmark (`npm run bench -- --only scale [--scale 100000,300000]`): for one
// number of contacts, copies the project (the working tree as git sees it: tracked and untracked files,
// nothing ignored, so no warehouse, models, caches or builds) into a temporary folder, then runs every
// step of a fresh clone's way from an extract to the public site there, each as its own process, and
// prints one row per step as JSON: seconds, and the peak resident memory of the largest process the
// step ran (GNU time's maximum RSS, which covers the processes a step waits for), the internal site's size,
// and Explore's first chart in the built site (three loads in Chromium).
//   node --import tsx tests/bench/scale-child.ts 1000000 [--keep]
import {execFileSync, spawnSync} from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";

export interface ScaleRow {
  contacts: number;
  step: string;
  seconds: number;
  peakRssMB: number;
  /** a page loader the internal build runs again (it keeps no cache of its own): left out of totals */
  alsoInBuild?: boolean;
}

const TIME = "/usr/bin/time";

/** The steps, in order: a name and the command run in the project copy. */
export function scaleSteps(contacts: number): {step: string; command: string[]; alsoInBuild?: boolean}[] {
  const cli = (...args: string[]) => [process.execPath, "--import", "tsx", "loaders/cli.ts", ...args];
  const loader = (file: string) => [process.execPath, "--import", "tsx", `src/data/${file}.ts`];
  return [
    {step: "generate", command: cli("generate", "--contacts", String(contacts), "--out", "data/raw")},
    {step: "ingest", command: cli("ingest")},
    {step: "train logistic", command: cli("train", "--model", "logistic")},
    {step: "train mlp", command: cli("train", "--model", "mlp")},
    // Both evaluation files come from one cached computation: the first loader pays for it.
    {step: "page data: evaluation", command: loader("evaluation.json")},
    {step: "page data: consistency", command: loader("consistency.json"), alsoInBuild: true},
    {step: "page data: crosscheck", command: loader("crosscheck.json"), alsoInBuild: true},
    // The internal site: the offline npm cache, then every page and the remaining page data.
    {step: "build (internal site, remaining page data)", command: ["npm", "run", "--silent", "build"]},
    {step: "build:public (stage, build, size check, scan)", command: ["npm", "run", "--silent", "build:public"]},
  ];
}

/** Copies the working tree (git's tracked and untracked, not ignored, files) to `to`, sharing node_modules. */
export function copyProject(from: string, to: string): void {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {cwd: from, encoding: "utf8"})
    .split("\0")
    // regular files only: a node_modules symlink (not matched by "node_modules/") is linked below instead
    .filter((f) => f && f !== "node_modules" && existsSync(join(from, f)) && lstatSync(join(from, f)).isFile());
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), {recursive: true});
    copyFileSync(join(from, f), join(to, f));
  }
  symlinkSync(resolve(from, "node_modules"), join(to, "node_modules"));
}

/** Runs one step under GNU time in `cwd`; throws with the step's last lines of stderr when it fails. */
function timed(step: string, command: string[], cwd: string, contacts: number): ScaleRow {
  const report = join(cwd, ".tmp", "time.txt");
  mkdirSync(dirname(report), {recursive: true});
  const r = spawnSync(TIME, ["-f", "%e %M", "-o", report, ...command], {
    cwd,
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "1"},
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${step} (${contacts} contacts) failed: ${String(r.stderr).trim().split("\n").slice(-5).join("\n")}`);
  const [seconds, kb] = readFileSync(report, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return {contacts, step, seconds, peakRssMB: kb / 1024};
}

/** Bytes of every file under `dir` (the internal site's size on disk). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

const contacts = Number(process.argv[2]);
if (!(contacts > 0)) throw new Error("usage: scale-child.ts <contacts> [--keep]");
if (!existsSync(TIME)) throw new Error(`the scale benchmark measures memory with GNU time (${TIME}): apt-get install time`);
const dir = mkdtempSync(join(tmpdir(), `bench-scale-${contacts}-`));
const rows: ScaleRow[] = [];
let internalSiteMB = NaN;
let exploreFirstChartMs: number[] = [];
try {
  copyProject(process.cwd(), dir);
  for (const {step, command, alsoInBuild} of scaleSteps(contacts)) {
    process.stderr.write(`scale ${contacts.toLocaleString("en-GB")}: ${step} …\n`);
    rows.push({...timed(step, command, dir, contacts), ...(alsoInBuild ? {alsoInBuild} : {})});
  }
  internalSiteMB = folderBytes(join(dir, "dist")) / 1024 / 1024;
  // Explore at this size: load → first chart drawn, three fresh loads of the built site in Chromium.
  process.stderr.write(`scale ${contacts.toLocaleString("en-GB")}: Explore in Chromium …\n`);
  const loads = JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", "tests/bench/explore-child.ts", "3", join(dir, "dist")], {encoding: "utf8"}),
  ) as {firstChartMs: number; errors: string[]}[];
  for (const l of loads) if (l.errors.length) throw new Error(`/explore at ${contacts} contacts: ${l.errors.join("; ")}`);
  exploreFirstChartMs = loads.map((l) => l.firstChartMs);
} finally {
  if (!process.argv.includes("--keep")) rmSync(dir, {recursive: true, force: true});
  else process.stderr.write(`kept ${dir}\n`);
}
process.stdout.write(JSON.stringify({steps: rows, internalSiteMB, exploreFirstChartMs}));
