import {expect, it} from "vitest";
import {assignSplits} from "../../src/lib/splits.ts";

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
