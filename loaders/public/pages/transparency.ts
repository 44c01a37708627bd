/**
 * The public page "Transparency record" (the UK Algorithmic Transparency
 * Recording Standard, tiers 1 and 2) as Markdown, from public-model-card.json,
 * every part written into the page at build time.
 */
import {escapeHtml, publicTableHtml} from "../../../src/components/public-table.ts";
import {keyValueTable, metricsTable, type ModelCardData} from "./model-card.ts";
import {pageStart, valuesOf, type PageContext} from "./page.ts";

/** The file this page reads. */
export const TRANSPARENCY_FILE = "public-model-card.json";

/** The page's Markdown. */
export function transparencyPage(card: ModelCardData, context: PageContext): string {
  const v = valuesOf(TRANSPARENCY_FILE, card);
  const {tier1, tier2} = card.atrs;
  const list = (tag: "ol" | "ul", items: readonly string[], path: string) =>
    `<${tag} data-rows="${TRANSPARENCY_FILE}:${path}">${items.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</${tag}>`;
  const tool: [string, string][] = [
    ["Model", tier2.model.id],
    ["Type", tier2.model.type],
    ["Trained", tier2.model.trainedAt],
    ["Code version", tier2.model.gitCommit],
    ["Software", tier2.model.software],
    ["Random seed", String(tier2.model.seed)],
    ["Training time (s)", tier2.model.trainingSeconds.toFixed(1)],
    ["Inputs", tier2.model.inputs.join("; ")],
  ];
  return [
    pageStart("Transparency record", context, "Algorithmic transparency record"),
    "Following the UK Algorithmic Transparency Recording Standard: tier 1 for everyone, tier 2 in detail. Filled from the model's registry files when the site is built.",
    "",
    "## Tier 1: summary",
    "",
    keyValueTable(
      [
        ["Name", tier1.name],
        ["Description", tier1.description],
        ["How it works", tier1.howItWorks],
        ["Why it is used", tier1.whyUsed],
        ["Human oversight", tier1.humanOversight],
      ],
      "Tier 1: summary",
      `${TRANSPARENCY_FILE}:atrs.tier1`,
    ),
    "",
    "## Tier 2: detail",
    "",
    "### Owner and responsibility",
    "",
    `${v("atrs.tier2.owner")}. Phase: ${v("atrs.tier2.phase")}.`,
    "",
    "### Decision-making process",
    "",
    list("ol", tier2.decisionProcess, "atrs.tier2.decisionProcess"),
    "",
    "### The tool",
    "",
    keyValueTable(tool, "The tool", `${TRANSPARENCY_FILE}:atrs.tier2.model`),
    "",
    "### Data",
    "",
    `${v("atrs.tier2.data.source")}; dictionary version ${v("atrs.tier2.data.dictionaryVersion")}.`,
    "",
    publicTableHtml(tier2.data.split, {
      corner: "Part",
      caption: "Contacts used for training, validation and testing",
      source: `${TRANSPARENCY_FILE}:atrs.tier2.data.split`,
    }),
    "",
    "### Performance",
    "",
    metricsTable(tier2.performance, `${TRANSPARENCY_FILE}:atrs.tier2.performance`, {baseline: false}),
    "",
    "### Risks and mitigations",
    "",
    list("ul", tier2.risks, "atrs.tier2.risks"),
    "",
    "### Impact assessments",
    "",
    v("atrs.tier2.impactAssessments"),
    "",
  ].join("\n");
}
