import {describe, expect, it} from "vitest";
import {agreementRows, compareRows, flagSummary, funnelTable, plural} from "../../src/lib/consistency-view.ts";
import {funnelUnit} from "../../src/lib/funnel.ts";

const unit = (name: string, observed: number, n = 1000) => ({
  ...funnelUnit({unit: name, n, observed, expected: 300, variance: 210}),
  tooFew: n < 30,
});

describe("consistency view", () => {
  it("tables units most extreme first and says what each reading means", () => {
    const rows = funnelTable([unit("a", 300), unit("b", 250), unit("c", 330), unit("d", 301, 20)]);
    expect(rows.map((r) => [r.screener, r.shared, r.reading])).toEqual([
      ["b", 250, "below expected"],
      ["c", 330, "within 99.8%, outside 95%"],
      ["d", 301, "too few to tell"],
      ["a", 300, "as expected"],
    ]);
    expect(rows[0]["99.8% limits"]).toBe("0.851–1.149");
  });

  it("summarises flags with the number expected by chance", () => {
    const text = flagSummary({
      units: [],
      flagged: {high: 2, low: 2, of: 36, tooFew: 0},
      outside95: 6,
      expectedByChance: {outside998: 0.072, outside95: 1.8},
      overdispersion: {phi: 1, tau: 0, units: 36, winsor: 0.1},
    });
    expect(text).toBe(
      "4 of 36 screeners fall outside the 99.8% limits (2 above expected, 2 below); by chance alone 0.07 would. 6 fall outside the 95% limits (1.8 by chance).",
    );
  });

  it("agreement rows carry the interval, pairs and the same-screener yardstick", () => {
    const [row] = agreementRows([
      {
        rate: 0.8,
        lo: 0.75,
        hi: 0.85,
        pairs: 12345,
        groups: 10,
        records: 200,
        within: {rate: 0.82, lo: 0.8, hi: 0.84, pairs: 300},
        difference: {value: -0.02, lo: -0.03, hi: -0.01},
        chance: 0.58,
      },
    ]);
    expect(row).toMatchObject({
      period: "all",
      "different screeners agree": "80.0% (75.0%–85.0%)",
      pairs: "12,345",
      "same screener agrees": "82.0% (80.0%–84.0%), 300 pairs",
      "difference (points)": "-2.0 (-3.0 to -1.0)",
    });
  });

  it("names units, records and the positive decision with the dictionary's labels", () => {
    expect(["Screener", "Team", "Case worker", "Agency", "Box", "Day"].map(plural)).toEqual([
      "screeners",
      "teams",
      "case workers",
      "agencies",
      "boxes",
      "days",
    ]);
    const [row] = funnelTable([unit("W-1", 250)], {unit: "worker", positive: "detained"});
    expect(Object.keys(row)).toEqual(["worker", "decisions", "detained", "expected", "O/E", "99.8% limits", "z", "reading"]);
    const [a] = agreementRows(
      [
        {
          rate: 0.8,
          lo: 0.75,
          hi: 0.85,
          pairs: 10,
          groups: 2,
          records: 20,
          within: {rate: 0.82, lo: 0.8, hi: 0.84, pairs: 3},
          difference: {value: -0.02, lo: -0.03, hi: -0.01},
          chance: 0.58,
        },
      ],
      {staff: "Case worker", records: "cases"},
    );
    expect(a).toMatchObject({
      "different case workers agree": "80.0% (75.0%–85.0%)",
      "same case worker agrees": "82.0% (80.0%–84.0%), 3 pairs",
      cases: "20",
    });
    const r = {k: 0, n: 0, rate: NaN, lo: NaN, hi: NaN, from: "2017-04", until: "2017-09", expected: NaN};
    expect(compareRows([{series: "every case", before: r, after: r}], {records: "cases"})[0]).toMatchObject({
      cases: "every case",
      "before (2017-04 to 2017-09)": "no cases",
    });
  });
});
