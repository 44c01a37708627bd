/**
 * The Training page's settings, checked as typed: the raw text of each field in,
 * either the settings a run can use or a message per field saying what is wrong
 * and what would do. Pure, so the page's messages are tested in Node; the page
 * shows each message beside its field and keeps Train disabled while any stands.
 */
import type {FeatureVariable} from "./features.js";
import type {MlpConfig} from "./models.js";
import type {SplitPlan} from "./splits.js";
import type {LiveConfig} from "./live-training.js";

/** A target the page offers (src/data/models.json `targets`). */
export interface TargetOption {
  name: string;
  label: string;
  definition?: string;
}

/** What the fields hold as the user left them: the choices as values, the typed fields as their text. */
export interface RawSettings {
  target: TargetOption;
  groups: string[];
  model: "logistic" | "mlp";
  hidden: string;
  epochs: string | number;
  learningRate: string | number;
  ridge: string | number;
}

/** Settings a run can use. */
export interface TrainingSettings {
  target: TargetOption;
  groups: string[];
  model: "logistic" | "mlp";
  hidden: number[];
  epochs: number;
  learningRate: number;
  ridge: number;
}

/** A message per field that stops training (fields the chosen model does not use are not checked). */
export type SettingsProblems = Partial<Record<keyof RawSettings, string>>;

/** Limits the page enforces, matching its inputs. */
export const LIMITS = {
  layers: 4,
  units: 512,
  epochs: [1, 30],
  learningRate: [0.0001, 0.1],
  ridge: [0, 100],
} as const;

/**
 * Hidden layer sizes from text such as "32, 16": whole numbers from 1 to 512, at
 * most four layers. Returns the sizes or a message naming what was not understood.
 * @example parseHiddenLayers("32,16") // {layers: [32, 16]}
 * @example parseHiddenLayers("abc").problem // 'Hidden layers: "abc" is not a layer size; ...'
 */
export function parseHiddenLayers(text: string): {layers: number[]; problem?: undefined} | {layers?: undefined; problem: string} {
  const help = `whole numbers from 1 to ${LIMITS.units} separated by commas, e.g. 16 or 32, 16`;
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (!parts.length) return {problem: `Hidden layers: give at least one layer size (${help}).`};
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > LIMITS.units);
  if (bad !== undefined) return {problem: `Hidden layers: "${bad.slice(0, 20)}" is not a layer size; use ${help}.`};
  if (parts.length > LIMITS.layers)
    return {problem: `Hidden layers: at most ${LIMITS.layers} layers (${parts.length} given), e.g. 32, 16.`};
  return {layers: parts.map(Number)};
}

/** A number typed in a field: NaN when empty or not a number. */
function numberOf(raw: string | number): number {
  if (typeof raw === "number") return raw;
  return raw.trim() === "" ? NaN : Number(raw);
}

function inRange(label: string, raw: string | number, [lo, hi]: readonly [number, number], integer = false): string | undefined {
  const x = numberOf(raw);
  const kind = integer ? "a whole number" : "a number";
  const shown = String(raw).trim().slice(0, 20);
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < lo || x > hi)
    return `${label}: ${kind} from ${lo} to ${hi}${shown === "" ? " is needed" : ` (not "${shown}")`}.`;
  return undefined;
}

/**
 * Checks the raw settings: at least one feature group, and the fields the chosen
 * model uses (hidden layers, epochs and learning rate for the MLP; ridge for the
 * logistic model). Returns the settings when nothing is wrong, and the problems by field.
 * @example checkSettings({...raw, groups: []}).problems.groups // "Feature groups: tick at least one; ..."
 */
export function checkSettings(raw: RawSettings): {settings?: TrainingSettings; problems: SettingsProblems} {
  const problems: SettingsProblems = {};
  if (!raw.groups?.length) problems.groups = "Feature groups: tick at least one; a model needs features to learn from.";
  let hidden: number[] = [];
  if (raw.model === "mlp") {
    const parsed = parseHiddenLayers(String(raw.hidden ?? ""));
    if (parsed.layers) hidden = parsed.layers;
    else problems.hidden = parsed.problem;
    const epochs = inRange("Epochs", raw.epochs, LIMITS.epochs, true);
    if (epochs) problems.epochs = epochs;
    const rate = inRange("Learning rate", raw.learningRate, LIMITS.learningRate);
    if (rate) problems.learningRate = rate;
  } else {
    const ridge = inRange("Ridge", raw.ridge, LIMITS.ridge);
    if (ridge) problems.ridge = ridge;
  }
  if (Object.keys(problems).length) return {problems};
  return {
    problems,
    settings: {
      target: raw.target,
      groups: [...raw.groups],
      model: raw.model,
      hidden,
      epochs: raw.model === "mlp" ? numberOf(raw.epochs) : 1,
      learningRate: numberOf(raw.learningRate),
      ridge: raw.model === "logistic" ? numberOf(raw.ridge) : 0,
    },
  };
}

/** The variables the page offers (src/data/models.json `variables`): a feature and its group. */
export type OfferedVariable = FeatureVariable & {group: string};

/**
 * The run's configuration from checked settings: the chosen groups' variables, the
 * seeded MLP (batch 256, L2 1e-5, the seed `workbench train` uses) or the exact logistic fit.
 * @example liveConfig(settings, spec.variables, spec.split)
 */
export function liveConfig(settings: TrainingSettings, variables: OfferedVariable[], split: SplitPlan): LiveConfig {
  const mlp: MlpConfig = {
    hidden: settings.hidden,
    epochs: settings.epochs,
    batchSize: 256,
    learningRate: settings.learningRate,
    l2: 1e-5,
    seed: 20190331,
  };
  return {
    target: `y_${settings.target.name}`,
    variables: variables.filter((v) => settings.groups.includes(v.group)),
    model: settings.model,
    ridge: settings.ridge,
    mlp,
    split,
  };
}
