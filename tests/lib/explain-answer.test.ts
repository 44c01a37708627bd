// The Explanations page's plain-English answer (src/lib/explain.ts explanationAnswer): every
// figure in it must come from the data it is given. A seeded fixture is fitted here, its
// levels' labels attached as the loader does, and the sentences are checked against figures
// worked out in the test (reference = most frequent level by count, highest and lowest level
// by coefficient difference, the number of intervals excluding 0).
import {describe, expect, it} from "vitest";
import {fitLogistic} from "../../src/lib/logistic.ts";
import {seeded} from "../../src/lib/metrics.ts";
import {categoryBlocks, contrast, penalisedCovariance, singleCoefficient} from "../../src/lib/contrasts.ts";
import {explanationAnswer, labelValue, type AnswerInput, type ExplanationLabels} from "../../src/lib/explain.ts";

const CODES = ["police", "school", "health", "anonymous"];
const LABELS: Record<string, string> = {police: "Police", school: "Schools", health: "Health services", anonymous: "Anonymous"};

function input(): {ex: AnswerInput; counts: number[]; coef: Float64Array} {
  const r = seeded(31);
  const n = 800,
    p = 5;
  const share = [0.45, 0.3, 0.15, 0.1],
    effect = [0, 0.5, 0.9, -0.7];
  const X = new Float64Array(n * p),
    y = new Float64Array(n);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    let u = r(),
      g = 0;
    while (g < 3 && u >= share[g]) u -= share[g++];
    counts[g]++;
    X[i * p + g] = 1;
    X[i * p + 4] = r() - 0.5;
    y[i] = r() < 1 / (1 + Math.exp(-(-0.3 + effect[g] + X[i * p + 4]))) ? 1 : 0;
  }
  const columns = [
    ...CODES.map((code) => ({name: `referral_source=${code}`, variable: "referral_source", kind: "one-hot", code})),
    {name: "age", variable: "age", kind: "scaled"},
  ];
  const fit = fitLogistic(X, y, n, p, {ridge: 1});
  const cov = penalisedCovariance(fit, X, n, p, 1);
  const blocks = categoryBlocks(columns, fit.coefficients, cov, X, n);
  const labels: ExplanationLabels = {
    variables: {referral_source: "Who made the contact", age: "Age"},
    codes: {referral_source: LABELS},
    columns: {},
  };
  const ex: AnswerInput = {
    n: 300,
    importance: [
      {name: "age", drop: 0.01, min: 0.008, max: 0.012, repeats: 2, n: 300},
      {name: "referral_source", drop: 0.04, min: 0.035, max: 0.045, repeats: 2, n: 300},
    ],
    labels,
    coefficients: {
      n,
      ridge: 1,
      focus: "referral_source",
      categories: blocks.map((b) => ({...b, label: "Who made the contact", levels: b.levels.map((l) => ({...l, label: LABELS[l.code]}))})),
      rows: [{label: "Age", n, ...singleCoefficient(fit.coefficients[4], cov, 4)}],
    },
  };
  return {ex, counts, coef: fit.coefficients};
}

describe("explanationAnswer", () => {
  const {ex, counts, coef} = input();
  const lines = explanationAnswer(ex);
  const fmt = (x: number) => `${x < 0 ? "−" : "+"}${Math.abs(x).toFixed(2)}`;

  it("names the input whose shuffling costs the most AUC, with its range and n", () => {
    expect(lines[0]).toBe(
      "Of the inputs, Who made the contact matters most to the score: shuffling it across the 300 test contacts lowers the AUC by 0.040 (0.035 to 0.045 over 2 shuffles).",
    );
  });

  it("compares with the most frequent level, naming the levels that raise and lower the score most with estimate, interval and n", () => {
    const ref = counts.indexOf(Math.max(...counts));
    const diffs = CODES.map((_, g) => coef[g] - coef[ref]);
    const others = CODES.map((_, g) => g).filter((g) => g !== ref);
    const hi = others.reduce((a, b) => (diffs[b] > diffs[a] ? b : a));
    const lo = others.reduce((a, b) => (diffs[b] < diffs[a] ? b : a));
    expect(lines[1]).toContain(
      `where who made the contact is ${LABELS[CODES[ref]]} (the most frequent: n = ${counts[ref]} training contacts)`,
    );
    expect(diffs[hi]).toBeGreaterThan(0);
    expect(diffs[lo]).toBeLessThan(0);
    const block = ex.coefficients!.categories[0];
    for (const [g, verb] of [
      [hi, "raises the score most"],
      [lo, "lowers it most"],
    ] as const) {
      const c = contrast(block, CODES[g]);
      expect(lines[1]).toContain(
        `${LABELS[CODES[g]]} (${fmt(diffs[g])} on the log-odds scale, 95% interval ${c.lo < 0 ? "−" : ""}${Math.abs(c.lo).toFixed(2)} to ` +
          `${c.hi < 0 ? "−" : ""}${Math.abs(c.hi).toFixed(2)}, n = ${counts[g]}: about ${Math.exp(diffs[g]).toFixed(2)} times the odds) ${verb}`,
      );
    }
    const beyond = others.filter((g) => {
      const c = contrast(block, CODES[g]);
      return c.lo > 0 || c.hi < 0;
    }).length;
    expect(lines[1]).toContain(`${beyond} of the 3 other levels differ from ${LABELS[CODES[ref]]} beyond chance`);
  });

  it("says the model is penalised and how much that narrows the intervals, from the shrinkage of every estimate", () => {
    const block = ex.coefficients!.categories[0];
    const all = [
      ...CODES.filter((c) => c !== block.reference).map((c) => contrast(block, c).shrinkage),
      ex.coefficients!.rows[0].shrinkage,
    ];
    expect(lines[2]).toContain("The model is penalised (ridge λ = 1 over 800 training contacts)");
    expect(lines[2]).toContain(`by under 1% for ${all.filter((s) => s < 0.01).length} of the 4 estimates shown`);
    expect(lines[2]).toContain(`at most ${(100 * Math.max(...all)).toFixed(1)}%`);
    expect(lines[2]).not.toContain("set by the penalty");
  });

  it("for a model without coefficients says so plainly and keeps the importance answer", () => {
    const mlp = explanationAnswer({...ex, coefficients: null});
    expect(mlp[0]).toBe(lines[0]);
    expect(mlp[1]).toMatch(/^This model is a neural network: it has no coefficients/);
    expect(mlp).toHaveLength(2);
  });

  it("counts the estimates the penalty sets (shrinkage near 1) and shows them without an interval", () => {
    const twin = {...ex.coefficients!, rows: [...ex.coefficients!.rows, {label: "Twin", n: 50, shrinkage: 0.99}]};
    expect(explanationAnswer({...ex, coefficients: twin})[2]).toContain(
      "1 is set by the penalty rather than the data and shown without an interval.",
    );
  });
});

describe("labelValue", () => {
  const labels: ExplanationLabels = {variables: {}, codes: {referral_source: LABELS}, columns: {}};
  it("labels codes, combinations of codes and numbers; leaves unknown codes as they are", () => {
    expect(labelValue(labels, "referral_source", "police")).toBe("Police");
    expect(labelValue(labels, "referral_source", "police + anonymous")).toBe("Police + Anonymous");
    expect(labelValue(labels, "referral_source", "(none)")).toBe("(none)");
    expect(labelValue(labels, "age", 12.5)).toBe("12.5");
  });
});
