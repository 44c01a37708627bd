// What-if probing (src/lib/whatif.ts) on tiny inline models: the score from the weights,
// contributions that add up to logit − baseline for both model kinds, values in words,
// Gower distance by hand, and nearest contacts that are in another band.
// (Against `workbench score` on a registered model: tests/loaders/pages/whatif.test.ts.)
import {describe, expect, it} from "vitest";
import {fitEncoding, type FeatureVariable, type Row} from "../../src/lib/features.ts";
import {band, type DenseLayer} from "../../src/lib/contributions.ts";
import {
  changes,
  forwardLogit,
  gower,
  numericRanges,
  topContributions,
  valueProblem,
  valueText,
  whatIfProbe,
  whatIfScorer,
  type FormVariable,
  type WhatIfData,
  type WhatIfModel,
} from "../../src/lib/whatif.ts";
import {seeded} from "../../src/lib/random.ts";

const variables: FormVariable[] = [
  {
    name: "source",
    label: "Who made the contact",
    type: "category",
    required: true,
    codes: [
      {code: "police", label: "Police"},
      {code: "school", label: "Schools"},
      {code: "health", label: "Health services"},
    ],
  },
  {name: "age", label: "Age (years)", type: "integer", range: [0, 17], special_codes: [{code: "unborn", label: "Unborn child"}]},
  {
    name: "worries",
    label: "Concerns",
    type: "multi-category",
    required: true,
    codes: [
      {code: "neglect", label: "Neglect"},
      {code: "da", label: "Domestic abuse"},
      {code: "cse", label: "Child sexual exploitation"},
    ],
  },
  {
    name: "plan",
    label: "Ever on a plan",
    type: "boolean",
    codes: [
      {code: "yes", label: "Yes"},
      {code: "no", label: "No"},
    ],
  },
  {name: "earlier", label: "Records about the same child in the 365 days before", type: "integer", range: null, history: true},
];

/** 60 seeded rows over every kind of value (missing and special codes included). */
function makeRows(n = 60, seed = 3): Row[] {
  const rand = seeded(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  return Array.from({length: n}, (_, i) => {
    const unborn = rand() < 0.1;
    return {
      _id: `R${i}`,
      source: pick(["police", "school", "health"]),
      age: unborn ? null : rand() < 0.05 ? null : Math.floor(rand() * 18),
      age_code: unborn ? "unborn" : null,
      worries: pick(["neglect", "da", "neglect;da", "cse", "da;cse"]),
      plan: rand() < 0.1 ? null : rand() < 0.3,
      earlier: Math.floor(rand() * 4),
    };
  });
}

const rows = makeRows();
const encoding = fitEncoding(variables as FeatureVariable[], rows.slice(0, 40));
const p = encoding.columns.length;
const means = Array.from({length: p}, (_, j) => {
  const c = encoding.columns[j];
  return c.kind === "scaled" ? 0 : 0.25 + 0.5 * ((j * 7) % 5) * 0.1;
});
const rand = seeded(11);
const weights = (m: number) => Array.from({length: m}, () => Math.fround(rand() * 2 - 1));
const ventiles = Array.from({length: 19}, (_, k) => (k + 1) / 20);

function model(kind: "logistic" | "mlp", layers: DenseLayer[]): WhatIfModel {
  return {
    id: `tiny-${kind}`,
    target: "shared",
    targetLabel: "Staff shared information",
    model: kind,
    features: {...encoding, means},
    ventiles,
    layers,
    labels: {columns: Object.fromEntries(encoding.columns.map((c) => [c.name, `label of ${c.name}`]))},
    sample: rows.map((_, i) => i),
    testN: rows.length,
  };
}
const logistic = model("logistic", [{kernel: weights(p), bias: [0.3], inputs: p, units: 1}]);
const mlp = model("mlp", [
  {kernel: weights(p * 6), bias: weights(6), inputs: p, units: 6},
  {kernel: weights(6 * 3), bias: weights(3), inputs: 6, units: 3},
  {kernel: weights(3), bias: [0.1], inputs: 3, units: 1},
]);
const data: WhatIfData = {
  sample: {perBand: 100},
  variables,
  contacts: {
    id: rows.map((r) => String(r._id)),
    values: Object.fromEntries(["source", "age", "age_code", "worries", "plan", "earlier"].map((k) => [k, rows.map((r) => r[k] as never)])),
  },
  models: [logistic, mlp],
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("whatIfScorer", () => {
  it("scores the logistic model as sigmoid(b + w·x) on the float32 encoding, contributions w·(x − mean) summing to logit − baseline", () => {
    const s = whatIfScorer(logistic);
    const row = rows[5];
    const r = s.explain(row);
    const x = Float32Array.from(
      encoding.columns.map((c) => {
        const v = row[c.variable];
        if (c.kind === "one-hot") return v === c.code ? 1 : 0;
        if (c.kind === "multi-hot") return String(v).split(";").includes(c.code) ? 1 : 0;
        if (c.kind === "scaled") return typeof v === "number" ? (v - c.mean) / c.sd : 0;
        if (c.kind === "flag") return v === true ? 1 : 0;
        if (c.kind === "special") return row[`${c.variable}_code`] === c.code ? 1 : 0;
        return v === null && !row[`${c.variable}_code`] ? 1 : 0;
      }),
    );
    const z = x.reduce((a, xj, j) => a + xj * logistic.layers[0].kernel[j], 0.3);
    expect(r.logit).toBeCloseTo(z, 12);
    expect(r.score).toBeCloseTo(sigmoid(z), 14);
    expect(r.band).toBe(band(r.score, ventiles));
    for (let j = 0; j < p; j++) expect(r.contributions[j]).toBeCloseTo(logistic.layers[0].kernel[j] * (x[j] - means[j]), 12);
    const sum = r.contributions.reduce((a, b) => a + b, 0);
    expect(Math.abs(r.baseline + sum - r.logit)).toBeLessThan(1e-12);
  });

  it("scores the MLP by its forward pass and explains it with exact path integrated gradients that sum to logit − baseline", () => {
    const s = whatIfScorer(mlp);
    expect(s.baseline).toBeCloseTo(forwardLogit(mlp.layers, means), 14);
    const {scores, bands} = s.score(rows);
    rows.forEach((row, i) => {
      const r = s.explain(row);
      expect(r.score).toBe(scores[i]);
      expect(r.band).toBe(bands[i]);
      const sum = r.contributions.reduce((a, b) => a + b, 0);
      expect(Math.abs(r.baseline + sum - r.logit), `row ${i}`).toBeLessThan(1e-9);
    });
    // The network is not linear on these rows: scores spread over several bands.
    expect(new Set(bands).size).toBeGreaterThan(3);
  });

  it("computes a dense ReLU network's log-odds by hand", () => {
    const layers: DenseLayer[] = [
      {kernel: [1, -1, 2, 0.5], bias: [0, -1], inputs: 2, units: 2},
      {kernel: [1.5, -2], bias: [0.25], inputs: 2, units: 1},
    ];
    // h = relu([1·1 + 2·2, −1·1 + 0.5·2 − 1]) = [5, 0]; z = 0.25 + 1.5·5 = 7.75
    expect(forwardLogit(layers, [1, 2])).toBe(7.75);
    expect(() => whatIfScorer({...logistic, layers: [{kernel: [1], bias: [0], inputs: 1, units: 1}]})).toThrow(
      /first layer takes 1 inputs/,
    );
  });
});

describe("values in words", () => {
  const row: Row = {source: "school", age: null, age_code: "unborn", worries: "da;neglect", plan: false, earlier: 2};
  it("gives labels, never codes, and 'not recorded' for a missing value", () => {
    expect(variables.map((v) => valueText(v, row))).toEqual(["Schools", "Unborn child", "Domestic abuse, Neglect", "No", "2"]);
    expect(valueText(variables[3], {plan: null})).toBe("not recorded");
    expect(valueText(variables[1], {age: 12, age_code: null})).toBe("12");
    expect(valueText(variables[2], {worries: ""})).toBe("none");
  });

  it("lists the changed variables, treating concerns as a set", () => {
    const edited = {...row, worries: "neglect;da", source: "police", age: 4, age_code: null};
    expect(changes(variables, row, edited)).toEqual([
      {name: "source", label: "Who made the contact", from: "Schools", to: "Police"},
      {name: "age", label: "Age (years)", from: "Unborn child", to: "4"},
    ]);
    expect(changes(variables, row, {...row})).toEqual([]);
  });

  it("says what the dictionary would refuse: out of range, not whole, a required value missing", () => {
    expect(valueProblem(variables[1], {age: 30})).toBe("outside the dictionary's range 0–17");
    expect(valueProblem(variables[1], {age: 3.5})).toBe("not a whole number");
    expect(valueProblem(variables[1], {age: null, age_code: "unborn"})).toBeNull();
    expect(valueProblem(variables[0], {source: null})).toMatch(/requires a value/);
    expect(valueProblem(variables[4], {earlier: -1})).toBe("a count cannot be below 0");
    expect(valueProblem(variables[4], {earlier: 40})).toBeNull();
  });
});

describe("gower", () => {
  const ranges = {age: 10, earlier: 4};
  const a: Row = {source: "police", age: 5, age_code: null, worries: "neglect;da", plan: true, earlier: 1};
  it("is 0 for the same values and the mean of per-variable distances otherwise", () => {
    expect(gower(variables, ranges, a, {...a})).toEqual({distance: 0, differ: []});
    // source differs (1), age 5 → 8 over a range of 10 (0.3), concerns {neglect, da} vs {da, cse} (1 − 1/3): mean over 5.
    const b = {...a, source: "school", age: 8, worries: "da;cse"};
    const g = gower(variables, ranges, a, b);
    expect(g.distance).toBeCloseTo((1 + 0.3 + 2 / 3) / 5, 12);
    expect(g.differ).toEqual(["source", "age", "worries"]);
  });
  it("counts a special code or a missing value as different from any number, and caps a number's distance at 1", () => {
    expect(gower(variables, ranges, a, {...a, age: null, age_code: "unborn"}).distance).toBeCloseTo(1 / 5, 12);
    expect(gower(variables, ranges, a, {...a, plan: null}).distance).toBeCloseTo(1 / 5, 12);
    expect(gower(variables, ranges, a, {...a, earlier: 40}).distance).toBeCloseTo(1 / 5, 12);
  });
  it("takes numbers' ranges from the rows, special codes and missing values left out", () => {
    const r = numericRanges(variables, [{age: 3}, {age: 11}, {age: null, age_code: "unborn"}, {age: 1}]);
    expect(r).toEqual({age: 10, earlier: 0});
  });
});

describe("whatIfProbe", () => {
  it("finds the k nearest contacts in another band, nearest first, leaving out the contact being edited", () => {
    for (const m of [logistic, mlp]) {
      const probe = whatIfProbe(data, m);
      expect(probe.rows).toHaveLength(rows.length);
      const at = 7;
      const row = probe.rows[at];
      const own = probe.bands[at];
      const near = probe.nearestOtherBand(row, own, {exclude: at, k: 5});
      expect(near).toHaveLength(5);
      for (const c of near) {
        expect(c.band).not.toBe(own);
        expect(c.index).not.toBe(at);
        expect(c.distance).toBeCloseTo(gower(probe.variables, probe.ranges, row, probe.rows[c.index]).distance, 12);
        expect(c.differ.length).toBeGreaterThan(0);
      }
      expect(near.map((c) => c.distance)).toEqual([...near.map((c) => c.distance)].sort((x, y) => x - y));
      // No contact of another band is nearer than the fifth found.
      const others = probe.rows
        .map((r, i) => ({i, d: gower(probe.variables, probe.ranges, row, r).distance}))
        .filter(({i}) => i !== at && probe.bands[i] !== own);
      expect(others.filter((o) => o.d < near[4].distance).length).toBeLessThanOrEqual(4);
    }
  });

  it("refuses a model input the data do not describe", () => {
    expect(() => whatIfProbe({...data, variables: variables.slice(1)}, logistic)).toThrow(/uses "source"/);
  });

  it("charts the ten largest contributions with their labels, the rest summed, adding up to the total", () => {
    const r = whatIfScorer(mlp).explain(rows[3]);
    const top = topContributions(r.contributions, mlp, 4);
    expect(top).toHaveLength(5);
    expect(top[4].name).toBe("all other inputs");
    expect(top.slice(0, 4).every((f) => f.name.startsWith("label of "))).toBe(true);
    const total = r.contributions.reduce((a, b) => a + b, 0);
    expect(top.reduce((a, f) => a + f.value, 0)).toBeCloseTo(total, 12);
    const sizes = top.slice(0, 4).map((f) => Math.abs(f.value));
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
  });
});
