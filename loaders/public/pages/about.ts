/**
 * The public page "About the model" as Markdown, from public-model-card.json:
 * what the model does and does not do, in words, with its figures written in
 * at build time.
 */
import {pageStart, valuesOf, type PageContext} from "./page.ts";
import type {ModelCardData} from "./model-card.ts";

/** The file this page reads. */
export const ABOUT_FILE = "public-model-card.json";

/** The page's Markdown. */
export function aboutPage(card: ModelCardData, context: PageContext): string {
  const v = valuesOf(ABOUT_FILE, card);
  return [
    pageStart("About the model", context),
    "## The problem",
    "",
    `A Multi-Agency Safeguarding Hub (MASH) receives thousands of contacts a year from police,
schools, health services, family members and others who are worried about a child. Staff
read each contact, check what the agencies know, and decide what should happen next. They
must be quick and consistent, and the stakes are high.`,
    "",
    "## What the model does",
    "",
    `It reads what is recorded when a contact arrives, and the child's history with children's
services (${v("modelCard.details.inputs.length")} inputs, listed on the model card), and estimates
how likely this is: <em>${v("modelCard.intendedUse.outcome")}</em>.
It is a ${v("modelCard.details.type")}, trained on past contacts. On contacts it had not seen, it ranks a
contact that went on to this outcome above one that did not ${v("modelCard.metrics.0.value", "pct", 'data-check="auc-percent"')}% of the time
(95% interval ${v("modelCard.metrics.0.lo", "pct")}–${v("modelCard.metrics.0.hi", "pct")}%), against ${v("modelCard.metrics.0.baseline.value", "pct")}% for guessing. See the
[model card](./model-card) and [how well it works](./results).`,
    "",
    "## What it does not do",
    "",
    `- It does **not** make decisions. It **supports, never overrides,** professional judgement:
  staff see the estimate and the reasons behind it, and decide.
- It does not see names, addresses or free text, and does not use gender, ethnicity or
  disability as inputs. We still check how well it works for each group, because other
  inputs can stand in for them.
- It learns from past staff decisions, including their inconsistencies; it is not a measure
  of what is truly best for a child.`,
    "",
    "## What is published here",
    "",
    `Only counts and rates for groups of contacts. Counts of 1 to ${v("threshold")} are shown as
"c", and other counts are hidden the same way where needed so that a hidden count cannot be
worked out from totals. No record about any child, family or member of staff is on this site.
Read the [data sheet](./data-sheet) and the [transparency record](./transparency).`,
    "",
  ].join("\n");
}
