// The project file (workbench.yaml): defaults when absent, checked when present, errors naming the file;
// the committed one names the committed dictionary and a target it defines.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadProject, projectFile} from "../../loaders/project.ts";
import {loadDictionary} from "../../loaders/dictionary.ts";

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "project-"))));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("project file", () => {
  it("gives the defaults when there is no file", () => {
    expect(loadProject(join(dir, "none.yaml"))).toEqual({dictionary: "data/dictionary.yaml", extracts: [], model: "logistic"});
  });

  it("reads a project, and refuses an unknown setting or a wrong model by name", () => {
    const path = join(dir, "p.yaml");
    writeFileSync(path, "dictionary: data/dictionaries/essex.yaml\nextracts: [data/raw/essex]\ntarget: rag_red\nmodel: mlp\n");
    expect(loadProject(path)).toEqual({
      dictionary: "data/dictionaries/essex.yaml",
      extracts: ["data/raw/essex"],
      target: "rag_red",
      model: "mlp",
    });
    writeFileSync(path, "dictonary: x.yaml\n");
    expect(() => loadProject(path)).toThrow(/p\.yaml: .*Unrecognized key.*dictonary/);
    writeFileSync(path, "model: forest\n");
    expect(() => loadProject(path)).toThrow(/p\.yaml: model: /);
  });

  it("reads the public model as a target, an id or both, and refuses an empty or unknown choice saying what to write", () => {
    const path = join(dir, "public.yaml");
    writeFileSync(path, "public_model: {target: rag_red}\n");
    expect(loadProject(path).public_model).toEqual({target: "rag_red"});
    writeFileSync(path, "public_model:\n  target: info_sharing\n  id: info_sharing-logistic-0123456789ab\n");
    expect(loadProject(path).public_model).toEqual({target: "info_sharing", id: "info_sharing-logistic-0123456789ab"});
    writeFileSync(path, "public_model: {}\n");
    expect(() => loadProject(path)).toThrow(
      /public\.yaml: public_model: name a target or a model id, e\.g\. `public_model: \{target: info_sharing\}`/,
    );
    writeFileSync(path, "public_model: {newest: true}\n");
    expect(() => loadProject(path)).toThrow(/public\.yaml: public_model: .*Unrecognized key.*newest/);
  });

  it("follows WORKBENCH_PROJECT", () => {
    expect(projectFile({WORKBENCH_PROJECT: join(dir, "other.yaml")})).toBe(join(dir, "other.yaml"));
    expect(projectFile({})).toMatch(/workbench\.yaml$/);
  });

  it("the committed project names a dictionary that loads and a target it defines", () => {
    const project = loadProject("workbench.yaml");
    const dict = loadDictionary(project.dictionary);
    expect(Object.keys(dict.targets)).toContain(project.target);
    // The public pages describe one target's model, chosen here: the default target's, so a fresh clone builds.
    expect(project.public_model).toEqual({target: project.target});
  });
});
