import {describe, expect, it} from "vitest";
import {assignSplits, deriveSplit} from "../../src/lib/splits.ts";

const plan = {validFrom: "2018-01-01", testFrom: "2018-07-01", pilotFrom: "2019-01-01", pilotTo: "2019-03-31"};

it("splits by date with the pilot held apart, and keeps each child on one side", () => {
  const rows = [
    {child: "a", time: "2017-05-01 10:00:00"}, // train
    {child: "a", time: "2018-03-01 10:00:00"}, // valid period, but a is in train → excluded
    {child: "b", time: "2018-02-01 09:00:00"}, // valid
    {child: "c", time: "2018-08-01 09:00:00"}, // test
    {child: "c", time: "2019-02-01 09:00:00"}, // pilot period, c already in test → excluded
    {child: "d", time: "2019-03-31 23:00:00"}, // pilot (inclusive end)
    {child: "e", time: "2019-04-01 00:00:00"}, // after the pilot: test
  ];
  const r = assignSplits(rows, plan);
  expect(r.splits).toEqual(["train", "excluded", "valid", "test", "excluded", "pilot", "test"]);
  expect(r.counts).toEqual({train: 1, valid: 1, test: 2, pilot: 1, excluded: 2});
  const sides = new Map<string, Set<string>>();
  rows.forEach((row, i) => r.splits[i] !== "excluded" && sides.set(row.child, (sides.get(row.child) ?? new Set()).add(r.splits[i])));
  for (const s of sides.values()) expect(s.size).toBe(1);
});

it("refuses a plan whose validation starts after its test period", () => {
  expect(() => assignSplits([], {validFrom: "2019-01-01", testFrom: "2018-01-01"})).toThrow(/must start before/);
});

describe("deriveSplit", () => {
  it("keeps about the last 15% of months for test and 15% before them for validation, from the first of a month", () => {
    // 36 months: 5 for test, 5 for validation, 26 for training
    expect(deriveSplit("2016-04-03", "2019-03-31")).toEqual({validFrom: "2018-06-01", testFrom: "2018-11-01"});
    // 12 months: 2 and 2
    expect(deriveSplit("2020-01-15", "2020-12-02")).toEqual({validFrom: "2020-09-01", testFrom: "2020-11-01"});
    expect(deriveSplit("2013-01-01", "2014-12-31")).toEqual({validFrom: "2014-05-01", testFrom: "2014-09-01"}); // 24 months: 4 and 4
  });

  it("gives at least one month each, and refuses fewer than 3 months", () => {
    expect(deriveSplit("2020-01-01", "2020-03-31")).toEqual({validFrom: "2020-02-01", testFrom: "2020-03-01"});
    expect(() => deriveSplit("2020-01-01", "2020-02-28")).toThrow(/spans 2 month\(s\).*at least 3/);
  });
});
