/**
 * What a score summary (src/lib/metrics.ts scoreSummary) was computed from, as one hash: the
 * scores and labels bit for bit, the bootstrap seed and replicates, and the statistics. Training
 * writes it beside the test and validation summaries in metrics.json; the evaluation reuses a
 * summary whose key equals the one it would compute, instead of bootstrapping it again.
 *
 * @example summaryKey(scores, labels, seedFromText(id)) // "3f0c…" (64 hex digits)
 */
import {createHash} from "node:crypto";
import {SUMMARY_STATISTICS} from "../../src/lib/metrics.ts";

export function summaryKey(scores: ArrayLike<number>, labels: ArrayLike<number>, seed: number, replicates = 200): string {
  const bytes = (x: ArrayLike<number>) => new Uint8Array(Float64Array.from(x).buffer);
  return createHash("sha256")
    .update(JSON.stringify({seed, replicates, statistics: SUMMARY_STATISTICS, n: scores.length}))
    .update(bytes(scores))
    .update(bytes(labels))
    .digest("hex");
}
