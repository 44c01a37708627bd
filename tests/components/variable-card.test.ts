// @vitest-environment jsdom
// Snapshots of the Variables page (src/variables.md): a variable's card (plain words,
// codes with synonyms, missingness, its distribution) and the small bar chart inside
// it. Fixtures copy the dictionary's entries for referral_source and age_years.
import {describe, expect, it} from "vitest";
import {VariableCard, type VariableCardData} from "../../src/components/variable-card.ts";
import {CodeBars} from "../../src/components/code-bars.ts";
import {asElement, clean, marks, texts, ticks} from "./snapshot.ts";

const referralSource: VariableCardData = {
  name: "referral_source",
  label: "Who made the contact",
  group: "contact",
  definition: "The agency or person who contacted the MASH, in the DfE referral-source categories.",
  type: "category",
  required: true,
  role: "feature",
  sensitivity: "none",
  codes: [
    {
      code: "police",
      label: "Police",
      definition: "DfE 6: police, including domestic-abuse notifications",
      synonyms: ["Suffolk Constabulary"],
    },
    {code: "school", label: "Schools", definition: "DfE 2A: schools", synonyms: ["Schools"]},
    {code: "anonymous", label: "Anonymous", definition: "DfE 9: the person did not give their name", synonyms: ["ANON"]},
  ],
  n: 4000,
  missing: 12,
  distribution: [
    {value: "police", n: 1800},
    {value: "school", n: 1400},
    {value: "anonymous", n: 788},
  ],
};

const ageYears: VariableCardData = {
  name: "age_years",
  label: "Age (years)",
  group: "child",
  definition: 'The child\'s age in whole years on the day of the contact; "unborn" for a contact about an unborn child.',
  type: "integer",
  range: [0, 17],
  special_codes: [{code: "unborn", label: "Unborn child", definition: "A contact before the child's birth"}],
  role: "feature",
  sensitivity: "quasi-identifier",
  n: 4000,
  missing: 0,
  distribution: [
    {value: "unborn", n: 40},
    {value: "0", n: 300},
    {value: "1", n: 250},
  ],
};

describe("variable card (HTML snapshot)", () => {
  it("says the variable in plain words, lists its codes, counts the empty values and draws its distribution", async () => {
    const el = asElement(
      VariableCard(referralSource, {
        width: 320,
        groupLabel: "About the contact",
        problems: [{note: "school nurse recorded as school", n: 2}],
      }),
    );
    expect(el.id).toBe("var-referral_source");
    expect(el.querySelector("h2")?.textContent).toBe("Who made the contact referral_source");
    expect(el.querySelector("h3")?.textContent).toBe("About the contact · category · required · role: feature · not identifying");
    expect([...el.querySelectorAll("tbody tr td:last-child")].map((td) => td.textContent)).toEqual([
      "Suffolk Constabulary",
      "Schools",
      "ANON",
    ]);
    expect(el.textContent).toContain("12 of 4,000 contacts empty (0.3%)");
    expect(ticks(el, "y")).toEqual(["Police", "Schools", "Anonymous"]); // the bars use the codes' labels
    expect(el.querySelector(".warning")?.textContent).toBe(
      "Terminology problems raised in working sessions: school nurse recorded as school (2)",
    );
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/variable-card.html");
  });

  it("an integer variable shows its range, its sensitivity, and labels a special code", () => {
    const el = asElement(VariableCard(ageYears));
    expect(el.querySelector("h3")?.textContent).toBe("child · integer · role: feature · quasi identifier");
    expect(el.textContent).toContain("Allowed range: 0–17");
    expect(el.querySelector("table")).toBeNull();
    expect(ticks(el, "y")).toEqual(["Unborn child", "0", "1"]);
  });
});

describe("code bars (SVG snapshot at a fixed width)", () => {
  it("one bar per code, labelled with its count, in the order given", async () => {
    const el = CodeBars(referralSource.distribution, {width: 320, labels: {police: "Police", school: "Schools"}});
    expect(marks(el, "bar", "rect").length).toBe(3);
    expect(ticks(el, "y")).toEqual(["Police", "Schools", "anonymous"]);
    expect(texts(el)).toEqual(["1,800", "1,400", "788"]);
    const widths = marks(el, "bar", "rect").map((r) => Number(r.getAttribute("width")));
    expect(widths[0] / widths[2]).toBeCloseTo(1800 / 788, 1);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/code-bars.svg.html");
  });
});
