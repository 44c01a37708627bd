/**
 * The scoring output, a block of contacts at a time: each contact's explanation
 * (exact signed log-odds contributions), its top three factors, and its CSV line,
 * written as bytes into a reused buffer. The same code runs on the main thread and
 * in the explanation workers (loaders/score/pool.ts), so both write the same bytes.
 *
 * Everything an explainer needs is plain data (`ExplainSpec`), so it can be sent
 * to a worker as it is.
 *
 * @example
 *   const explain = explainer(spec);
 *   writeBlock(format(spec), ids, scores, explain(X, m), m, lines);
 */
import {band, contributionRows, nameRanks, pathIntegratedGradients, topFactorIndices, type DenseLayer} from "../../src/lib/contributions.ts";

/** How a model's scores are explained: the logistic weights, or a dense ReLU network's layers. */
export type ExplainSpec = {
  /** column names as the CSV shows them (already escaped) */
  names: string[];
  /** names unescaped, for the order `topFactors` breaks ties in */
  rawNames: string[];
  /** training means of the columns: the explanations' starting point */
  means: number[];
  ventiles: number[];
  /** log-odds of the average training contact, as printed */
  baseText: string;
} & ({kind: "logistic"; kernel: Float32Array} | {kind: "dense"; layers: DenseLayer[]});

/** A CSV field: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
export const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export const HEADER = ["contact_id", "probability", "band", "baseline_log_odds", "factor_1", "contribution_1", "factor_2", "contribution_2", "factor_3", "contribution_3"];

/** The contributions of a block of rows (m × p, row-major), on the log-odds scale from the training means. */
export function explainer(spec: ExplainSpec): (X: Float32Array, m: number) => ArrayLike<number> {
  const p = spec.means.length;
  if (spec.kind === "logistic") {
    let buffer = new Float64Array(0);
    return (X, m) => {
      if (buffer.length < m * p) buffer = new Float64Array(m * p);
      return contributionRows(X.subarray(0, m * p), m, spec.kernel, spec.means, buffer);
    };
  }
  // Exact integrated gradients for dense ReLU networks (see pathIntegratedGradients), into arrays
  // reused block after block.
  const into = {attributions: new Float64Array(0), logits: new Float64Array(0)};
  return (X, m) => {
    if (into.attributions.length < m * p) into.attributions = new Float64Array(m * p);
    if (into.logits.length < m) into.logits = new Float64Array(m);
    return pathIntegratedGradients(spec.layers, X.subarray(0, m * p), m, p, spec.means, into).attributions;
  };
}

/** What `writeBlock` needs besides the block: names, their tie-break ranks, bands, baseline. */
export interface Format {
  names: string[];
  rank: Int32Array;
  ventiles: number[];
  baseText: string;
  top: Int32Array;
}

export const format = (spec: Pick<ExplainSpec, "names" | "rawNames" | "ventiles" | "baseText">): Format => ({
  names: spec.names, rank: nameRanks(spec.rawNames), ventiles: spec.ventiles, baseText: spec.baseText, top: new Int32Array(3),
});

/**
 * Lines encoded into one reused buffer as they are made. When it fills, `spill`
 * gets the bytes so far (a file writer); without `spill` the buffer grows, and
 * `detach` hands over the buffer itself (a worker's block, shared without a copy:
 * fresh memory for every block costs more here than the formatting).
 * (Holding a block of lines as strings until a join keeps ~20 small strings per
 * line alive through garbage collections: measured 8× slower on a million lines.)
 */
export class Lines {
  private buffer: Buffer;
  private used = 0;
  /** `start` is the first buffer, or its size. */
  constructor(start: number | Uint8Array, private spill?: (bytes: Uint8Array) => void) {
    this.buffer = typeof start === "number" ? Buffer.allocUnsafe(start) : Buffer.from(start.buffer, start.byteOffset, start.length);
  }
  write(line: string): void {
    const most = line.length * 3; // UTF-8 bytes at most
    if (this.used + most > this.buffer.length) {
      if (this.spill) {
        this.flush();
        if (most > this.buffer.length) return this.spill(Buffer.from(line, "utf8"));
      } else {
        const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.used + most));
        this.buffer.copy(grown, 0, 0, this.used);
        this.buffer = grown;
      }
    }
    this.used += this.buffer.write(line, this.used, "utf8");
  }
  /** Passes what is buffered to `spill`. */
  flush(): void {
    if (this.used && this.spill) this.spill(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
  /** Hands over the buffer (what was written is its first `used` bytes) and continues in `next`. */
  detach(next: Uint8Array): {bytes: Uint8Array; used: number} {
    const out = {bytes: new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length), used: this.used};
    this.buffer = Buffer.from(next.buffer, next.byteOffset, next.length);
    this.used = 0;
    return out;
  }
}

/**
 * Lines joined before each write into the buffer, by `logisticWriter`: one write per line costs
 * ~0.15 s more per million lines there; joining many more (1,024) is slower again. (`writeBlock`,
 * whose lines hold more fresh number texts, measured slower joined: it writes line by line.)
 */
const LINES_PER_WRITE = 128;

/** Writes one CSV line per row: id, probability, band, baseline and the three largest contributions. */
export function writeBlock(f: Format, ids: string[], scores: ArrayLike<number>, contrib: ArrayLike<number>, m: number, out: Lines): void {
  const p = f.names.length;
  const {names, top} = f;
  for (let r = 0; r < m; r++) {
    topFactorIndices(contrib, r * p, p, f.rank, top);
    let factors = "";
    for (let k = 0; k < 3; k++) factors += top[k] < 0 ? ",," : `,${names[top[k]]},${contrib[r * p + top[k]].toFixed(4)}`;
    out.write(`${csvField(ids[r])},${scores[r].toFixed(6)},${band(scores[r], f.ventiles)},${f.baseText}${factors}\n`);
  }
}

/**
 * `writeBlock` for a logistic model, the same bytes with less work per row. A column
 * at 0 contributes the constant w_j · (0 − mean_j), so the columns at 0 are ranked once:
 * each row needs only its non-zero columns (computed) and the first three columns at 0
 * in that ranking, and the three picked are chosen from those by the same order as
 * `topFactorIndices` (size, then name). The texts of the columns at 0 and at 1 are
 * made once. (Measured 1.5 → 0.9 s per million rows here.)
 */
export function logisticWriter(spec: ExplainSpec & {kind: "logistic"}, f: Format): BlockWriter {
  const {kernel: w, means: mu} = spec;
  const {names, rank} = f;
  const p = mu.length;
  const at0 = Float64Array.from(mu, (x, j) => w[j] * (0 - x));
  const at1 = Float64Array.from(mu, (x, j) => w[j] * (1 - x));
  const text0 = names.map((name, j) => `,${name},${at0[j].toFixed(4)}`);
  const text1 = names.map((name, j) => `,${name},${at1[j].toFixed(4)}`);
  // Columns whose value at 0 can be shown (not 0, not NaN), largest first, ties by name.
  const ranked = Int32Array.from(
    names.map((_, j) => j).filter((j) => at0[j] !== 0 && at0[j] === at0[j]).sort((a, b) => Math.abs(at0[b]) - Math.abs(at0[a]) || rank[a] - rank[b]),
  );
  const top = new Int32Array(3);
  const topAbs = new Float64Array(3);
  const topVal = new Float64Array(3);
  let filled = 0;
  // Offers column j with contribution v to the three best so far (sorted: largest first).
  const offer = (j: number, v: number) => {
    if (v === 0 || v !== v) return;
    const a = Math.abs(v);
    let pos = filled;
    while (pos > 0 && (a > topAbs[pos - 1] || (a === topAbs[pos - 1] && rank[j] < rank[top[pos - 1]]))) pos--;
    if (pos >= 3) return;
    for (let s = Math.min(filled, 2); s > pos; s--) {
      top[s] = top[s - 1];
      topAbs[s] = topAbs[s - 1];
      topVal[s] = topVal[s - 1];
    }
    top[pos] = j;
    topAbs[pos] = a;
    topVal[pos] = v;
    if (filled < 3) filled++;
  };
  return (ids, scores, X, m, out) => {
    let batch = "";
    for (let r = 0, row = 0; r < m; r++, row += p) {
      filled = 0;
      for (let j = 0; j < p; j++) {
        const x = X[row + j];
        if (x !== 0) offer(j, w[j] * (x - mu[j]));
      }
      for (let i = 0, taken = 0; i < ranked.length && taken < 3; i++) {
        const j = ranked[i];
        if (X[row + j] === 0) {
          offer(j, at0[j]);
          taken++;
        }
      }
      let factors = "";
      for (let k = 0; k < 3; k++) {
        if (k >= filled) factors += ",,";
        else {
          const j = top[k], x = X[row + j];
          factors += x === 0 ? text0[j] : x === 1 ? text1[j] : `,${names[j]},${topVal[k].toFixed(4)}`;
        }
      }
      batch += `${csvField(ids[r])},${scores[r].toFixed(6)},${band(scores[r], f.ventiles)},${f.baseText}${factors}\n`;
      if ((r + 1) % LINES_PER_WRITE === 0) {
        out.write(batch);
        batch = "";
      }
    }
    if (batch) out.write(batch);
  };
}

/** Writes a block's lines for a model `spec` describes: the logistic shortcut, or contributions then `writeBlock`. */
export type BlockWriter = (ids: string[], scores: ArrayLike<number>, X: Float32Array, m: number, out: Lines) => void;
export function blockWriter(spec: ExplainSpec, f: Format): BlockWriter {
  return spec.kind === "logistic" ? logisticWriter(spec, f) : explainedWriter(f, explainer(spec));
}

/** Writes a block's lines from any explanation of its rows (contributions, m × p), then `writeBlock`. */
export function explainedWriter(f: Format, explain: (X: Float32Array, m: number) => ArrayLike<number>): BlockWriter {
  return (ids, scores, X, m, out) => writeBlock(f, ids, scores, explain(X, m), m, out);
}

