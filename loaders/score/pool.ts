/**
 * Explanation workers: the per-contact explanation and CSV formatting, the
 * largest share of scoring after validation, spread over worker threads while
 * the main thread reads, encodes and predicts the next blocks. Blocks come back
 * in any order and are written in the order they were sent, so the output is the
 * same bytes as writing them on the main thread.
 *
 * The workers run plain JavaScript: explain-worker.ts and what it imports are
 * bundled once per process with esbuild (starting a worker under the TypeScript
 * loader cost ~0.4 s of CPU each; a plain one ~0.08 s).
 *
 * Row and output buffers live in shared memory and are handed back and forth, never transferred:
 * transferring detaches an ArrayBuffer, and once any buffer of a thread has been detached, V8
 * checks for detachment at every typed-array access there, which slowed the explanations ~20 %
 * (4.7–5.0 against 6.0 s per million rows, measured in a fresh process with and without one detach).
 *
 * @example
 *   const pool = await ExplainPool.start(spec, 2, (bytes) => writeSync(fd, bytes));
 *   await pool.send(ids, scores, X, m);   // waits while too many blocks are in flight
 *   const X2 = pool.buffer(rows);         // a returned row buffer, or a new one
 *   await pool.close();                   // everything written
 */
import {Worker} from "node:worker_threads";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";
import type {ExplainSpec} from "./lines.ts";
import type {FromWorker, ToWorker} from "./explain-worker.ts";

/** A Float32Array in shared memory (see above: handed over without detaching anything). */
export const sharedFloats = (length: number): Float32Array => new Float32Array(new SharedArrayBuffer(length * 4));

let bundled: Promise<string> | undefined;
/** The worker's code as one CommonJS script (bundled once per process). */
function workerCode(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL("./explain-worker.ts", import.meta.url))],
    bundle: true, format: "cjs", platform: "node", target: "node20", write: false, logLevel: "silent",
  }).then((r) => r.outputFiles[0].text);
  return bundled;
}

export class ExplainPool {
  private next = 0; // sequence number of the next block sent
  private written = 0; // … and of the next block to write
  private done = new Map<number, {bytes: Uint8Array; used: number; worker: Worker}>();
  private idle: Worker[];
  private queue: Extract<ToWorker, {seq: number}>[] = [];
  private free: Float32Array[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;

  private constructor(private workers: Worker[], private write: (bytes: Uint8Array) => void, private maxInFlight: number) {
    this.idle = [...workers];
    for (const w of workers) {
      w.on("message", (out: FromWorker) => this.received(w, out));
      w.on("error", (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => code !== 0 && !this.stopped && this.fail(new Error(`an explanation worker stopped (exit code ${code})`)));
    }
  }

  /** Starts `count` workers explaining with `spec`; `write` gets each block's bytes, in order. */
  static async start(spec: ExplainSpec, count: number, write: (bytes: Uint8Array) => void): Promise<ExplainPool> {
    const code = await workerCode();
    const workers = Array.from({length: count}, () => new Worker(code, {eval: true, workerData: spec, execArgv: []}));
    return new ExplainPool(workers, write, 2 * count);
  }

  /** A row buffer of at least `length` values: one a worker has handed back, or a new one. */
  buffer(length: number): Float32Array {
    const X = this.free.pop();
    return X && X.length >= length ? X : sharedFloats(length);
  }

  /** Queues a block (X, in shared memory, is the worker's until it comes back by `buffer`); waits while too many blocks are in flight. */
  async send(ids: string[], scores: Float32Array, X: Float32Array, m: number): Promise<void> {
    this.check();
    // The ids travel as one text and their lengths: cloning a block's strings one by one costs the
    // worker more (~0.3 s per million) than cutting them out of one.
    const lengths = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) lengths[i] = ids[i].length;
    this.queue.push({seq: this.next++, ids: ids.join(""), lengths, scores, X, m});
    this.dispatch();
    while (this.next - this.written > this.maxInFlight) await this.wait();
  }

  /** Waits for every block to be written, then stops the workers. */
  async close(): Promise<void> {
    try {
      while (this.written < this.next) await this.wait();
    } finally {
      await this.terminate();
    }
  }

  /** Stops the workers at once (after a failure elsewhere); nothing is written after this. */
  async terminate(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const block = this.queue.shift()!;
      this.idle.pop()!.postMessage(block); // X is shared; the small arrays are copied
    }
  }

  private received(w: Worker, {seq, bytes, used, X}: FromWorker): void {
    if (this.stopped) return; // a message still queued when the workers were stopped
    this.idle.push(w);
    this.free.push(X);
    this.done.set(seq, {bytes, used, worker: w});
    try {
      for (let b; (b = this.done.get(this.written)); this.written++) {
        this.done.delete(this.written);
        this.write(b.bytes.subarray(0, b.used));
        // The buffer goes back to the worker that filled it.
        const spare: ToWorker = {spare: b.bytes};
        b.worker.postMessage(spare);
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
    this.dispatch();
    this.notify();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async wait(): Promise<void> {
    this.check();
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.check();
  }
}
