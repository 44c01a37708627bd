// The Training page's settings checks (src/lib/live-training-settings.ts): what is typed
// becomes settings a run can use, or one message per field saying what would do; and a
// run that throws anyway ends in one "failed" state instead of an error in every cell.
import * as tf from "@tensorflow/tfjs";
import {describe, expect, it} from "vitest";
import {checkSettings, liveConfig, parseHiddenLayers, type RawSettings} from "../../src/lib/live-training-settings.ts";
import {trainingStates, type LiveState} from "../../src/lib/live-training.ts";

const target = {name: "info_sharing", label: "Staff shared information"};
const raw: RawSettings = {
  target,
  groups: ["contact", "child"],
  model: "mlp",
  hidden: "16",
  epochs: 6,
  learningRate: "0.005",
  ridge: "1",
};

describe("parseHiddenLayers", () => {
  it("reads sizes separated by commas, spaces allowed", () => {
    expect(parseHiddenLayers("16")).toEqual({layers: [16]});
    expect(parseHiddenLayers(" 32, 16 ")).toEqual({layers: [32, 16]});
    expect(parseHiddenLayers("32,16,")).toEqual({layers: [32, 16]});
  });

  it("names what it cannot read and says what would do", () => {
    expect(parseHiddenLayers("abc").problem).toBe(
      'Hidden layers: "abc" is not a layer size; use whole numbers from 1 to 512 separated by commas, e.g. 16 or 32, 16.',
    );
    expect(parseHiddenLayers("16, 2.5").problem).toMatch(/"2\.5" is not a layer size/);
    expect(parseHiddenLayers("0").problem).toMatch(/"0" is not a layer size/);
    expect(parseHiddenLayers("-4").problem).toMatch(/"-4" is not a layer size/);
    expect(parseHiddenLayers("4096").problem).toMatch(/"4096" is not a layer size/);
    expect(parseHiddenLayers("").problem).toMatch(/give at least one layer size/);
    expect(parseHiddenLayers(" , ").problem).toMatch(/give at least one layer size/);
    expect(parseHiddenLayers("8,8,8,8,8").problem).toMatch(/at most 4 layers \(5 given\)/);
  });
});

describe("checkSettings", () => {
  it("turns valid text into numbers and reports nothing", () => {
    const {settings, problems} = checkSettings(raw);
    expect(problems).toEqual({});
    expect(settings).toEqual({target, groups: ["contact", "child"], model: "mlp", hidden: [16], epochs: 6, learningRate: 0.005, ridge: 0});
  });

  it("gives one message for 'abc' in hidden layers, beside that field only, and no settings", () => {
    const {settings, problems} = checkSettings({...raw, hidden: "abc"});
    expect(settings).toBeUndefined();
    expect(Object.keys(problems)).toEqual(["hidden"]);
  });

  it("needs at least one feature group, whatever the model", () => {
    for (const model of ["mlp", "logistic"] as const) {
      const {settings, problems} = checkSettings({...raw, model, groups: []});
      expect(settings).toBeUndefined();
      expect(problems.groups).toBe("Feature groups: tick at least one; a model needs features to learn from.");
    }
  });

  it("checks epochs, learning rate and ridge against the inputs' ranges, as typed", () => {
    expect(checkSettings({...raw, epochs: "2.5"}).problems.epochs).toBe('Epochs: a whole number from 1 to 30 (not "2.5").');
    expect(checkSettings({...raw, epochs: "50"}).problems.epochs).toMatch(/from 1 to 30/);
    expect(checkSettings({...raw, learningRate: "0.5"}).problems.learningRate).toBe(
      'Learning rate: a number from 0.0001 to 0.1 (not "0.5").',
    );
    expect(checkSettings({...raw, learningRate: ""}).problems.learningRate).toBe("Learning rate: a number from 0.0001 to 0.1 is needed.");
    expect(checkSettings({...raw, model: "logistic", ridge: "-1"}).problems.ridge).toMatch(/Ridge: a number from 0 to 100/);
  });

  it("checks only the fields the chosen model uses", () => {
    // the logistic fit has no hidden layers, epochs or learning rate; the MLP no ridge
    const logistic = checkSettings({...raw, model: "logistic", hidden: "abc", epochs: "0", learningRate: ""});
    expect(logistic.problems).toEqual({});
    expect(logistic.settings).toMatchObject({model: "logistic", epochs: 1, ridge: 1});
    expect(checkSettings({...raw, ridge: "lots"}).problems).toEqual({});
  });
});

describe("liveConfig", () => {
  it("keeps the chosen groups' variables and carries the MLP's settings", () => {
    const variables = [
      {name: "source", type: "category" as const, group: "contact"},
      {name: "age", type: "integer" as const, group: "child"},
      {name: "prior", type: "integer" as const, group: "history"},
    ];
    const split = {validFrom: "2018-01-01", testFrom: "2018-07-01"};
    const config = liveConfig(checkSettings(raw).settings!, variables, split as never);
    expect(config.target).toBe("y_info_sharing");
    expect(config.variables.map((v) => v.name)).toEqual(["source", "age"]);
    expect(config.mlp).toMatchObject({hidden: [16], epochs: 6, learningRate: 0.005});
  });
});

describe("trainingStates", () => {
  it("ends a run that throws in one failed state with the error's message", async () => {
    const states: LiveState[] = [];
    const config = liveConfig(checkSettings(raw).settings!, [], {validFrom: "2018-01-01", testFrom: "2018-07-01"} as never);
    for await (const s of trainingStates(tf, [], config)) states.push(s);
    expect(states).toHaveLength(1);
    expect(states[0].phase).toBe("failed");
    expect(states[0].message).toMatch(/no feature variables/);
  });
});
