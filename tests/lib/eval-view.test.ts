import {describe, expect, it} from "vitest";
import {fairnessTable, flags, scoreSlider, view, type Cohort, type ModelColumns} from "../../src/lib/eval-view.ts";

const cohort: Cohort = {
  target: "info_sharing",
  n: 6,
  split: {levels: ["pilot", "test"], codes: [1, 1, 1, 1, 1, 0]},
  day: {levels: ["2018-07-01", "2018-07-02"], codes: [0, 0, 0, 1, 1, 1]},
  y: [1, 0, 1, 0, 1, 1],
  groups: {
    gender: {levels: ["female", "male"], codes: [0, 0, 1, 1, 1, 0]},
    source: {levels: ["police", "school"], codes: [0, 1, 0, 1, 0, 1]},
  },
};
const model: ModelColumns = {
  id: "m",
  cohort: 0,
  score: [0.9, 0.2, 0.4, 0.6, 0.1, 0.5],
  band: [20, 4, 9, 14, 2, 10],
  household: [0.1, 0, 0.3, -0.1, 0, 0],
};

describe("evaluation view", () => {
  it("keeps only the chosen split, aligned", () => {
    const v = view(cohort, model);
    expect(v.n).toBe(5);
    expect(v.score).toEqual([0.9, 0.2, 0.4, 0.6, 0.1]);
    expect(v.groups.gender).toEqual(["female", "female", "male", "male", "male"]);
    expect(v.month).toEqual(["2018-07", "2018-07", "2018-07", "2018-07", "2018-07"]);
  });

  it("turns score, band and capacity settings into flags", () => {
    const v = view(cohort, model);
    expect(Array.from(flags({mode: "score", value: 0.4}, v))).toEqual([1, 0, 1, 1, 0]);
    expect(Array.from(flags({mode: "band", value: 10}, v))).toEqual([1, 0, 0, 1, 0]);
    expect(Array.from(flags({mode: "capacity", value: 1}, v))).toEqual([1, 0, 0, 1, 0]);
  });

  it("fairness rows: counts per group, the largest group as reference, intersections", () => {
    const v = view(cohort, model);
    const f = flags({mode: "score", value: 0.4}, v);
    const t = fairnessTable(v, ["gender"], f, {minN: 1});
    const male = t.find((r) => r.group === "male")!;
    expect(male.reference).toBe(true);
    // male: y = [1, 0, 1], flags = [1, 1, 0] → tp 1, fp 1, fn 1, tn 0
    expect(male.confusion).toEqual({tp: 1, fp: 1, tn: 0, fn: 1, n: 3});
    expect(male.fnr).toMatchObject({k: 1, n: 2});
    expect(t.find((r) => r.group === "female")!.tooFew).toBe(false);
    expect(fairnessTable(v, ["gender"], f).every((r) => r.tooFew)).toBe(true);
    expect(fairnessTable(v, ["gender", "source"], f, {minN: 1}).map((r) => r.group)).toEqual([
      "female · police",
      "female · school",
      "male · police",
      "male · school",
    ]);
    expect(() => fairnessTable(v, ["nope"], f)).toThrow(/unknown attribute "nope"/);
  });
});

describe("scoreSlider", () => {
  it("keeps the probability range for probabilities, and spans any other score in its own steps", () => {
    expect(scoreSlider(Float64Array.from([0.1, 0.5, 0.93]))).toEqual({min: 0.02, max: 0.9, step: 0.01, value: 0.2});
    expect(scoreSlider([1, 4, 10, 7])).toEqual({min: 1, max: 10, step: 1, value: 6});
    expect(scoreSlider([-2.5, 0, 3.5])).toEqual({min: -2.5, max: 3.5, step: 0.06, value: 0.8000000000000003});
    expect(scoreSlider([])).toEqual({min: 0.02, max: 0.9, step: 0.01, value: 0.2});
  });
});
