// The impact estimators' building blocks against published values and hand-worked cases: t and
// normal quantiles from statistical tables, OLS on a line, the cluster and Newey–West sandwiches
// reducing to the heteroskedasticity-robust (White) covariance, and the calendar periods.
import {describe, expect, it} from "vitest";
import {normalQuantile, tCdf, tQuantile} from "../../../src/lib/impact/distributions.ts";
import {beforeWindow, dayNumber, isoDay, monthIndex, monthLabel, periodOf, weekday} from "../../../src/lib/impact/periods.ts";
import {classicalCovariance, clusterCovariance, coefficient, fitOls, neweyWestCovariance} from "../../../src/lib/impact/regression.ts";
import {estimate, formatResult, tooFew} from "../../../src/lib/impact/result.ts";

describe("distributions", () => {
  it.each([
    [0.975, 1, 12.7062],
    [0.975, 3, 3.1824],
    [0.975, 10, 2.2281],
    [0.975, 35, 2.0301],
    [0.95, 20, 1.7247],
  ])("t quantile %f with %i df = %f (tables)", (p, df, q) => {
    expect(tQuantile(p, df)).toBeCloseTo(q, 3);
    expect(tCdf(q, df)).toBeCloseTo(p, 4);
  });

  it("normal quantiles", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 5);
  });
});

describe("regression", () => {
  // y = 1 + 2x exactly plus residuals (+1, −1, −1, +1) on x = 0..3
  const x = [0, 1, 2, 3];
  const e = [1, -1, -1, 1];
  const X = x.flatMap((v) => [1, v]);
  const y = x.map((v, i) => 1 + 2 * v + e[i]);

  it("fits OLS and the textbook covariance", () => {
    const fit = fitOls(X, y, 4, 2);
    expect(fit.beta[0]).toBeCloseTo(1, 12);
    expect(fit.beta[1]).toBeCloseTo(2, 12);
    // σ² = 4 / 2 = 2; Var(slope) = σ² / Σ(x − x̄)² = 2 / 5
    const {cov, df} = classicalCovariance(fit);
    expect(cov[3]).toBeCloseTo(0.4, 12);
    expect(df).toBe(2);
    expect(coefficient(fit.beta, cov, 1, df).se).toBeCloseTo(Math.sqrt(0.4), 12);
  });

  it("one row per cluster and Newey–West with lag 0 are the White covariance up to their small-sample factors", () => {
    const fit = fitOls(X, y, 4, 2);
    // White HC0 for the slope: Σ (x − x̄)² e² / (Σ (x − x̄)²)² = (2.25 + 0.25 + 0.25 + 2.25) / 25 = 0.2
    const hc0 = 0.2;
    const cl = clusterCovariance(fit, ["a", "b", "c", "d"]);
    expect(cl.cov[3]).toBeCloseTo(hc0 * (4 / 3) * (3 / 2), 12);
    expect(cl.df).toBe(3);
    expect(neweyWestCovariance(fit, 0).cov[3]).toBeCloseTo(hc0 * (4 / 2), 12);
    // a column that never varies from zero cannot be fitted: a clear error, not NaN coefficients
    expect(() => fitOls([1, 0, 1, 0, 1, 0], [1, 2, 3], 3, 2)).toThrow(/singular/);
  });
});

describe("periods and results", () => {
  it("day numbers, months and the comparison windows", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(isoDay(dayNumber("2019-03-31") + 0.9)).toBe("2019-03-31");
    expect(monthLabel(monthIndex(dayNumber("2017-10-15")))).toBe("2017-10");
    expect(weekday(dayNumber("2019-01-01"))).toBe(2); // a Tuesday
    const w = {start: "2019-01-01", end: "2019-03-31"};
    expect(beforeWindow(w, "months-before")).toEqual({from: dayNumber("2018-10-03"), to: dayNumber("2018-12-31")});
    expect(periodOf(dayNumber("2018-03-31") + 0.5, w, "year-earlier")).toBe("before");
    expect(periodOf(dayNumber("2018-04-01"), w, "year-earlier")).toBeNull();
    expect(() => dayNumber("31/03/2019")).toThrow(/not a date/);
  });

  it("refuses a non-finite estimate and formats both kinds", () => {
    expect(() => estimate({value: NaN, lo: 0, hi: 1, p: 1, nullValue: 0, n: 10, method: "m"})).toThrow(/value is not a finite number/);
    expect(formatResult(estimate({value: 0.756, lo: 0.7, hi: 0.81, p: 0.001, nullValue: 1, n: 5210, method: "m"}))).toBe(
      "0.76 (95% interval 0.70 to 0.81; n = 5,210 contacts)",
    );
    expect(formatResult(tooFew(3, "3 screeners", "m"))).toBe("too few to tell (3 screeners)");
  });
});
