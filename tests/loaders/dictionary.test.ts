// Loading the dictionary: checked against its schema, errors naming the file, line and field;
// a fresh object for every caller, and a changed file read anew.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {
  afterDecisionVariables,
  headings,
  loadDictionary,
  normaliseHeading,
  PILOT_RESPONSE_CODES,
  variable,
} from "../../loaders/dictionary.ts";

let dir: string;
const text = readFileSync("data/dictionary.yaml", "utf8");
const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;
const withText = (body: string) => {
  const path = join(dir, "dictionary.yaml");
  writeFileSync(path, body);
  return path;
};
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "dict-test-"))));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("loadDictionary", () => {
  it("loads the project's dictionary, every definition whole", () => {
    const dict = loadDictionary();
    expect(dict.variables.length).toBeGreaterThan(10);
    const concerns = dict.variables.find((v) => v.name === "concerns")!;
    expect(concerns.codes!.find((c) => c.code === "mental_health")!.definition).toBe("Mental health of a parent, carer or the child");
  });

  it("gives each caller its own object, and sees a changed file", () => {
    const path = withText(text);
    const a = loadDictionary(path);
    a.variables[0].name = "changed by a caller";
    expect(loadDictionary(path).variables[0].name).not.toBe("changed by a caller");
    withText(text.replace(/^version: .*$/m, "version: 7.7.7"));
    expect(loadDictionary(path).version).toBe("7.7.7");
  });

  it("names the file, line and field of a wrong type", () => {
    const path = withText(
      text.replace(
        "    type: category\n    required: true\n    role: feature",
        "    type: categorical\n    required: true\n    role: feature",
      ),
    );
    expect(() => loadDictionary(path)).toThrow(
      new RegExp(
        `dictionary\\.yaml:${lineOf("    type: category\n    required: true\n    role: feature")}: variables\\[\\d+\\] \\(referral_source\\)\\.type: .*category`,
      ),
    );
  });

  it("reports a missing field at its variable, an unknown key, a category without codes, a name twice", () => {
    expect(() => loadDictionary(withText(text.replace("    label: Household\n", "")))).toThrow(
      new RegExp(`:${lineOf("  - name: household_id")}: variables\\[2\\] \\(household_id\\)\\.label: `),
    );
    expect(() => loadDictionary(withText(text.replace("    label: Household\n", "    label: Household\n    colour: red\n")))).toThrow(
      /variables\[2\] \(household_id\): Unrecognized key: "colour"/,
    );
    expect(() => loadDictionary(withText(text.replace(/(- name: gender[\s\S]*?)codes:[\s\S]*?(\n  - name)/, "$1codes: []$2")))).toThrow(
      /\(gender\)\.codes: a category needs codes/,
    );
    expect(() => loadDictionary(withText(text.replace("- name: household_id", "- name: child_id")))).toThrow(
      new RegExp(`:${lineOf("  - name: household_id")}: variable "child_id" is defined twice`),
    );
  });

  it("maps an extract's headings to variables through their source spellings, refusing one heading for two variables", () => {
    const dict = loadDictionary(
      withText(text.replace("  - name: referral_source\n", "  - name: referral_source\n    source: [Source of Contact, Referrer]\n")),
    );
    const v = dict.variables.find((x) => x.name === "referral_source")!;
    expect(headings(v)).toEqual(["referral_source", "source_of_contact", "referrer"]);
    expect(normaliseHeading("  Referral  Source ")).toBe("referral_source");
    expect(() =>
      loadDictionary(withText(text.replace("  - name: referral_source\n", "  - name: referral_source\n    source: Child ID\n"))),
    ).toThrow(/source: the heading "child_id" would mean both child_id and referral_source/);
  });

  it("refuses a variable in a group the dictionary does not declare, naming the line", () => {
    expect(() =>
      loadDictionary(withText(text.replace("    label: Household\n    group: identity", "    label: Household\n    group: people"))),
    ).toThrow(/:\d+: variables\.2\.group: "people" is not one of groups: identity, /);
  });

  it("names the pilot's band and response by role, in both dictionaries, as excluded variables blank outside the pilot", () => {
    for (const path of ["data/dictionary.yaml", "data/dictionaries/essex.yaml"]) {
      const dict = loadDictionary(path);
      const band = variable(dict, dict.roles.pilot_band!);
      const response = variable(dict, dict.roles.pilot_response!);
      expect({type: band.type, role: band.role, range: band.range, required: band.required}, path).toEqual({
        type: "integer",
        role: "excluded",
        range: [1, 20],
        required: undefined,
      });
      expect(response.role, path).toBe("excluded");
      expect(response.codes!.map((c) => c.code)).toEqual([...PILOT_RESPONSE_CODES]);
      expect([...afterDecisionVariables(dict).keys()]).toEqual(expect.arrayContaining([band.name, response.name]));
    }
  });

  it("refuses pilot roles that could leak into a model or that the pipeline could not read, naming the line and the fix", () => {
    const bandVariable = "  - name: pilot_band\n    label: Band the screener saw";
    const asFeature = text.replace(/(- name: pilot_band[\s\S]*?)role: excluded/, "$1role: feature");
    expect(() => loadDictionary(withText(asFeature))).toThrow(
      new RegExp(
        `:${lineOf(bandVariable)}: variables\\.\\d+\\.role: pilot_band plays roles\\.pilot_band, so its role must be excluded, not feature: .*never be model features`,
      ),
    );
    const responseAsProtected = text.replace(/(- name: pilot_response[\s\S]*?)role: excluded/, "$1role: protected");
    expect(() => loadDictionary(withText(responseAsProtected))).toThrow(
      /pilot_response plays roles\.pilot_response, so its role must be excluded, not protected/,
    );
    expect(() => loadDictionary(withText(text.replace(/(- name: pilot_band[\s\S]*?)type: integer/, "$1type: number")))).toThrow(
      /roles\.pilot_band: "pilot_band" must be an integer variable \(the band 1, 2, … the screener saw\), but it is a number/,
    );
    expect(() => loadDictionary(withText(text.replace(/\n\s+- \{code: followed, [^\n]*/, "")))).toThrow(
      /pilot_response plays roles\.pilot_response, so its codes must be exactly agreed, followed, overrode .*; missing: followed/,
    );
    expect(() => loadDictionary(withText(text.replace("{code: overrode, label: Overrode", "{code: override, label: Overrode")))).toThrow(
      /missing: overrode; not allowed: override/,
    );
    expect(() => loadDictionary(withText(text.replace(/\n  pilot_band: pilot_band[^\n]*/, "")))).toThrow(
      /roles\.pilot_response: a pilot response needs roles\.pilot_band/,
    );
    expect(() => loadDictionary(withText(text.replace("  pilot_band: pilot_band", "  pilot_band: pilot_bnad")))).toThrow(
      /roles\.pilot_band: "pilot_bnad" is not a variable of the dictionary/,
    );
    expect(() => loadDictionary(withText(text.replace("  pilot_band: pilot_band", "  pilot_bands: pilot_band")))).toThrow(
      /roles: Unrecognized key: "pilot_bands"/,
    );
    // Without the pilot's roles the variables are ordinary excluded ones, and the dictionary loads.
    const noRoles = text.replace(/\n  pilot_band: pilot_band[^\n]*/, "").replace(/\n  pilot_response: pilot_response[^\n]*/, "");
    expect(loadDictionary(withText(noRoles)).roles).not.toHaveProperty("pilot_band");
  });

  it("says where YAML itself is broken, and refuses a file with no variables", () => {
    expect(() => loadDictionary(withText("version: 1\nvariables: [\n"))).toThrow(/dictionary\.yaml:\d+: not valid YAML/);
    expect(() => loadDictionary(withText("variables: 3\n"))).toThrow(/variables: /);
  });
});
