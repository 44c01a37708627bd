// The scoring lines: the logistic shortcut writes exactly what the general path writes, and the
// line buffer hands over what it holds.
import {expect, it} from "vitest";
import {blockWriter, csvField, explainer, format, Lines, writeBlock, type ExplainSpec} from "../../../loaders/score/lines.ts";
import {seeded} from "../../../src/lib/metrics.ts";

/** Collects what a Lines spills, as text. */
function sink(size = 64): {lines: Lines; text: () => string} {
  const parts: Buffer[] = [];
  const lines = new Lines(size, (b) => parts.push(Buffer.from(b)));
  return {lines, text: () => (lines.flush(), Buffer.concat(parts).toString("utf8"))};
}

it("logisticWriter writes the bytes of contributions + writeBlock: ties, zeros, NaN, values other than 0 and 1", () => {
  const rnd = seeded(11);
  const p = 23;
  // Weights with ties in size (±0.5, 0.25), zeros, and a column whose mean is 0 (its value at 0 is 0).
  const kernel = Float32Array.from({length: p}, (_, j) => [0.5, -0.5, 0, 0.25, -0.25][j % 5] * (j < 10 ? 1 : rnd() * 2));
  kernel[8] = 3; // the column whose name needs quoting is often among the top three
  const means = Array.from({length: p}, (_, j) => (j === 3 ? 0 : j % 4 === 0 ? 0.5 : rnd()));
  // Columns 0 and 1 always tie in size (±1), and often make the top three: the name decides.
  kernel[0] = 2;
  kernel[1] = -2;
  means[0] = means[1] = 0.5;
  const names = Array.from({length: p}, (_, j) => (j === 8 ? 'name, with "quote"' : `col∋${String.fromCharCode(122 - j)}`));
  const spec: ExplainSpec = {kind: "logistic", kernel, means, names: names.map(csvField), rawNames: names, ventiles: [0.1, 0.2, 0.5, 0.9], baseText: "-1.2345"};
  const m = 3000;
  const X = new Float32Array(m * p);
  for (let i = 0; i < m * p; i++) {
    const u = rnd();
    const j = i % p;
    X[i] = j >= 20 ? (u < 0.1 ? 0 : u < 0.12 ? NaN : (u - 0.5) * 6) : u < 0.7 ? 0 : 1; // three "scaled" columns
  }
  for (let j = 0; j < 20; j++) X[5 * p + j] = 0; // a row all at 0 but for its scaled columns
  X.fill(1, 6 * p, 7 * p); // a row all at 1
  const ids = Array.from({length: m}, (_, i) => (i === 2 ? "id,2" : `C${i}`));
  const scores = Float32Array.from({length: m}, () => rnd());
  const f = format(spec);
  const a = sink(), b = sink(1 << 20);
  writeBlock(f, ids, scores, explainer(spec)(X, m), m, a.lines);
  blockWriter(spec, format(spec))(ids, scores, X, m, b.lines);
  const expected = a.text();
  expect(expected.split("\n").length).toBe(m + 1);
  expect(expected).toContain(`"id,2"`);
  expect(expected).toContain(`"name, with ""quote"""`);
  expect(b.text()).toBe(expected);
});

it("Lines can start in a given buffer, shared memory included, and hands that buffer over", () => {
  const lines = new Lines(new Uint8Array(new SharedArrayBuffer(32)));
  lines.write("shared\n");
  const {bytes, used} = lines.detach(new Uint8Array(new SharedArrayBuffer(32)));
  expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(Buffer.from(bytes.subarray(0, used)).toString()).toBe("shared\n");
});

it("Lines spills when full, grows without a spill, and detach hands over the bytes written", () => {
  const {lines, text} = sink(8);
  lines.write("abc\n");
  lines.write("a line longer than the buffer\n");
  lines.write("é\n");
  expect(text()).toBe("abc\na line longer than the buffer\né\n");
  const grow = new Lines(4);
  grow.write("12345678\n");
  grow.write("x\n");
  const {bytes, used} = grow.detach(new Uint8Array(16));
  expect(Buffer.from(bytes.subarray(0, used)).toString()).toBe("12345678\nx\n");
  grow.write("next\n");
  expect(Buffer.from(grow.detach(new Uint8Array(4)).bytes.subarray(0, 5)).toString()).toBe("next\n");
});
