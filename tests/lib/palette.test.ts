// The site's palette (src/lib/palette.ts): categorical colours are all distinct, a scale never
// reuses a colour within its domain, too many categories is an error, and each concept keeps
// one colour whatever else is drawn beside it.
import {describe, expect, it} from "vitest";
import {
  CATEGORICAL,
  CALIBRATION_COLORS,
  calibrationColor,
  categorical,
  modelColor,
  ragColor,
  splitColor,
  RAG_COLORS,
} from "../../src/lib/palette.ts";

describe("palette", () => {
  it("categorical colours are distinct, enough for 20 categories, and an error past that", () => {
    expect(new Set(CATEGORICAL.map((c) => c.toLowerCase())).size).toBe(CATEGORICAL.length);
    const twelve = Array.from({length: 12}, (_, i) => `source ${i}`);
    expect(new Set(categorical(twelve).range).size).toBe(12);
    expect(() => categorical(Array.from({length: 21}, (_, i) => String(i)))).toThrow(/combine the smallest/);
  });

  it("a concept keeps its colour whatever is drawn beside it", () => {
    const a = modelColor(["logistic-1"]);
    const b = modelColor(["mlp-2", "logistic-1"]);
    expect(b.range[b.domain.indexOf("logistic-1")]).toBe(a.range[0]);
    expect(splitColor(["test"]).range).toEqual([splitColor(["valid", "test", "pilot"]).range[1]]);
    expect(ragColor(["red", "green"])).toEqual({domain: ["green", "red"], range: [RAG_COLORS.green, RAG_COLORS.red]});
  });

  it("a calibration version keeps its colour by name, and no two drawn together share one", () => {
    const scale = calibrationColor(["as trained", "Platt (fitted on validation)", "isotonic (fitted on validation)"]);
    expect(scale.range).toEqual([CALIBRATION_COLORS["as trained"], CALIBRATION_COLORS.Platt, CALIBRATION_COLORS.isotonic]);
    expect(calibrationColor(["isotonic (fitted on validation)"]).range).toEqual([CALIBRATION_COLORS.isotonic]);
    expect(new Set(calibrationColor(["as trained", "Platt", "beta"]).range).size).toBe(3);
  });
});
