// Settings of the public build: the disclosure threshold and rounding from the environment
// (a threshold above 10 is refused), and which registered model the public pages describe.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {ensurePublicModel, publicDisclosure, publicModelDir} from "../../../loaders/public/settings.ts";
import {MODEL_FILES} from "../../../loaders/registry.ts";

let dir: string;
const model = (id: string, trainedAt: string) => {
  mkdirSync(join(dir, id), {recursive: true});
  for (const file of MODEL_FILES) writeFileSync(join(dir, id, file), "{}");
  writeFileSync(join(dir, id, "card.json"), JSON.stringify({id, trainedAt}));
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "public-settings-"));
  model("old", "2026-01-01T00:00:00.000Z");
  model("new", "2026-06-01T00:00:00.000Z");
  mkdirSync(join(dir, "incomplete"));
  writeFileSync(join(dir, "incomplete", "card.json"), JSON.stringify({trainedAt: "2027-01-01T00:00:00.000Z"}));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("reads the threshold and rounding from the environment, default 5 and none, and refuses a threshold above 10", () => {
  expect(publicDisclosure({})).toEqual({threshold: 5, roundTotalsTo: 1});
  expect(publicDisclosure({WORKBENCH_DISCLOSURE_THRESHOLD: "10", WORKBENCH_ROUND_TOTALS: "5"})).toEqual({threshold: 10, roundTotalsTo: 5});
  expect(() => publicDisclosure({WORKBENCH_DISCLOSURE_THRESHOLD: "11"})).toThrow(/from 1 to 10, got 11/);
});

it("describes the newest complete model, or the one named, and says how to make one", async () => {
  expect(publicModelDir(dir, {})).toBe(join(dir, "new"));
  expect(await ensurePublicModel(dir, {})).toBe(join(dir, "new"));
  expect(publicModelDir(dir, {WORKBENCH_PUBLIC_MODEL: "old"})).toBe(join(dir, "old"));
  expect(() => publicModelDir(dir, {WORKBENCH_PUBLIC_MODEL: "nope"})).toThrow(/no model nope/);
  expect(() => publicModelDir(join(dir, "empty"), {})).toThrow(/npx workbench train/);
});
