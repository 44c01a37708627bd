// The project file (workbench.yaml): defaults when absent, checked when present, errors naming the file;
// the committed one names the committed dictionary and a target it defines.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadProject, pilotTeams, projectFile} from "../../loaders/project.ts";
import {pilot} from "../../loaders/synth/params.ts";
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

  it("reads the pilot's design, and refuses a bad day, an end before the start or a team twice, naming the field", () => {
    const path = join(dir, "pilot.yaml");
    writeFileSync(path, 'pilot: {start: "2019-01-01", end: "2019-03-31", teams: [T2, T3]}\n');
    expect(loadProject(path).pilot).toEqual({start: "2019-01-01", end: "2019-03-31", teams: ["T2", "T3"]});
    writeFileSync(path, "pilot:\n  start: 2019-01-01\n  end: 2019-03-31\n");
    expect(loadProject(path).pilot).toEqual({start: "2019-01-01", end: "2019-03-31"});
    const refused = (text: string, message: RegExp) => {
      writeFileSync(path, text);
      expect(() => loadProject(path)).toThrow(message);
    };
    refused("pilot: {start: 2019-02-30, end: 2019-03-31}\n", /pilot\.yaml: pilot\.start: not a day of the calendar/);
    refused("pilot: {start: 1/1/2019, end: 2019-03-31}\n", /pilot\.yaml: pilot\.start: a day written YYYY-MM-DD/);
    refused("pilot: {start: 2019-03-31, end: 2019-01-01}\n", /pilot\.yaml: pilot\.end: the pilot ends before it starts/);
    refused("pilot: {start: 2019-01-01}\n", /pilot\.yaml: pilot\.end: /);
    refused("pilot: {start: 2019-01-01, end: 2019-03-31, teams: []}\n", /pilot\.teams: name at least one team, or leave teams out/);
    refused("pilot: {start: 2019-01-01, end: 2019-03-31, teams: [T1, T1]}\n", /pilot\.teams: a team is named twice/);
    refused("pilot: {start: 2019-01-01, end: 2019-03-31, team: [T1]}\n", /pilot\.yaml: pilot: .*Unrecognized key.*team/);
  });

  it("takes the pilot's teams from the project file, else from the teams with pilot bands, refusing an unknown team", () => {
    const known = ["T1", "T2", "T3", "T4"];
    const window = {start: "2019-01-01", end: "2019-03-31"};
    expect(pilotTeams({...window, teams: ["T3", "T1"]}, known, ["T2"])).toEqual({teams: ["T1", "T3"], from: "project"});
    expect(pilotTeams(window, known, ["T3", "T2"])).toEqual({teams: ["T2", "T3"], from: "bands"});
    expect(() => pilotTeams({...window, teams: ["T1", "Team 9"]}, known, [])).toThrow(
      /pilot\.teams: "Team 9" is not a team of the data; known: T1, T2, T3, T4/,
    );
    expect(() => pilotTeams(window, known, [])).toThrow(/no contact carries a pilot band.*name them \(pilot\.teams: \[\.\.\.\]\)/);
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
    // The pilot's window is the one the dictionary's split holds apart and the generator plants; its
    // teams come from the data's pilot bands (they differ by seed).
    expect(project.pilot).toEqual({start: dict.split?.pilot_from, end: dict.split?.pilot_to});
    expect(project.pilot).toEqual({start: pilot.start, end: pilot.end});
  });
});
