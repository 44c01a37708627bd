/**
 * An explanation worker (see loaders/score/pool.ts): receives its model's
 * `ExplainSpec` once, then blocks of encoded rows with their scores, and returns
 * each block's CSV lines as bytes, with the row buffer for reuse.
 * Runs without the TypeScript loader: the pool bundles this file to plain JS.
 */
import {parentPort, workerData} from "node:worker_threads";
import {blockWriter, format, Lines, type ExplainSpec} from "./lines.ts";

/** A block sent to a worker (its ids joined, with their lengths), or an output buffer handed back for reuse. */
export type ToWorker = {seq: number; ids: string; lengths: Uint32Array; scores: Float32Array; X: Float32Array; m: number} | {spare: Uint8Array};
/** A block's lines: the first `used` bytes of `bytes`; with the row buffer, for reuse. */
export interface FromWorker {
  seq: number;
  bytes: Uint8Array;
  used: number;
  X: Float32Array;
}

const SIZE = 1 << 23;
const spec = workerData as ExplainSpec;
const write = blockWriter(spec, format(spec));
/** An output buffer in shared memory (handed to the main thread and back without detaching: see pool.ts). */
const sharedBytes = (): Uint8Array => new Uint8Array(new SharedArrayBuffer(SIZE));
const lines = new Lines(sharedBytes());
const spares: Uint8Array[] = [];
parentPort!.on("message", (msg: ToWorker) => {
  if ("spare" in msg) return void spares.push(msg.spare);
  const {seq, ids: joined, lengths, scores, X, m} = msg;
  const ids = new Array<string>(lengths.length);
  for (let i = 0, at = 0; i < lengths.length; at += lengths[i++]) ids[i] = joined.slice(at, at + lengths[i]);
  write(ids, scores, X, m, lines);
  const {bytes, used} = lines.detach(spares.pop() ?? sharedBytes());
  const reply: FromWorker = {seq, bytes, used, X};
  parentPort!.postMessage(reply);
});
