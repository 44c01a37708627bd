/**
 * The model card (Mitchell et al. 2019) and the Algorithmic Transparency
 * Recording Standard record (tier 1 summary, tier 2 detail) of the published
 * model. Every number comes from the registry (card.json, metrics.json,
 * features.json), the dictionary or the public results (after disclosure
 * control); the prose around them is fixed text about the workbench. Change
 * the model and rebuild, and every figure changes with it.
 */
import {basename} from "node:path";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {suppressOneWay, type DisclosureOptions} from "../../src/lib/disclosure.ts";
import {publicResults, scoredTestContacts} from "./results.ts";
import {readCard, readFeatures, readMetrics} from "../registry.ts";
import {ensurePublicModel, publicDisclosure} from "./settings.ts";
import {publishTable} from "./publish.ts";

interface Estimate {
  value: number;
  lo: number;
  hi: number;
  n: number;
  replicates: number;
}
interface MetricsFile {
  target: string;
  definition: string;
  split: Record<string, number | Record<string, string>> & {plan: Record<string, string>};
  test: {n: number; positives: number; prevalence: number; auc: Estimate; brier: Estimate; baselineBrier: number};
  validation: {n: number; positives: number; prevalence: number; auc: Estimate; brier: Estimate; baselineBrier: number};
  baselines: {prevalence: {auc: number; note: string}; oneVariable?: {auc: Estimate; brier: Estimate; label: string}};
  ventiles: number[];
}
interface CardFile {
  id: string;
  target: string;
  model: string;
  dataHash: string;
  dictionaryVersion: string;
  gitCommit: string;
  seed: number;
  config: {ridge?: number; mlp?: {hidden: number[]; epochs: number}; includeProtected?: boolean; split: Record<string, string>};
  backend: string;
  tfjs: string;
  features: number;
  trainedAt: string;
  trainingSeconds: number;
}

/** A metric as published: value, 95% interval and the number of contacts it was computed on. */
function metric(name: string, e: Estimate, baseline: {name: string; value: number}, options: DisclosureOptions) {
  return {name, value: e.value, lo: e.lo, hi: e.hi, contacts: suppressOneWay([{key: "n", n: e.n}], options).total, baseline};
}

/** The model card and the ATRS record of a model folder, with its public results. */
export async function modelCardData(
  modelDir?: string,
  dict: Dictionary = loadDictionary(),
  options: DisclosureOptions = publicDisclosure(),
  dbPath?: string,
) {
  modelDir ??= await ensurePublicModel();
  const card = readCard(modelDir) as unknown as CardFile;
  const m = readMetrics(modelDir) as unknown as MetricsFile;
  const features = readFeatures(modelDir);
  const results = publicResults(await scoredTestContacts(modelDir, dict, dbPath), m, dict, options);
  const label = (name: string) =>
    dict.variables.find((v) => v.name === name)?.label ?? features.history?.find((h) => h.name === name)?.definition ?? name;
  const splitNames = ["train", "valid", "test", "pilot", "excluded", "censored"] as const;
  const split = publishTable(
    suppressOneWay(
      splitNames.filter((k) => typeof m.split[k] === "number").map((k) => ({key: k, n: m.split[k] as number})),
      options,
      "contacts",
    ),
  );
  const prevalenceBaseline = {name: "same score for everyone", value: m.baselines.prevalence.auc};

  const modelCard = {
    details: {
      id: card.id ?? basename(modelDir),
      type:
        card.model === "logistic"
          ? "logistic regression (exact ridge fit)"
          : `neural network (multi-layer perceptron, hidden layers ${card.config.mlp?.hidden.join("×")})`,
      target: card.target,
      trainedAt: card.trainedAt.slice(0, 10),
      gitCommit: card.gitCommit.slice(0, 12),
      seed: card.seed,
      software: `TensorFlow.js ${card.tfjs} (${card.backend} backend)`,
      dictionaryVersion: card.dictionaryVersion,
      dataHash: card.dataHash.slice(0, 16),
      inputs: features.variables.map(label),
      encodedColumns: card.features,
      protectedAttributesUsedAsInputs: card.config.includeProtected === true,
    },
    // outcome: the definition without its bracketed note, to read in a sentence.
    intendedUse: {target: card.target, definition: m.definition, outcome: m.definition.split(" (")[0]},
    factors: dict.variables.filter((v) => v.role === "protected").map((v) => ({name: v.name, label: v.label, definition: v.definition})),
    metrics: [
      metric("AUC on test contacts", m.test.auc, prevalenceBaseline, options),
      ...(m.baselines.oneVariable
        ? [
            metric(
              `AUC of a model that only knows ${m.baselines.oneVariable.label.toLowerCase()}`,
              m.baselines.oneVariable.auc,
              prevalenceBaseline,
              options,
            ),
          ]
        : []),
      metric(
        "Brier score on test contacts (lower is better)",
        m.test.brier,
        {name: "the average rate for everyone", value: m.test.baselineBrier},
        options,
      ),
      metric("AUC on validation contacts", m.validation.auc, prevalenceBaseline, options),
    ],
    data: {plan: m.split.plan, split},
    operatingPoint: results.operatingPoint,
    fairness: results.fairness,
  };

  const atrs = {
    tier1: {
      name: "MASH Workbench triage support model",
      description: `A statistical model that estimates, for a contact received by the Multi-Agency Safeguarding Hub, how likely it is that ${m.definition.split(" (")[0].replace(/^the staff decision: /, "")}. Staff see the estimate with its reasons; it supports, never overrides, their judgement.`,
      howItWorks: `A ${modelCard.details.type} trained on past contacts (${modelCard.details.inputs.length} inputs from the contact and the child's history).`,
      whyUsed: "To help staff check that similar contacts are treated consistently, and to surface contacts that may need a second look.",
      humanOversight:
        "Every decision is made by MASH staff. The score is advice shown beside the contact; staff can and do decide differently.",
    },
    tier2: {
      owner: "The MASH board (accountable), the council's analytics team (builds and checks the model)",
      phase:
        "Research and piloting: the model is evaluated on past contacts and in working sessions with MASH staff; it is not used to decide anything",
      decisionProcess: [
        "A contact arrives and is recorded as today; the score and its main reasons appear beside it.",
        "The screener reads the contact, checks what agencies know and decides, as today; the score is one input among many.",
        "Disagreements between the model and staff are reviewed case by case in working sessions, and the verdicts are recorded.",
      ],
      impactAssessments:
        "A data protection impact assessment and an equality impact assessment are required before any live use; this record is updated when they are completed.",
      model: {...modelCard.details, trainingSeconds: card.trainingSeconds},
      data: {
        source: "Contacts recorded by the MASH case system, anonymised, with pseudonymised references",
        dictionaryVersion: card.dictionaryVersion,
        split,
        plan: m.split.plan,
      },
      performance: modelCard.metrics,
      risks: [
        `The target is ${m.definition}.`,
        'Groups with few contacts have wide intervals; where counts are small the site shows "c" or "too few to tell".',
        "Protected characteristics are not model inputs, but other inputs can stand in for them: the error rates by group on the results page show where the model works less well.",
      ],
    },
  };
  return {modelCard, atrs, threshold: results.threshold};
}
