// What the Explore page shows of its results (src/lib/explore-view.ts): labels from the
// dictionary in the dictionary's order, the largest groups, the first view answered
// without the database, and SQL result columns labelled.
import {describe, expect, it} from "vitest";
import {answer, codeLabel, labelled, largestGroups, tableLabels, type ExploreVariable} from "../../src/lib/explore-view.ts";

const source: ExploreVariable = {
  name: "referral_source",
  label: "Who made the contact",
  type: "category",
  codes: [
    {code: "police", label: "Police"},
    {code: "la_services", label: "Local authority services"},
  ],
};
const district: ExploreVariable = {
  name: "district",
  label: "District",
  type: "category",
  codes: [{code: "st_edmundsbury", label: "St Edmundsbury"}],
};
const age: ExploreVariable = {name: "age_years", label: "Age (years)", type: "integer"};

describe("labels and order", () => {
  it("shows a code's label, and values without codes as they are", () => {
    expect(codeLabel(source, "la_services")).toBe("Local authority services");
    expect(codeLabel(district, "st_edmundsbury")).toBe("St Edmundsbury");
    expect(codeLabel(source, "(missing)")).toBe("(missing)");
    expect(codeLabel(source, null)).toBe("(missing)");
    expect(codeLabel(age, "10")).toBe("10");
    expect(codeLabel(undefined, "x")).toBe("x");
  });

  it("orders groups as the dictionary lists their codes, unknown values after them", () => {
    const rows = [
      {category: "(missing)", n: 5},
      {category: "la_services", n: 10},
      {category: "police", n: 20},
    ];
    expect(labelled(rows, source).map((r) => r.category)).toEqual(["Police", "Local authority services", "(missing)"]);
  });

  it("orders numbers as numbers (0, 1, 2, 10, not 0, 1, 10, 2), keeping months in order within a group", () => {
    const rows = ["10", "2", "0", "1"].flatMap((category) => ["2019-01", "2019-02"].map((month) => ({category, month, n: 1})));
    const out = labelled(rows, age);
    expect([...new Set(out.map((r) => r.category))]).toEqual(["0", "1", "2", "10"]);
    expect(out.filter((r) => r.category === "2").map((r) => r.month)).toEqual(["2019-01", "2019-02"]);
  });

  it("labels a second field (two-way tables) and leaves the rows given untouched", () => {
    const rows = [{category: "police", category2: "st_edmundsbury", n: 1}];
    expect(labelled(labelled(rows, source), district, "category2")).toEqual([{category: "Police", category2: "St Edmundsbury", n: 1}]);
    expect(rows[0].category).toBe("police");
  });

  it("picks the largest groups, largest first", () => {
    const rows = [
      {category: "a", n: 5},
      {category: "b", n: 50},
      {category: "c", n: 20},
      {category: "d", n: 20},
    ];
    expect(largestGroups(rows, 3)).toEqual(["b", "c", "d"]);
    expect(largestGroups(rows, 10)).toHaveLength(4);
  });
});

describe("answer", () => {
  it("answers the first view's query without the database, and any other by running it", async () => {
    const first = {results: {"SELECT 1": [{category: "police", n: 3, k: 1}]}};
    const ran: string[] = [];
    const query = async (sql: string) => {
      ran.push(sql);
      return [{category: "school", n: 2, k: 0, toJSON: () => ({category: "school", n: 2, k: 0})}];
    };
    expect(await answer(first, "SELECT 1", query)).toEqual([{category: "police", n: 3, k: 1}]);
    expect(ran).toEqual([]);
    expect(await answer(first, "SELECT 2", query)).toEqual([{category: "school", n: 2, k: 0}]);
    expect(ran).toEqual(["SELECT 2"]);
  });
});

describe("tableLabels", () => {
  it("heads variable columns with their labels and the SQL name, and shows coded values as labels", () => {
    const {header, format} = tableLabels(["referral_source", "age_years", "n"], [source, age]);
    expect(header).toEqual({referral_source: "Who made the contact (referral_source)", age_years: "Age (years) (age_years)"});
    expect(Object.keys(format)).toEqual(["referral_source"]);
    expect(format.referral_source("la_services")).toBe("Local authority services");
    expect(format.referral_source(null)).toBe("");
  });
});
