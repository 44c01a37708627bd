// Matching a header to the dictionary (matchHeader in loaders/ingest/header.ts): case-insensitive
// names, columns the dictionary does not know, and a refusal naming missing required columns.
import {describe, expect, it} from "vitest";
import type {Dictionary, Variable} from "../../../loaders/dictionary.ts";
import {matchHeader} from "../../../loaders/ingest/header.ts";
import {RefusedFile} from "../../../loaders/ingest/encoding.ts";

const variable = (name: string, required = false): Variable =>
  ({name, label: name, group: "g", definition: "", type: "id", role: "feature", sensitivity: "none", required}) as Variable;
const dict = {
  variables: [variable("contact_id", true), variable("team", true), variable("age")],
  missing_markers: [],
} as unknown as Dictionary;

describe("matchHeader", () => {
  it("maps variables to the header's columns, whatever their case, and lists the others", () => {
    const {map, ignoredColumns} = matchHeader(["Contact_ID", "notes", "TEAM"], dict, "/x/a.csv");
    expect([...map]).toEqual([
      ["contact_id", "Contact_ID"],
      ["team", "TEAM"],
    ]);
    expect(ignoredColumns).toEqual(["notes"]);
  });

  it("matches headings with spaces or hyphens, and a variable's source spellings; refuses two columns for one variable", () => {
    const withSource = {
      ...dict,
      variables: [variable("contact_id", true), {...variable("team", true), source: ["Allocated Team"]}, variable("age")],
    } as unknown as Dictionary;
    const {map} = matchHeader(["Contact ID", "allocated-team", "Age "], withSource, "/x/a.csv");
    expect([...map]).toEqual([
      ["contact_id", "Contact ID"],
      ["team", "allocated-team"],
      ["age", "Age "],
    ]);
    expect(() => matchHeader(["contact_id", "Team", "Allocated Team"], withSource, "/x/a.csv")).toThrow(
      'a.csv: columns "Team" and "Allocated Team" both name team; keep one',
    );
  });

  it("refuses a file missing required columns, naming them", () => {
    expect(() => matchHeader(["age"], dict, "/x/a.csv")).toThrow(
      new RefusedFile("/x/a.csv", "required columns missing from the header: contact_id, team"),
    );
    expect(() => matchHeader(["team"], dict, "/x/a.csv")).toThrow("a.csv: required column missing from the header: contact_id");
  });
});
