// The plain-English answers (src/lib/evaluation-answers.ts): every number in them comes from the
// data passed in (recomputed here), and the verdicts turn with the data.
import {describe, expect, it} from "vitest";
import {calibrationAnswer, rankingAnswer, testSetAnswer, thresholdAnswer} from "../../src/lib/evaluation-answers.ts";
import {reliability} from "../../src/lib/calibration.ts";
import {bootstrapEstimates, scoreSummary, seeded} from "../../src/lib/metrics.ts";
import {capacityCutoff, confusion, flagByScore, rates} from "../../src/lib/thresholds.ts";

function sample(n: number, seed: number, shift = 1) {
  const r = seeded(seed);
  const p = Float64Array.from({length: n}, () => 0.02 + 0.9 * r() ** 2);
  const y = Float64Array.from(p, (q) => (r() < q ? 1 : 0));
  return {s: Float64Array.from(p, (q) => Math.min(0.99, q * shift)), y};
}

describe("rankingAnswer", () => {
  it("gives the top and bottom tenths' rates per 100 with their intervals, and the overall rate", () => {
    const {s, y} = sample(5000, 1);
    const bins = reliability(s, y, {bins: 10});
    const text = rankingAnswer(bins);
    const top = bins[9],
      bottom = bins[0];
    expect(text).toContain(
      `top tenth (${top.n.toLocaleString("en-GB")} contacts), about ${Math.round(100 * top.observed)} were shared by staff`,
    );
    expect(text).toContain(`(95% interval ${Math.round(100 * top.lo)} to ${Math.round(100 * top.hi)})`);
    const d = 100 * bottom.observed < 10 ? 1 : 0; // one decimal below 10 in 100, for the value and its interval alike
    expect(text).toContain(
      `bottom tenth (${bottom.n.toLocaleString("en-GB")}), about ${(100 * bottom.observed).toFixed(d)} (95% interval ${(100 * bottom.lo).toFixed(d)} to ${(100 * bottom.hi).toFixed(d)})`,
    );
    const shared = y.reduce((a, b) => a + b, 0);
    expect(text).toContain(`Across all 5,000 test contacts, staff shared ${Math.round((100 * shared) / 5000)} in 100.`);
    expect(rankingAnswer(bins.slice(0, 1))).toMatch(/^Too few/);
  });
});

describe("calibrationAnswer", () => {
  const answer = (s: Float64Array, y: Float64Array) => {
    const sum = scoreSummary(s, y, {seed: 3});
    return {text: calibrationAnswer({bins: reliability(s, y), ...sum}), sum};
  };

  it("a calibrated score reads about right, with the bin near 30% and the ECE beside its noise floor", () => {
    const {s, y} = sample(8000, 2);
    const {text, sum} = answer(s, y);
    expect(text).toMatch(/^Scores are about right on average/);
    expect(text).toContain(`the mean score is ${(100 * sum.meanScore.value).toFixed(1)}%`);
    expect(text).toContain(`staff shared ${(100 * sum.rate.value).toFixed(1)}% (95% interval ${(100 * sum.rate.lo).toFixed(1)}%`);
    const bin = reliability(s, y).sort((a, b) => Math.abs(a.predicted - 0.3) - Math.abs(b.predicted - 0.3))[0];
    expect(text).toContain(`Of the ${bin.n.toLocaleString("en-GB")} contacts scored near ${(100 * bin.predicted).toFixed(0)}%`);
    expect(text).toContain(`would show about ${sum.eceNoiseFloor.median.toFixed(3)} at this n by chance alone`);
    expect(text).toContain("within what chance alone gives");
  });

  it("a score running 30% high reads high, and its ECE more than chance alone gives", () => {
    const {s, y} = sample(8000, 2, 1.3);
    const {text} = answer(s, y);
    expect(text).toMatch(/^Scores run high on average/);
    expect(text).toContain("so the gap is more than chance alone gives");
    const low = answer(sample(8000, 2, 0.7).s, y).text;
    expect(low).toMatch(/^Scores run low on average/);
  });
});

describe("testSetAnswer", () => {
  it("binds the left-out contacts, rates and calibration-in-the-large of test set and period, and says which way they run", () => {
    const {s, y} = sample(3000, 5);
    const seen = sample(1000, 6, 0.8); // children already seen: scores too low for them
    const part = (sc: ArrayLike<number>, yy: ArrayLike<number>, days: number) => ({
      n: yy.length,
      days,
      perDay: yy.length / days,
      ...bootstrapEstimates(sc, yy, ["rate", "meanScore", "calibrationInTheLarge"], {seed: 1}),
    });
    const all = part([...s, ...seen.s], [...y, ...seen.y], 100);
    const text = testSetAnswer({...all, test: part(s, y, 100), seen: part(seen.s, seen.y, 100)});
    expect(text).toContain("leaves out the 1,000 contacts (25%) of its period");
    expect(text).toContain("3,000 of 4,000 contacts (30.0 a day of 40.0)");
    expect(text).toContain(`over the whole period, ${(100 * all.rate.value).toFixed(1)}% (95% interval ${(100 * all.rate.lo).toFixed(1)}%`);
    expect(text).toContain(
      `So the test set's rate is ${all.rate.value > part(s, y, 100).rate.value ? "lower" : "higher"} than the period's`,
    );
    const minus = (x: number) => x.toFixed(3).replace(/^-/, "−");
    expect(text).toContain(`${minus(all.calibrationInTheLarge.value)} (95% interval ${minus(all.calibrationInTheLarge.lo)}`);
    // The seen children's scores run low (× 0.8): over the whole period calibration-in-the-large moves, and the text says so.
    const test = part(s, y, 100);
    const moved =
      all.calibrationInTheLarge.value < test.calibrationInTheLarge.lo || all.calibrationInTheLarge.value > test.calibrationInTheLarge.hi;
    expect(moved).toBe(true);
    expect(text).toContain("falls outside the test set's interval");
    const same = testSetAnswer({...part([...s, ...s], [...y, ...y], 100), test, seen: part(s, y, 100)});
    expect(same).toContain("stays within the test set's interval");
    const none = {...part(s, y, 100), n: 0, rate: {value: null, lo: null, hi: null, n: 0}};
    expect(testSetAnswer({...part(s, y, 100), test: part(s, y, 100), seen: none})).toContain(
      "holds all 3,000 contacts of its period (30.0 a day)",
    );
  });
});

describe("thresholdAnswer", () => {
  it("states the share flagged, false reassurance against staff decisions and PPV from the confusion matrix", () => {
    const {s, y} = sample(4000, 8);
    const c = confusion(y, flagByScore(s, 0.3));
    const r = rates(c);
    const text = thresholdAnswer({setting: "a cut-off of score ≥ 0.30", what: "test contacts", c, r});
    expect(text).toContain(
      `flags ${Math.round(100 * r.selection.rate)} in every 100 of the 4,000 test contacts as likely (${(c.tp + c.fp).toLocaleString("en-GB")} contacts)`,
    );
    expect(text).toContain("measured against what staff decided, not against what was needed");
    expect(text).toContain(
      `staff shared about ${Math.round(100 * r.ppv.rate)} (95% interval ${Math.round(100 * r.ppv.lo)} to ${Math.round(100 * r.ppv.hi)})`,
    );
  });

  it("for a daily capacity, gives the period's volume, the thinned test set's, and the fixed cut-off's busy days", () => {
    const {s, y} = sample(900, 9);
    const days = Array.from(s, (_, i) => `d${i % 10}`);
    const cutoff = capacityCutoff(s, days, 20);
    const c = confusion(y, flagByScore(s, cutoff.threshold));
    const text = thresholdAnswer({
      setting: "a daily capacity of 20",
      what: "contacts of the test period",
      c,
      r: rates(c),
      capacity: {k: 20, perDay: 90, testPerDay: 67.8, seen: 222, cutoff},
    });
    expect(text).toContain("The MASH received 90.0 contacts a day in this period, counting the 222 of children already seen");
    expect(text).toContain("(the test set alone has 67.8 a day)");
    expect(text).toContain(`A fixed cut-off of score ≥ ${cutoff.threshold.toFixed(3)} would flag as many on average (20.0 a day)`);
    expect(text).toContain(`more than 20 on ${cutoff.daysOver} of 10 days`);
  });
});
