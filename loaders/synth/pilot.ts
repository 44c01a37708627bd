/**
 * The pilot's design in the generator: which teams run it, the band the screener sees (the
 * ventile of a model-like score, with cuts fixed before the pilot starts) and how the
 * screener's recorded decision relates to the band. Pure functions; the engine applies them
 * (and plants the pilot's effects) in its one pass.
 *
 * @example
 *   choosePilotTeams(undefined, 20190331) // two of T1–T4, the same two for the seed everywhere
 *   bandOf(0.42, ventileCuts(scoresBeforeThePilot)) // 1–20
 */
import {Rng} from "./random.ts";
import * as P from "./params.ts";

/** The generator's team codes (T1 … T4), as the extract's team column holds them. */
export function teamCodes(): string[] {
  return Array.from({length: P.staffEffects.teams}, (_, i) => `T${i + 1}`);
}

/** How the screener's recorded decision relates to the band's suggestion. */
export const PILOT_RESPONSES = ["agreed", "followed", "overrode"] as const;
export type PilotResponse = (typeof PILOT_RESPONSES)[number];

/** The random stream the default choice of pilot teams draws from (none of the contacts' streams). */
const TEAM_STREAM = 12;

/**
 * The teams that run the pilot, in team order: every team for "all", the listed ones (each a
 * known team code, none twice), or by default `pilot.teamShare` of them (rounded down, at least
 * one) drawn by seed from a stream of their own, so the choice moves no other draw.
 */
export function choosePilotTeams(requested: readonly string[] | "all" | undefined, seed: number): string[] {
  const teams = teamCodes();
  if (requested === "all") return teams;
  if (requested === undefined) {
    const rng = Rng.stream(seed, TEAM_STREAM);
    const pool = teams.slice();
    const n = Math.max(1, Math.floor(teams.length * P.pilot.teamShare));
    const chosen = new Set<string>();
    for (let k = 0; k < n; k++) chosen.add(pool.splice(rng.int(pool.length), 1)[0]);
    return teams.filter((t) => chosen.has(t));
  }
  if (requested.length === 0) throw new Error(`name at least one pilot team (or "all"); the generator's teams: ${teams.join(", ")}`);
  const seen = new Set<string>();
  for (const t of requested) {
    if (!teams.includes(t)) throw new Error(`unknown pilot team "${t}"; the generator's teams: ${teams.join(", ")}`);
    if (seen.has(t)) throw new Error(`pilot team "${t}" is named twice`);
    seen.add(t);
  }
  return teams.filter((t) => seen.has(t));
}

/**
 * The score cuts between bands: cut k (k = 1 … bands − 1) is the score at the k/bands quantile of
 * `scores` (the year before the pilot), so each band held 1/bands of those contacts and a band
 * means the same thing all through the pilot.
 */
export function ventileCuts(scores: readonly number[], bands = P.pilot.bands): number[] {
  if (scores.length < bands)
    throw new Error(`the pilot's bands need at least ${bands} scored contacts before it starts, got ${scores.length}`);
  const sorted = Float64Array.from(scores).sort();
  return Array.from({length: bands - 1}, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bands)]);
}

/** The band (1 … cuts.length + 1) of a score: one more than the number of cuts at or below it. */
export function bandOf(score: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= score) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/**
 * The screener's response to the band: "overrode" when the recorded decision goes against the
 * band's suggestion; otherwise "agreed" when the screener's own judgement (the would-be decision)
 * already matched it, "followed" when it did not.
 */
export function screenerResponse(suggestsSharing: boolean, wouldShare: boolean, shared: boolean): PilotResponse {
  if (shared !== suggestsSharing) return "overrode";
  return wouldShare === suggestsSharing ? "agreed" : "followed";
}
