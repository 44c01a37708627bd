/**
 * Settings of the public build, so that `npm run build:public`, its data loaders and the scan
 * agree. From the environment:
 * - WORKBENCH_DISCLOSURE_THRESHOLD: counts of 1..threshold are suppressed (default 5, at most 10);
 * - WORKBENCH_ROUND_TOTALS: round published totals to this base (default 1 = no rounding);
 * - WORKBENCH_PUBLIC_MODEL: a model id that overrides the project's choice for one build.
 * From the project file (workbench.yaml): `public_model:`, the one model the public pages
 * describe ({@link choosePublicModel}), never simply the newest of any target.
 * With no registered model at all (a fresh clone), the default models of
 * `workbench train` are trained first ({@link ensurePublicModel}).
 */
import {existsSync, mkdirSync, rmdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {disclosureOptions} from "../../src/lib/disclosure.ts";
import {listModels, openModelDir} from "../registry.ts";
import {MODELS_DIR, PROJECT} from "../paths.ts";
import {defaultTarget, loadDictionary} from "../dictionary.ts";
import {projectFile, type Project} from "../project.ts";

/** The disclosure settings every public aggregate uses (checked: a threshold above 10 is refused). */
export function publicDisclosure(env: NodeJS.ProcessEnv = process.env) {
  const number = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : Number(env[name]));
  return disclosureOptions({threshold: number("WORKBENCH_DISCLOSURE_THRESHOLD"), roundTotalsTo: number("WORKBENCH_ROUND_TOTALS")});
}

/** What picks the public model: the project's `public_model:` and default target. */
export type PublicModelProject = Pick<Project, "public_model" | "target">;

/** The public model: its folder and id, and why it is the one (for the build log). */
export interface PublicModel {
  dir: string;
  id: string;
  why: string;
}

/**
 * The model the public pages describe. WORKBENCH_PUBLIC_MODEL (an id) overrides the project for
 * one build; else workbench.yaml's `public_model:` — `{id}` that model, `{target}` that target's
 * newest (both: the id, which must be of that target); without `public_model:`, the newest model
 * of the project's default target (its `target:`, else the dictionary's default_target). Never the
 * newest of any target: training another target's model does not change the public pages. A
 * model that is not registered, or an id of another target, is refused saying what to write in
 * workbench.yaml.
 *
 * @example choosePublicModel("models", {}, {public_model: {target: "info_sharing"}}) // {id: "info_sharing-mlp-…", why: "the newest info_sharing model (public_model: {target: info_sharing})", …}
 */
export function choosePublicModel(
  modelsDir = MODELS_DIR,
  env: NodeJS.ProcessEnv = process.env,
  project: PublicModelProject = PROJECT,
): PublicModel {
  const file = projectFile(env);
  const wanted = env.WORKBENCH_PUBLIC_MODEL;
  if (wanted) {
    try {
      const m = openModelDir(wanted, modelsDir);
      return {dir: m.dir, id: m.id, why: `WORKBENCH_PUBLIC_MODEL=${wanted} (overrides public_model in ${file})`};
    } catch (error) {
      throw new Error(`WORKBENCH_PUBLIC_MODEL: ${(error as Error).message}`);
    }
  }
  const models = listModels(modelsDir);
  const choice = project.public_model;
  const registered = models.map((m) => `${m.id} (${m.card.target})`).join(", ") || "none";
  if (choice?.id) {
    const m = models.find((x) => x.id === choice.id);
    if (!m)
      throw new Error(
        `${file}: public_model names the model ${choice.id}, which is not registered in ${modelsDir}/ (registered: ${registered}): ` +
          `train it, or write another id, or \`public_model: {target: <target>}\` for that target's newest model`,
      );
    if (choice.target && m.card.target !== choice.target)
      throw new Error(
        `${file}: public_model names the model ${choice.id}, a ${m.card.target} model, and the target ${choice.target}: ` +
          `write one of them, or an id of a ${choice.target} model`,
      );
    return {dir: m.dir, id: m.id, why: `public_model: {id: ${choice.id}} in ${file}`};
  }
  const target = choice?.target ?? project.target ?? defaultTarget(loadDictionary());
  const m = models.find((x) => x.card.target === target); // listModels is newest first
  if (!m) {
    const hint = models.length ? `, or write \`public_model: {id: <id>}\` in ${file} for one of the registered models (${registered})` : "";
    throw new Error(
      `no registered ${target} model in ${modelsDir}/ for the public pages: run \`npx workbench train --target ${target}\`${hint}`,
    );
  }
  const how = choice?.target
    ? `public_model: {target: ${target}} in ${file}`
    : `${file} names no public_model: the project's default target; write \`public_model: {id: ${m.id}}\` to pin it`;
  return {dir: m.dir, id: m.id, why: `the newest ${target} model (${how})`};
}

/**
 * The folder of the model the public pages describe ({@link choosePublicModel}).
 *
 * @example publicModelDir() // "models/info_sharing-logistic-557bed8cafc2"
 */
export function publicModelDir(
  modelsDir = MODELS_DIR,
  env: NodeJS.ProcessEnv = process.env,
  project: PublicModelProject = PROJECT,
): string {
  return choosePublicModel(modelsDir, env, project).dir;
}

/** The public model's folder, saying in the build log (stderr) which model it is and why. */
function announced(modelsDir: string, env: NodeJS.ProcessEnv, project: PublicModelProject): string {
  const m = choosePublicModel(modelsDir, env, project);
  process.stderr.write(`public pages describe ${m.id}: ${m.why}\n`);
  return m.dir;
}

/** Whether any complete model is registered in `modelsDir`. */
function hasModel(modelsDir: string): boolean {
  return listModels(modelsDir).length > 0;
}

/**
 * The public model's folder ({@link choosePublicModel}, named on stderr), training the default models (as `npm run
 * prepare-data` does) when none is registered, so a fresh clone builds.
 * Loaders may call this at the same time: a lock folder lets one train while
 * the others wait. Progress goes to stderr (stdout is a loader's data).
 *
 * @example const dir = await ensurePublicModel();
 */
export async function ensurePublicModel(
  modelsDir = MODELS_DIR,
  env: NodeJS.ProcessEnv = process.env,
  project: PublicModelProject = PROJECT,
): Promise<string> {
  if (env.WORKBENCH_PUBLIC_MODEL || hasModel(modelsDir)) return announced(modelsDir, env, project);
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
      if (hasModel(modelsDir) && !existsSync(lock)) return announced(modelsDir, env, project);
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
  return announced(modelsDir, env, project);
}
