// The Consistency page with a dictionary that names no staff member (or no decision):
// computeConsistency answers what it would need, in a sentence, instead of failing,
// and opens neither the warehouse nor a model (both paths here lead nowhere).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parse, stringify} from "yaml";
import {computeConsistency, consistencyRoles} from "../../../loaders/consistency/consistency.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";

let dir: string;
/** data/dictionary.yaml with some roles (and optionally the default target) changed, loaded through the schema. */
function dictionaryWith(
  change: (doc: {roles: Record<string, string>; targets: Record<string, unknown>; default_target?: string}) => void,
): Dictionary {
  const doc = parse(readFileSync("data/dictionary.yaml", "utf8"));
  change(doc);
  const path = join(dir, `dictionary-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, stringify(doc));
  return loadDictionary(path);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "consistency-needs-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("consistency without the roles it compares", () => {
  it("no staff role: {available: false} naming roles.staff, without opening a warehouse or a model", async () => {
    const dict = dictionaryWith((d) => delete d.roles.staff);
    const c = await computeConsistency(dict, join(dir, "no-models"), join(dir, "no-warehouse.duckdb"));
    expect(c).toEqual({available: false, needs: ["roles.staff"], reason: expect.stringContaining("who decided each record (roles.staff)")});
    if (c.available) throw new Error("unreachable");
    expect(c.reason).toBe(
      `The Consistency page compares how staff decide records that look alike, so it needs who decided each record (roles.staff), which the dictionary "${dict.title}" does not name.`,
    );
  });

  it("no staff and no decision role (a risk-assessment table): both needs, in one sentence", async () => {
    const dict = dictionaryWith((d) => {
      delete d.roles.staff;
      delete d.roles.team;
      delete d.roles.decision;
    });
    const c = await computeConsistency(dict, join(dir, "no-models"), join(dir, "no-warehouse.duckdb"));
    expect(c).toMatchObject({available: false, needs: ["roles.staff", "roles.decision"]});
    expect(c.available === false && c.reason).toContain("who decided each record (roles.staff) and what they decided (roles.decision)");
  });

  it("a default target that is a recurrence, not a decision: names the target it would need", () => {
    // The project file's target (workbench.yaml) wins when the dictionary defines it: here it does not.
    const r = consistencyRoles(
      dictionaryWith((d) => {
        delete d.targets.info_sharing;
        delete d.targets.rag_red;
        d.default_target = "recontact_12m";
      }),
    );
    expect(r).toMatchObject({available: false, needs: ["targets.recontact_12m.variable"]});
  });

  it("the MASH dictionary has everything: roles resolved from it, no team needed", () => {
    expect(consistencyRoles(loadDictionary())).toMatchObject({
      record: "contact_id",
      time: "contact_datetime",
      staff: "screener_id",
      team: "team",
      decision: "mash_decision",
      target: {name: "info_sharing", variable: "mash_decision", positive: ["info_sharing"]},
    });
    expect(consistencyRoles(dictionaryWith((d) => delete d.roles.team))).toMatchObject({staff: "screener_id", team: undefined});
  });
});
