// @vitest-environment jsdom
// The glossary a page shows (src/components/glossary.ts): the terms asked for, in that
// order, closed by default; and every term of src/lib/glossary.ts says what it measures in
// words about staff decisions, never "needed".
import {describe, expect, it} from "vitest";
import {Glossary} from "../../src/components/glossary.ts";
import {GLOSSARY} from "../../src/lib/glossary.ts";
import {clean} from "./snapshot.ts";

describe("Glossary", () => {
  it("lists the terms asked for, in order, closed", async () => {
    const el = Glossary(["auc", "calibration", "falsePositive"]);
    expect(el.open).toBe(false);
    expect([...el.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      GLOSSARY.auc,
      GLOSSARY.calibration,
      GLOSSARY.falsePositive,
    ]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/glossary.html");
  });

  it("speaks of what staff decided, not of need", () => {
    for (const text of Object.values(GLOSSARY)) expect(text).not.toMatch(/needed|needs sharing|need sharing/i);
    expect(GLOSSARY.auc).toMatch(/staff shared/);
  });
});
