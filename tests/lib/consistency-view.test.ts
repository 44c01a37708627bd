import {describe, expect, it} from "vitest";
import {agreementRows, flagSummary, funnelTable} from "../../src/lib/consistency-view.ts";
import {funnelUnit} from "../../src/lib/funnel.ts";

const unit = (name: string, observed: number, n = 1000) => ({
  ...funnelUnit({unit: name, n, observed, expected: 300, variance: 210}),
  tooFew: n < 30,
});

describe("consistency view", () => {
  it("tables units most extreme first and says what each reading means", () => {
    const rows = funnelTable([unit("a", 300), unit("b", 250), unit("c", 330), unit("d", 301, 20)]);
    expect(rows.map((r) => [r.screener, r.reading])).toEqual([
      ["b", "shares less than expected"],
      ["c", "within 99.8%, outside 95%"],
      ["d", "too few to tell"],
      ["a", "as expected"],
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
      "4 of 36 screeners fall outside the 99.8% limits (2 share more, 2 less); by chance alone 0.07 would. 6 fall outside the 95% limits (1.8 by chance).",
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
        contacts: 200,
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
});
