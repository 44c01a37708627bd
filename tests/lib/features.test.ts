// Feature encoding: columns from the dictionary, scaling fitted on training rows only, round trips.
import {expect, it} from "vitest";
import {decodeRow, encode, fitEncoding, type FeatureVariable, type Row} from "../../src/lib/features.ts";

const vars: FeatureVariable[] = [
  {name: "source", type: "category", codes: [{code: "police"}, {code: "school"}, {code: "health"}]},
  {name: "concerns", type: "multi-category", codes: [{code: "neglect"}, {code: "dv"}]},
  {name: "age", type: "integer", special_codes: [{code: "unborn"}]},
  {name: "cp", type: "boolean"},
];
const train: Row[] = [
  {source: "police", concerns: ["dv"], age: 4, cp: true},
  {source: "school", concerns: ["neglect", "dv"], age: 10, cp: false},
  {source: "health", concerns: ["neglect"], age: null, age_code: "unborn", cp: false},
  {source: null, concerns: [], age: 16, cp: null},
];

it("names one column per code, missing columns only where training had missing values", () => {
  const enc = fitEncoding(vars, train);
  expect(enc.columns.map((c) => c.name)).toEqual([
    "source=police",
    "source=school",
    "source=health",
    "source:missing",
    "concerns∋neglect",
    "concerns∋dv",
    "age",
    "age=unborn",
    "age:missing",
    "cp",
    "cp:missing",
  ]);
});

it("scales with the training mean and sample SD, never with other rows", () => {
  const enc = fitEncoding(vars, train);
  const age = enc.columns.find((c) => c.name === "age")!;
  if (age.kind !== "scaled") throw new Error("age should be scaled");
  expect(age.mean).toBe(10);
  expect(age.sd).toBeCloseTo(6, 12);
  const other = fitEncoding(vars, [...train, {source: "police", concerns: [], age: 100, cp: true}]);
  expect((other.columns.find((c) => c.name === "age") as {mean: number}).mean).not.toBe(10);
  // Encoding a test row does not move the training statistics.
  const X = encode(enc, [{source: "police", concerns: [], age: 100, cp: true}]);
  expect(X[6]).toBeCloseTo((100 - 10) / 6, 12);
});

it("round-trips codes, lists, numbers and special codes; a missing number sits at the mean with its flag", () => {
  const enc = fitEncoding(vars, train);
  const X = encode(enc, train);
  const p = enc.columns.length;
  const back = train.map((_, i) => decodeRow(enc, X.subarray(i * p, (i + 1) * p)));
  expect(back[0]).toMatchObject({source: "police", concerns: ["dv"], age: 4, cp: true});
  expect(back[1]).toMatchObject({source: "school", concerns: ["neglect", "dv"], age: 10, cp: false});
  expect(back[2]).toMatchObject({source: "health", concerns: ["neglect"], age_code: "unborn"});
  expect(X[2 * p + enc.columns.findIndex((c) => c.name === "age:missing")]).toBe(0); // unborn is not "missing"
  expect(X[3 * p + enc.columns.findIndex((c) => c.name === "source:missing")]).toBe(1);
  expect(X[3 * p + enc.columns.findIndex((c) => c.name === "cp:missing")]).toBe(1);
  // Encoding is deterministic: the same rows give the same bits.
  expect(Buffer.from(encode(enc, train).buffer).equals(Buffer.from(X.buffer))).toBe(true);
});
