// Explanation workers: blocks written in the order sent, whatever order they finish in; a worker's
// failure reaches the caller instead of hanging it.
import {expect, it} from "vitest";
import {ExplainPool} from "../../../loaders/score/pool.ts";
import {blockWriter, format, Lines, type ExplainSpec} from "../../../loaders/score/lines.ts";
import {seeded} from "../../../src/lib/metrics.ts";

const p = 6;
const rnd = seeded(3);
const layer = (inputs: number, units: number) => ({inputs, units, kernel: Float32Array.from({length: inputs * units}, () => rnd() - 0.5), bias: Float32Array.from({length: units}, () => rnd() - 0.5)});
const names = Array.from({length: p}, (_, j) => `x${j}`);
const spec: ExplainSpec = {kind: "dense", layers: [layer(p, 5), layer(5, 1)], means: Array.from({length: p}, () => rnd()), names, rawNames: names, ventiles: [0.25, 0.5, 0.75], baseText: "0.0000"};

function block(m: number, seed: number) {
  const r = seeded(seed);
  return {ids: Array.from({length: m}, (_, i) => `b${seed}-${i}`), scores: Float32Array.from({length: m}, () => r()), X: Float32Array.from({length: m * p}, () => (r() < 0.5 ? 0 : r() * 3)), m};
}

it("writes every block, in the order sent, the bytes the main thread writes", async () => {
  // Blocks of very different sizes, so later small ones finish before earlier large ones.
  const sizes = [4000, 10, 3000, 5, 2000, 1, 700];
  const expected: Buffer[] = [];
  const inline = blockWriter(spec, format(spec));
  for (const [i, m] of sizes.entries()) {
    const lines = new Lines(1 << 16, (b) => expected.push(Buffer.from(b)));
    const b = block(m, i);
    inline(b.ids, b.scores, b.X, m, lines);
    lines.flush();
  }
  const got: Buffer[] = [];
  const pool = await ExplainPool.start(spec, 3, (bytes) => got.push(Buffer.from(bytes)));
  for (const [i, m] of sizes.entries()) {
    const b = block(m, i);
    await pool.send(b.ids, b.scores, b.X, m);
  }
  await pool.close();
  expect(Buffer.concat(got).toString()).toBe(Buffer.concat(expected).toString());
  expect(Buffer.concat(got).toString().split("\n").length - 1).toBe(sizes.reduce((a, b) => a + b, 0));
}, 60_000);

it("hands blocks over in shared memory, never transferring (detaching) a buffer", async () => {
  const kinds: boolean[] = [];
  const pool = await ExplainPool.start(spec, 2, (bytes) => kinds.push(bytes.buffer instanceof SharedArrayBuffer));
  const b = block(300, 7);
  const X = pool.buffer(b.X.length);
  X.set(b.X);
  expect(X.buffer).toBeInstanceOf(SharedArrayBuffer);
  await pool.send(b.ids, b.scores, X, b.m);
  await pool.send(b.ids, b.scores, b.X, b.m); // an ordinary array is copied, not detached
  await pool.close();
  expect(X.length).toBe(b.X.length); // a transfer would have left it empty
  expect(b.X.length).toBe(300 * p);
  expect(b.scores.length).toBe(300);
  expect(kinds).toEqual([true, true]);
}, 60_000);

it("reports a worker's failure to the caller and stops the workers", async () => {
  // A network whose first layer does not take p inputs: the explanation throws in the worker.
  const broken: ExplainSpec = {...spec, layers: [layer(p + 1, 5), layer(5, 1)]};
  const pool = await ExplainPool.start(broken, 2, () => {});
  const b = block(50, 9);
  const run = (async () => {
    for (let i = 0; i < 5; i++) await pool.send([...b.ids], b.scores.slice(), b.X.slice(), b.m);
    await pool.close();
  })();
  await expect(run).rejects.toThrow(/pathIntegratedGradients expects dense ReLU layers/);
  await pool.terminate();
}, 60_000);
