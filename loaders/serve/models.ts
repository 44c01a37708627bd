/**
 * The model the service scores with, switched without downtime: the new model is opened and
 * checked against the dictionary while the old one keeps serving, then swapped in by one
 * assignment. A group of requests takes the model in use when it starts and keeps it to the end,
 * so every answer names the model that scored it; the old model is freed when its last group ends.
 *
 * @example const models = await ModelSlot.open({target: "info_sharing"}, dict, dictionaryPath);
 *          const m = models.acquire(); … m.scorer.score(rows) …; models.release(m);
 *          await models.switchTo({model: "info_sharing-logistic-1a2b"});
 */
import type {Dictionary, Variable} from "../dictionary.ts";
import {MODELS_DIR} from "../paths.ts";
import {newestModel, openModelDir, readMetrics} from "../registry.ts";
import {openScorer, type Scorer} from "../score/scorer.ts";

/** Which model: an id or folder, or a target whose newest registered model to use. */
export type ModelChoice = {model: string; target?: undefined} | {target: string; model?: undefined};

/** A model open for scoring: its scorer, the dictionary variables it reads, and its card's summary. */
export interface LoadedModel {
  scorer: Scorer;
  variables: Variable[];
  summary: Record<string, unknown>;
  /** groups scoring with it now */
  users: number;
}

/** The folder a choice names (the newest registered model of a target, re-read from the registry each time). */
export function resolveChoice(choice: ModelChoice, modelsDir: string = MODELS_DIR): string {
  if (choice.model) return openModelDir(choice.model, modelsDir).dir;
  const newest = newestModel(choice.target!, modelsDir);
  if (!newest) throw new Error(`no registered model for target ${choice.target}: run \`npx workbench train --target ${choice.target}\``);
  return newest.dir;
}

/** The summary GET /v1/model answers: what the model is, what it predicts and how well (with its interval and n). */
export function modelSummary(scorer: Scorer): Record<string, unknown> {
  const metrics = readMetrics(scorer.dir);
  const {card, features} = scorer;
  return {
    id: scorer.id,
    version: card.trainedAt,
    target: card.target,
    definition: metrics.definition,
    type: card.model,
    trainedAt: card.trainedAt,
    dictionaryVersion: features.dictionaryVersion,
    inputs: features.variables,
    testAuc: metrics.test.auc,
    testContacts: metrics.test.n,
    bands: "1–20: 1 + the number of the training scores' ventiles at or below the probability",
    factors: "the three largest contributions to the log-odds, from the average training contact",
  };
}

export class ModelSlot {
  private constructor(
    private current: LoadedModel,
    private readonly dict: Dictionary,
    private readonly dictionaryPath: string,
    private readonly modelsDir: string,
  ) {}

  static async open(choice: ModelChoice, dict: Dictionary, dictionaryPath: string, modelsDir: string = MODELS_DIR): Promise<ModelSlot> {
    return new ModelSlot(await load(choice, dict, dictionaryPath, modelsDir), dict, dictionaryPath, modelsDir);
  }

  /** The model in use, held until `release`. */
  acquire(): LoadedModel {
    this.current.users++;
    return this.current;
  }

  release(m: LoadedModel): void {
    m.users--;
    if (m.users === 0 && m !== this.current) m.scorer.dispose();
  }

  /** The model in use now (for its summary). */
  get inUse(): LoadedModel {
    return this.current;
  }

  /** Opens the chosen model, then swaps it in; the old one serves until then and is freed once idle. */
  async switchTo(choice: ModelChoice): Promise<LoadedModel> {
    const next = await load(choice, this.dict, this.dictionaryPath, this.modelsDir);
    const old = this.current;
    this.current = next;
    if (old.users === 0 && old !== next) old.scorer.dispose();
    return next;
  }

  close(): void {
    this.current.scorer.dispose();
  }
}

async function load(choice: ModelChoice, dict: Dictionary, dictionaryPath: string, modelsDir: string): Promise<LoadedModel> {
  const scorer = await openScorer(resolveChoice(choice, modelsDir), dict, dictionaryPath, modelsDir);
  const variables = dict.variables.filter((v) => scorer.variables.includes(v.name));
  return {scorer, variables, summary: modelSummary(scorer), users: 0};
}
