/**
 * The public page "Model card" (Mitchell et al. 2019) as Markdown, from
 * public-model-card.json: details, intended use, factors, metrics, data and
 * the analyses by group written into the page; one chart per group variable
 * enhances its table.
 */
import {escapeHtml, formatCount, publicTableHtml, recordsTableHtml, type PublishedTable} from "../../../src/components/public-table.ts";
import {dataCell, downloadable, importCell, NO_SCRIPT_CHART, pageStart, valuesOf, type PageContext} from "./page.ts";
import {groupRatesTable, type ResultsData} from "./results.ts";

/** The file this page reads. */
export const MODEL_CARD_FILE = "public-model-card.json";

/** A metric as published (loaders/public/model-card.ts). */
export interface PublishedMetric {
  name: string;
  value: number;
  lo: number;
  hi: number;
  contacts: number | "c";
  baseline: {name: string; value: number};
}
/** The parts of public-model-card.json the public pages show. */
export interface ModelCardData {
  threshold: number;
  modelCard: {
    details: {
      id: string;
      type: string;
      target: string;
      trainedAt: string;
      gitCommit: string;
      seed: number;
      software: string;
      dictionaryVersion: string;
      dataHash: string;
      inputs: string[];
      encodedColumns: number;
      protectedAttributesUsedAsInputs: boolean;
    };
    intendedUse: {definition: string; outcome: string};
    factors: {name: string; label: string; definition: string}[];
    metrics: PublishedMetric[];
    data: {plan: Record<string, string>; split: PublishedTable};
    operatingPoint: {bandsFlagged: number};
    fairness: ResultsData["fairness"];
  };
  atrs: {
    tier1: Record<"name" | "description" | "howItWorks" | "whyUsed" | "humanOversight", string>;
    tier2: {
      owner: string;
      phase: string;
      decisionProcess: string[];
      impactAssessments: string;
      model: ModelCardData["modelCard"]["details"] & {trainingSeconds: number};
      data: {source: string; dictionaryVersion: string; split: PublishedTable};
      performance: PublishedMetric[];
      risks: string[];
    };
  };
}

/** Two columns, no header: a label and its value (model details, tier 1 of the ATRS). */
export function keyValueTable(entries: readonly [string, string][], caption: string, source: string): string {
  return recordsTableHtml(
    [
      {key: "item", label: "Item"},
      {key: "value", label: "Value"},
    ],
    entries.map(([item, value]) => ({item, value})),
    {caption, source, header: false},
  );
}

/** Metrics with their intervals, contacts and baselines. */
export function metricsTable(metrics: readonly PublishedMetric[], source: string, {baseline = true} = {}): string {
  const f3 = (x: number) => x.toFixed(3);
  return recordsTableHtml(
    [
      {key: "metric", label: "Metric"},
      {key: "value", label: "Value", numeric: true},
      {key: "interval", label: "95% interval", numeric: true},
      {key: "contacts", label: "Contacts", numeric: true},
      ...(baseline ? [{key: "baseline", label: "Baseline"}] : []),
    ],
    metrics.map((m) => ({
      metric: m.name,
      value: f3(m.value),
      interval: `${f3(m.lo)}–${f3(m.hi)}`,
      contacts: formatCount(m.contacts),
      baseline: `${m.baseline.name}: ${f3(m.baseline.value)}`,
    })),
    {caption: "Metrics", source},
  );
}

/** The page's Markdown. */
export function modelCardPage(card: ModelCardData, context: PageContext): string {
  const v = valuesOf(MODEL_CARD_FILE, card);
  const d = card.modelCard;
  const details: [string, string][] = [
    ["Model", d.details.id],
    ["Type", d.details.type],
    ["Predicts", d.details.target],
    ["Trained", d.details.trainedAt],
    ["Code version", d.details.gitCommit],
    ["Random seed", String(d.details.seed)],
    ["Software", d.details.software],
    ["Dictionary version", d.details.dictionaryVersion],
    ["Data fingerprint", d.details.dataHash],
    ["Encoded inputs", String(d.details.encodedColumns)],
  ];
  const fairness = d.fairness.map(
    (f, i) => `<div class="card">
<h3>${escapeHtml(f.label)}</h3>
<div class="public-chart">\${${downloadable(`resize((width) => PublicRates(card.modelCard.fairness[${i}].groups, {width, rate: "truePositiveRate", xLabel: "Flagged among contacts with the outcome"}))`, `flagged-outcome-happened-by-${f.variable}`, `rateRows(card.modelCard.fairness[${i}].groups, "truePositiveRate")`)}}</div>${NO_SCRIPT_CHART}
${groupRatesTable(f.groups, `${MODEL_CARD_FILE}:modelCard.fairness.${i}.groups`)}
</div>`,
  );
  return [
    pageStart("Model card", context),
    "Following Mitchell et al. (2019), *Model Cards for Model Reporting*. Every figure is read from the model's registry files when the site is built.",
    "",
    dataCell("card", MODEL_CARD_FILE),
    importCell(["PublicRates", "rateRows"], "public-rates"),
    importCell("Downloadable", "downloads"),
    "## Model details",
    "",
    keyValueTable(details, "Model details", `${MODEL_CARD_FILE}:modelCard.details`),
    "",
    "## Intended use",
    "",
    `To help MASH staff triage contacts consistently: a score beside each contact, with its
reasons, that **supports, never overrides,** their judgement. What it predicts:
${v("modelCard.intendedUse.definition", "text", 'data-check="definition"')}. Not for use outside the MASH,
on other populations, or to decide anything without a member of staff.`,
    "",
    "## Factors",
    "",
    `Groups we report on separately: ${escapeHtml(d.factors.map((f) => f.label.toLowerCase()).join(", "))}.
They are ${d.details.protectedAttributesUsedAsInputs ? "" : "not "}inputs of the model. Inputs: ${escapeHtml(d.details.inputs.join("; "))}.`,
    "",
    "## Metrics",
    "",
    metricsTable(d.metrics, `${MODEL_CARD_FILE}:modelCard.metrics`),
    "",
    "## Evaluation and training data",
    "",
    `Contacts are split by date, and each child's contacts stay on one side: training before
${v("modelCard.data.plan.validFrom")}, validation until ${v("modelCard.data.plan.testFrom")}, test from
${v("modelCard.data.plan.testFrom")}${
      d.data.plan.pilotFrom && d.data.plan.pilotTo
        ? `; the pilot period (${v("modelCard.data.plan.pilotFrom")} to ${v("modelCard.data.plan.pilotTo")}) is kept apart`
        : ""
    }.`,
    "",
    publicTableHtml(d.data.split, {
      corner: "Part",
      caption: "Contacts in each part of the split",
      source: `${MODEL_CARD_FILE}:modelCard.data.split`,
    }),
    "",
    "## Quantitative analyses",
    "",
    `Test contacts by group, at an illustrative operating point (the top
${v("modelCard.operatingPoint.bandsFlagged")} of 20 score bands flagged): how many were flagged among
those that went on to the outcome.`,
    "",
    ...fairness.flatMap((c) => [c, ""]),
    "## Ethical considerations",
    "",
    `The model learns from staff decisions, so it can repeat their biases. Protected
characteristics are not inputs, but other inputs can stand in for them; the analyses above
show where it works less well. Staff always decide.`,
    "",
    "## Caveats and recommendations",
    "",
    `Groups with few contacts have wide intervals or show "too few to tell"; counts of 1 to
${v("threshold")} are shown as "c". Check the model again whenever recording practice
changes, and before using it in another area.`,
    "",
  ].join("\n");
}
