// Settings of the public build: the disclosure threshold and rounding from the environment
// (a threshold above 10 is refused), and which registered model the public pages describe: the one
// workbench.yaml's public_model chooses, never simply the newest of any target.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {choosePublicModel, ensurePublicModel, publicDisclosure, publicModelDir} from "../../../loaders/public/settings.ts";
import {MODEL_FILES} from "../../../loaders/registry.ts";
import {loadProject} from "../../../loaders/project.ts";

let dir: string;
const model = (id: string, target: string, trainedAt: string) => {
  mkdirSync(join(dir, id), {recursive: true});
  for (const file of MODEL_FILES) writeFileSync(join(dir, id, file), "{}");
  writeFileSync(join(dir, id, "card.json"), JSON.stringify({id, target, trainedAt}));
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "public-settings-"));
  model("old", "info_sharing", "2026-01-01T00:00:00.000Z");
  model("new", "info_sharing", "2026-06-01T00:00:00.000Z");
  model("rag", "rag_red", "2026-09-01T00:00:00.000Z"); // the newest of all, of another target
  mkdirSync(join(dir, "incomplete"));
  writeFileSync(join(dir, "incomplete", "card.json"), JSON.stringify({trainedAt: "2027-01-01T00:00:00.000Z"}));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("reads the threshold and rounding from the environment, default 5 and none, and refuses a threshold above 10", () => {
  expect(publicDisclosure({})).toEqual({threshold: 5, roundTotalsTo: 1});
  expect(publicDisclosure({WORKBENCH_DISCLOSURE_THRESHOLD: "10", WORKBENCH_ROUND_TOTALS: "5"})).toEqual({threshold: 10, roundTotalsTo: 5});
  expect(() => publicDisclosure({WORKBENCH_DISCLOSURE_THRESHOLD: "11"})).toThrow(/from 1 to 10, got 11/);
});

it("describes the model workbench.yaml chooses: a target's newest, never a newer model of another target", async () => {
  // The committed project file chooses the default target: a newer rag_red model does not move the public pages.
  expect(publicModelDir(dir, {}, loadProject("workbench.yaml"))).toBe(join(dir, "new"));
  expect(await ensurePublicModel(dir, {}, {public_model: {target: "info_sharing"}})).toBe(join(dir, "new"));
  expect(choosePublicModel(dir, {}, {public_model: {target: "info_sharing"}}).why).toMatch(
    /the newest info_sharing model \(public_model: \{target: info_sharing\}/,
  );
  expect(publicModelDir(dir, {}, {public_model: {target: "rag_red"}})).toBe(join(dir, "rag"));
  // No public_model: the project's default target, and the log says how to pin it.
  const unset = choosePublicModel(dir, {}, {target: "info_sharing"});
  expect(unset.dir).toBe(join(dir, "new"));
  expect(unset.why).toMatch(/names no public_model.*public_model: \{id: new\}/);
});

it("pins one model by id, and WORKBENCH_PUBLIC_MODEL overrides the project for one build", () => {
  expect(publicModelDir(dir, {}, {public_model: {id: "old"}})).toBe(join(dir, "old"));
  expect(publicModelDir(dir, {}, {public_model: {id: "old", target: "info_sharing"}})).toBe(join(dir, "old"));
  expect(publicModelDir(dir, {WORKBENCH_PUBLIC_MODEL: "old"}, {public_model: {target: "rag_red"}})).toBe(join(dir, "old"));
  expect(choosePublicModel(dir, {WORKBENCH_PUBLIC_MODEL: "old"}, {}).why).toMatch(/WORKBENCH_PUBLIC_MODEL=old/);
});

it("refuses a choice that names no registered model, or a model and a target that disagree, saying what to write", () => {
  expect(() => publicModelDir(dir, {}, {public_model: {id: "nope"}})).toThrow(
    /workbench\.yaml: public_model names the model nope, which is not registered .*registered: .*old \(info_sharing\).*public_model: \{target: <target>\}/,
  );
  expect(() => publicModelDir(dir, {}, {public_model: {target: "recontact_12m"}})).toThrow(
    /no registered recontact_12m model .*npx workbench train --target recontact_12m.*public_model: \{id: <id>\}/,
  );
  expect(() => publicModelDir(dir, {}, {public_model: {id: "rag", target: "info_sharing"}})).toThrow(
    /names the model rag, a rag_red model, and the target info_sharing/,
  );
  expect(() => publicModelDir(dir, {WORKBENCH_PUBLIC_MODEL: "nope"}, {})).toThrow(/WORKBENCH_PUBLIC_MODEL: no model nope/);
  expect(() => publicModelDir(join(dir, "empty"), {}, {public_model: {target: "info_sharing"}})).toThrow(/npx workbench train/);
});
