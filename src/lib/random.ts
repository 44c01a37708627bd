/**
 * Seeded randomness for the shared modules: a small generator (mulberry32) and a
 * seed taken from a text (a model id), so every bootstrap and simulation is
 * reproducible and the same model always draws the same resamples. Kept apart from
 * metrics.ts so calibration.ts can use it without an import cycle.
 *
 * @example const rand = seeded(seedFromText("info_sharing-logistic-c107487b07fe")); rand() // 0 ≤ x < 1
 */

/** A small seeded generator (mulberry32): the same seed gives the same sequence in Node and the browser. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed from a text (FNV-1a over its UTF-16 code units): one seed per model id,
 * so training and every reader of a model draw the same bootstrap resamples.
 *
 * @example seedFromText("info_sharing-mlp-4150f1acf5d5") // a whole number in 0 … 2^32 − 1
 */
export function seedFromText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
