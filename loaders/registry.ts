/**
 * The model registry: the one reader of `models/`. A model is registered when
 * its folder holds every file `workbench train` writes ({@link MODEL_FILES});
 * an incomplete folder is skipped by the listings and refused by
 * {@link openModelDir} with the names of the files it lacks. Newest first
 * means the latest `trainedAt` of its card, ties by id.
 *
 * @example const m = newestModel("info_sharing"); if (m) readFeatures(m.dir);
 */
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {basename, join, sep} from "node:path";
import type {Encoding} from "../src/lib/features.ts";
import type {SplitPlan} from "../src/lib/splits.ts";
import {MODELS_DIR} from "./paths.ts";

/** The files of a registered model, as `workbench train` writes them. */
export const MODEL_FILES = ["model.json", "weights.bin", "features.json", "metrics.json", "card.json", "predictions.internal.csv"] as const;

/** features.json: the encoding, the training means and what the model was trained for. */
export type Features = Encoding & {
  means: number[];
  target: string;
  model: string;
  dictionaryVersion: string;
  history?: {name: string; definition: string}[];
};

/** card.json: who, what and how (the model card's facts). */
export interface Card {
  id: string;
  target: string;
  model: string;
  trainedAt: string;
  trainingSeconds?: number;
  /** contacts marked as data errors in review files and left out of training (and so of its evaluation) */
  dataErrorsLeftOut?: string[];
  config: {split: SplitPlan; ridge: number; includeProtected: boolean; [key: string]: unknown};
  [key: string]: unknown;
}

/** An estimate with its 95% interval and the n it rests on. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
  n: number;
  [key: string]: unknown;
}

/** metrics.json: the fields other modules read by name; the rest passes through. */
export interface Metrics {
  ventiles: number[];
  definition: string;
  test: {auc: Estimate; n: number; [key: string]: unknown};
  validation: {auc: Estimate; prevalence: number; [key: string]: unknown};
  baselines: Record<string, {auc: Estimate; [key: string]: unknown}>;
  [key: string]: unknown;
}

/** A registered model: its id (folder name), folder and card. */
export interface RegisteredModel {
  id: string;
  dir: string;
  card: Card;
}

/** The files of {@link MODEL_FILES} missing from `dir`. */
export function missingFiles(dir: string): string[] {
  return MODEL_FILES.filter((file) => !existsSync(join(dir, file)));
}

/** Every registered model in `modelsDir`, newest first; incomplete folders are left out. */
export function listModels(modelsDir: string = MODELS_DIR): RegisteredModel[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .map((id) => join(modelsDir, id))
    .filter((dir) => statSync(dir).isDirectory() && missingFiles(dir).length === 0)
    .map((dir) => ({id: basename(dir), dir, card: readCard(dir)}))
    .sort((a, b) => String(b.card.trainedAt).localeCompare(String(a.card.trainedAt)) || a.id.localeCompare(b.id));
}

/** The newest registered model for `target`, or null when there is none. */
export function newestModel(target: string, modelsDir: string = MODELS_DIR): RegisteredModel | null {
  return listModels(modelsDir).find((m) => m.card.target === target) ?? null;
}

/**
 * A model by its folder (`models/<id>`), or by id under `modelsDir`; throws
 * naming what is missing when it is not a complete registered model.
 */
export function openModelDir(dirOrId: string, modelsDir: string = MODELS_DIR): RegisteredModel {
  const dir = dirOrId.includes("/") || dirOrId.includes(sep) ? dirOrId : join(modelsDir, dirOrId);
  if (!existsSync(dir))
    throw new Error(
      `no model ${dirOrId}: run \`npx workbench train\`, or pick one of ${
        listModels(modelsDir)
          .map((m) => m.id)
          .join(", ") || "(none registered)"
      }`,
    );
  const missing = missingFiles(dir);
  if (missing.length)
    throw new Error(`model folder ${dir} is incomplete: it lacks ${missing.join(", ")} (retrain it with \`npx workbench train\`)`);
  return {id: basename(dir), dir, card: readCard(dir)};
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
}

/** The model's card.json. */
export function readCard(dir: string): Card {
  return readJson<Card>(dir, "card.json");
}

/** The model's features.json. */
export function readFeatures(dir: string): Features {
  return readJson<Features>(dir, "features.json");
}

/** The model's metrics.json. */
export function readMetrics(dir: string): Metrics {
  return readJson<Metrics>(dir, "metrics.json");
}

/** Where the model's internal test predictions are (never published). */
export function predictionsFile(dir: string): string {
  return join(dir, "predictions.internal.csv");
}
