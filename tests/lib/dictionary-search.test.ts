import {expect, it} from "vitest";
import {matchesQuery} from "../../src/lib/dictionary-search.ts";
import {loadDictionary} from "../../loaders/dictionary.ts";

it("finds variables by any word of their name, definition, codes or synonyms", () => {
  const vars = loadDictionary().variables;
  const names = (q: string) => vars.filter((v) => matchesQuery(v, q)).map((v) => v.name);
  expect(names("constabulary")).toEqual(["referral_source"]);
  expect(names("DASH")).toEqual(["da_risk_level"]);
  expect(names("")).toHaveLength(vars.length);
  expect(names("police notification")).toContain("da_risk_level");
  expect(names("zzzz")).toEqual([]);
});
