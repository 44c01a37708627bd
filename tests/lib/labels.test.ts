import {expect, it} from "vitest";
import {inSentence} from "../../src/lib/labels.ts";

it("lowers capitalised words and keeps acronyms and lower-case words", () => {
  expect(inSentence("Source of Contact")).toBe("source of contact");
  expect(inSentence("DASH Risk Level")).toBe("DASH risk level");
  expect(inSentence("Who made the contact")).toBe("who made the contact");
  expect(inSentence("NHS")).toBe("NHS");
});
