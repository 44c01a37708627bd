/**
 * Settings of the public build, from the environment so that `npm run
 * build:public`, its data loaders and the scan agree:
 * - WORKBENCH_DISCLOSURE_THRESHOLD: counts of 1..threshold are suppressed (default 5, at most 10);
 * - WORKBENCH_ROUND_TOTALS: round published totals to this base (default 1 = no rounding);
 * - WORKBENCH_PUBLIC_MODEL: the registered model the public pages describe (default: the newest).
 * With no registered model at all (a fresh clone), the default model of
 * `workbench train` is trained first ({@link ensurePublicModel}).
 */
import {existsSync, mkdirSync, rmdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {disclosureOptions} from "../../src/lib/disclosure.ts";
import {listModels, openModelDir} from "../registry.ts";
import {MODELS_DIR} from "../paths.ts";

/** The disclosure settings every public aggregate uses (checked: a threshold above 10 is refused). */
export function publicDisclosure(env: NodeJS.ProcessEnv = process.env) {
  const number = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : Number(env[name]));
  return disclosureOptions({threshold: number("WORKBENCH_DISCLOSURE_THRESHOLD"), roundTotalsTo: number("WORKBENCH_ROUND_TOTALS")});
}

/**
 * The folder of the model the public pages describe: WORKBENCH_PUBLIC_MODEL
 * (an id under `modelsDir`), else the most recently trained model.
 *
 * @example publicModelDir() // "models/info_sharing-logistic-557bed8cafc2"
 */
export function publicModelDir(modelsDir = MODELS_DIR, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.WORKBENCH_PUBLIC_MODEL;
  if (wanted) {
    try {
      return openModelDir(wanted, modelsDir).dir;
    } catch (error) {
      throw new Error(`WORKBENCH_PUBLIC_MODEL: ${(error as Error).message}`);
    }
  }
  const [newest] = listModels(modelsDir);
  if (!newest) throw new Error(`no registered model in ${modelsDir}/: run \`npx workbench train\` before the public build`);
  return newest.dir;
}

/** Whether any complete model is registered in `modelsDir`. */
function hasModel(modelsDir: string): boolean {
  return listModels(modelsDir).length > 0;
}

/**
 * The public model's folder, training the default models (as `npm run
 * prepare-data` does) when none is registered, so a fresh clone builds.
 * Loaders may call this at the same time: a lock folder lets one train while
 * the others wait. Progress goes to stderr (stdout is a loader's data).
 *
 * @example const dir = await ensurePublicModel();
 */
export async function ensurePublicModel(modelsDir = MODELS_DIR, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.WORKBENCH_PUBLIC_MODEL || hasModel(modelsDir)) return publicModelDir(modelsDir, env);
  mkdirSync(modelsDir, {recursive: true});
  const lock = join(modelsDir, ".public-training.lock");
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another loader is training: wait for it (a lock older than 15 minutes is stale).
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmdirSync(lock);
      if (hasModel(modelsDir) && !existsSync(lock)) return publicModelDir(modelsDir, env);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    if (!hasModel(modelsDir)) {
      const {trainDefaultModels} = await import("../train/train.ts");
      await trainDefaultModels(modelsDir, "public pages: no registered model");
    }
  } finally {
    rmdirSync(lock);
  }
  return publicModelDir(modelsDir, env);
}
