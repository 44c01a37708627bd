/**
 * Agreement and overrides during the pilot: of the contacts where the screener saw the model's
 * band, how often the final decision agreed with it, followed it or overrode it — overall, by band
 * and by team — each share with its Wilson interval; and what happened to the children afterwards
 * (e.g. re-contact within 90 days) where staff overrode the band against where they followed it,
 * as a difference with Newcombe's interval. A group with fewer than `minContacts` contacts reads
 * "too few to tell" instead of shares. Pure, shared by Node and the browser.
 *
 * @example
 *   overrideSummary({band, team, action, outcome}).byBand[0]
 *   // {group: "1", n: 412, shares: [{action: "agreed", rate: {rate: 0.71, lo, hi, …}}, …], tooFew: null}
 */
import {wilson, type RateInterval} from "../intervals.js";
import {newcombeDifference} from "../outcome-test.js";
import {twoProportionP} from "./distributions.js";
import {estimate, MIN_CONTACTS, tooFew, type Result} from "./result.js";

/** Pilot contacts as aligned columns. */
export interface OverrideRecords {
  /** the band the screener saw */
  band: ArrayLike<string>;
  team: ArrayLike<string>;
  /** what the final decision did with the band ("agreed", "followed", "overrode"); null = not recorded (left out) */
  action: ArrayLike<string | null>;
  /** optional outcome per contact: 1 happened (e.g. re-contacted within 90 days), 0 did not, −1 not known yet (censored) */
  outcome?: ArrayLike<number>;
}

export interface GroupShares {
  group: string;
  n: number;
  /** each action's share with its Wilson interval; empty when too few */
  shares: {action: string; rate: RateInterval}[];
  /** the reason when the group is too small to judge, else null */
  tooFew: string | null;
}

export interface OutcomeByAction {
  action: string;
  /** contacts with a known outcome, and of them how many had it */
  n: number;
  k: number;
  /** rate with Wilson interval; null below `minContacts` */
  rate: RateInterval | null;
  /** contacts whose outcome is not known yet */
  unknown: number;
}

export interface OverrideSummary {
  overall: GroupShares;
  byBand: GroupShares[];
  byTeam: GroupShares[];
  /** the outcome where staff overrode against where they followed the band (null without outcomes) */
  outcome: {label: string; byAction: OutcomeByAction[]; difference: Result} | null;
  method: string;
}

const natural = (a: string, b: string) => a.localeCompare(b, "en", {numeric: true});

function shares(group: string, idx: number[], action: ArrayLike<string | null>, actions: string[], minContacts: number): GroupShares {
  const n = idx.length;
  if (n < minContacts) return {group, n, shares: [], tooFew: `${n} contacts (fewer than ${minContacts})`};
  return {
    group,
    n,
    shares: actions.map((a) => ({action: a, rate: wilson(idx.filter((i) => action[i] === a).length, n)})),
    tooFew: null,
  };
}

function groupBy(keys: ArrayLike<string>, rows: number[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const i of rows) {
    const list = by.get(keys[i]) ?? [];
    list.push(i);
    by.set(keys[i], list);
  }
  return new Map([...by.entries()].sort((a, b) => natural(a[0], b[0])));
}

/** Shares agreed/followed/overrode by band and team, and the outcome where staff overrode against followed. */
export function overrideSummary(
  r: OverrideRecords,
  {
    actions = ["agreed", "followed", "overrode"],
    compare = ["overrode", "followed"],
    outcomeLabel = "re-contact within 90 days",
    minContacts = MIN_CONTACTS,
  }: {actions?: string[]; compare?: [string, string]; outcomeLabel?: string; minContacts?: number} = {},
): OverrideSummary {
  const method =
    `Shares of pilot contacts whose final decision ${actions.join(", ")} the band the screener saw, with Wilson 95% intervals; ` +
    `groups under ${minContacts} contacts read "too few to tell".`;
  const rows: number[] = [];
  for (let i = 0; i < r.action.length; i++) if (r.action[i] !== null && r.action[i] !== undefined && r.action[i] !== "") rows.push(i);
  const overall = shares("all", rows, r.action, actions, minContacts);
  const byBand = [...groupBy(r.band, rows)].map(([g, idx]) => shares(g, idx, r.action, actions, minContacts));
  const byTeam = [...groupBy(r.team, rows)].map(([g, idx]) => shares(g, idx, r.action, actions, minContacts));
  let outcome: OverrideSummary["outcome"] = null;
  if (r.outcome) {
    const o = r.outcome;
    const byAction = actions.map((a): OutcomeByAction => {
      const idx = rows.filter((i) => r.action[i] === a);
      const known = idx.filter((i) => o[i] === 0 || o[i] === 1);
      const k = known.filter((i) => o[i] === 1).length;
      return {
        action: a,
        n: known.length,
        k,
        rate: known.length >= minContacts ? wilson(k, known.length) : null,
        unknown: idx.length - known.length,
      };
    });
    const [a, b] = compare.map((c) => byAction.find((x) => x.action === c) ?? {action: c, n: 0, k: 0, rate: null, unknown: 0});
    const outcomeMethod = `${outcomeLabel}: the rate where staff ${a.action} the band minus the rate where they ${b.action} it, with Newcombe's hybrid score 95% interval (contacts whose outcome is known).`;
    const thin = [a, b].find((x) => x.n < minContacts);
    const difference = thin
      ? tooFew(
          a.n + b.n,
          `${thin.n} contacts where staff ${thin.action} the band with a known outcome (fewer than ${minContacts})`,
          outcomeMethod,
        )
      : (() => {
          const d = newcombeDifference(a.k, a.n, b.k, b.n);
          return estimate({
            value: d.value,
            lo: d.lo,
            hi: d.hi,
            p: twoProportionP(a.k, a.n, b.k, b.n),
            nullValue: 0,
            n: a.n + b.n,
            method: outcomeMethod,
          });
        })();
    outcome = {label: outcomeLabel, byAction, difference};
  }
  return {overall, byBand, byTeam, outcome, method};
}
