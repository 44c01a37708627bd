// Seeded draws for the impact estimators' simulations (src/lib/random.ts underneath), so every
// test's data are the same on every machine and a test fails only when the code changes.
import {seeded} from "../../../src/lib/random.ts";

export interface Draws {
  uniform: () => number;
  normal: (mean?: number, sd?: number) => number;
  bernoulli: (p: number) => number;
  int: (n: number) => number;
  poisson: (mean: number) => number;
}

export function draws(seed: number): Draws {
  const u = seeded(seed);
  const normal = (mean = 0, sd = 1) => {
    const a = Math.max(u(), 1e-12);
    return mean + sd * Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
  return {
    uniform: u,
    normal,
    bernoulli: (p) => (u() < p ? 1 : 0),
    int: (n) => Math.floor(u() * n),
    poisson: (mean) => {
      if (mean > 50) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
      let k = 0;
      let p = Math.exp(-mean);
      let s = p;
      const x = u();
      while (x > s) {
        k++;
        p *= mean / k;
        s += p;
      }
      return k;
    },
  };
}

export const logit = (p: number) => Math.log(p / (1 - p));
export const expit = (z: number) => 1 / (1 + Math.exp(-z));

/** Counts how many of `seeds` satisfy `check`. */
export const countSeeds = (seeds: number[], check: (seed: number) => boolean) => seeds.filter(check).length;

/** Seeds 1..n. */
export const seeds = (n: number, from = 1) => Array.from({length: n}, (_, i) => from + i);

/** Every number anywhere in a value (to check that no NaN reaches a page). */
export function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}
