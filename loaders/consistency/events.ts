/**
 * Known changes in practice that the Consistency page marks on its time lines,
 * each with where its date comes from. A change concerns either every contact or
 * a segment (dictionary variables and codes), and the page shows that segment's
 * rate beside the rest. On a real extract this list is the MASH's own record of
 * policy changes, edited in a working session like the dictionary; a change whose
 * segment names a variable or code the dictionary lacks (another council's or
 * another field's data) is left out.
 */
import type {Dictionary} from "../dictionary.ts";
import type {SplitPlan} from "../../src/lib/splits.ts";

export interface ChangeEvent {
  id: string;
  kind: "change" | "window";
  label: string;
  /** first day the change applies */
  start: string;
  /** last day of a window (inclusive) */
  end?: string;
  /** the contacts it concerns, as dictionary variable → code; empty = every contact */
  segment: Record<string, string>;
  segmentLabel: string;
  source: string;
}

/** Revised threshold guidance for standard-risk domestic-abuse notifications. */
export const POLICY_SHIFT: ChangeEvent = {
  id: "policy_shift",
  kind: "change",
  label: "Revised threshold guidance",
  start: "2017-10-01",
  segment: {da_risk_level: "standard"},
  segmentLabel: "standard-risk domestic-abuse notifications (DASH standard)",
  source: "docs/synthetic-data.md, planted effect policy_shift (generator parameter staffEffects.policyShiftDate)",
};

/**
 * The change events for an extract. The pilot window comes from the newest
 * model's split plan (card.json config.split.pilotFrom/pilotTo), the dates the
 * models already hold apart, and is left out when the plan names none. Given a
 * dictionary, only changes whose segment it defines (variable and code) are kept.
 */
export function changeEvents(split?: Partial<SplitPlan>, dict?: Dictionary): ChangeEvent[] {
  const defined = (e: ChangeEvent) =>
    !dict ||
    Object.entries(e.segment).every(([name, code]) => dict.variables.find((v) => v.name === name)?.codes?.some((c) => c.code === code));
  const events = [POLICY_SHIFT].filter(defined);
  if (split?.pilotFrom && split.pilotTo) {
    events.push({
      id: "pilot",
      kind: "window",
      label: "Model pilot alongside practice",
      start: split.pilotFrom,
      end: split.pilotTo,
      segment: {},
      segmentLabel: "every contact",
      source: "the newest model's card.json (config.split.pilotFrom, pilotTo)",
    });
  }
  return events;
}
