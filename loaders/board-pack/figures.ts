/**
 * What the board pack quotes of the Impact page's data (loaders/impact/types.ts ImpactData): the
 * headline estimates, each with the comparison the page fixed before its figures, whether it holds
 * after Holm's correction, and the counts that give them scale. Aggregates only.
 *
 * @example boardFigures(impact, {synthetic: true, computedOn: "2026-12-05"})
 */
import type {ImpactData} from "../impact/types.ts";
import {CLAIMS} from "../impact/compute.ts";
import type {ClaimVerdict} from "../../src/lib/impact/multiplicity.ts";
import type {Result} from "../../src/lib/impact/result.ts";
import type {BoardHeadline, BoardPackFigures} from "./render.ts";

/** Whether the pre-registered claim `name` (one of loaders/impact/compute.ts CLAIMS) holds after Holm's correction. */
export function claimedAfterHolm(name: string, claims: readonly ClaimVerdict[]): boolean {
  return claims.find((c) => c.name === name)?.claimed ?? false;
}

export function boardFigures(d: ImpactData, {synthetic, computedOn}: {synthetic: boolean; computedOn: string}): BoardPackFigures {
  const h = d.headline;
  const claims = h.claims;
  // `claim` indexes CLAIMS: the verdict is looked up by the claim's name, never by its p-value.
  const line = (
    question: string,
    comparison: string,
    result: Result,
    kind: BoardHeadline["kind"],
    meaning: [string, string],
    claim: number,
  ): BoardHeadline => ({question, comparison, result, kind, meaning, claimed: claimedAfterHolm(CLAIMS[claim], claims)});
  const caseMix = `Adjusted for case mix with model ${d.caseMix.model}, which knows neither the date nor who decided.`;
  return {
    pilot: {
      start: d.design.window.start,
      end: d.design.window.end,
      teams: d.design.pilotTeams.length,
      otherTeams: d.design.otherTeams.length,
    },
    modelId: d.caseMix.model,
    synthetic,
    computedOn,
    counts: [
      {label: "Contacts decided in the period analysed", n: d.data.decided},
      {label: "Contacts in the pilot teams during the pilot", n: d.design.pilotContacts},
      {label: "… of which the screener saw the model's band", n: d.design.banded},
    ],
    headlines: [
      line(
        "Are decisions quicker in the pilot teams?",
        d.decisionTime.comparison,
        h.decisionTimeRatio,
        "ratio",
        ["less time from contact to decision", "more time from contact to decision"],
        0,
      ),
      line(
        "Are screeners' sharing decisions more consistent?",
        `${d.consistency.comparison} ${caseMix}`,
        h.screenerSdRatio,
        "ratio",
        [
          "smaller spread between screeners (a ratio of 0.5 means the differences between screeners halved)",
          "larger spread between screeners",
        ],
        2,
      ),
      line(
        "Do fewer contacts end with staff not sharing information?",
        d.noSharing.comparison,
        h.noFurtherSharing.difference,
        "points",
        ["fewer contacts that staff did not share", "more contacts that staff did not share"],
        3,
      ),
      line(
        "Safety: are more children re-contacted within 30 days of no further action?",
        d.safety.comparison,
        h.safety30,
        "points",
        ["fewer re-contacts after no further action", "more re-contacts after no further action"],
        4,
      ),
      line(
        "Safety: … and within 90 days?",
        d.safety.comparison,
        h.safety90,
        "points",
        ["fewer re-contacts after no further action", "more re-contacts after no further action"],
        5,
      ),
    ],
  };
}
