// The shared identifier screen (src/lib/identifiers.ts): each kind on values that are and are
// not identifiers, names in every case and by context, NHS check digits computed here, and the
// false-positive check on every code and label of both council dictionaries and on every
// distinct value of the synthetic sample.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {identifiersIn, isLoneName, mayShow, maskedSpelling, screenColumn, validNhsNumber} from "../../src/lib/identifiers.ts";
import {FIRST_NAMES, SURNAMES} from "../../src/lib/name-lists.ts";
import {loadDictionary} from "../../loaders/dictionary.ts";

/** The NHS number check digit: 11 − (Σ digit × weight 10…2 mod 11), 11 → 0, 10 → no valid number. */
function checkDigit(nine: string): number | null {
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += Number(nine[k]) * (10 - k);
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c === 10 ? null : c;
}

describe("NHS numbers", () => {
  let s = 1;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const stems = Array.from(
    {length: 400},
    () => String(1 + Math.floor(next() * 9)) + Array.from({length: 8}, () => Math.floor(next() * 10)).join(""),
  );
  const valid = stems.filter((x) => checkDigit(x) !== null).map((x) => x + checkDigit(x));

  it("accepts every valid check digit, plain, spaced 3-3-4 or hyphenated, and in a sentence", () => {
    expect(checkDigit("943476591")).toBe(9); // the NHS Data Dictionary's example, 943 476 5919
    expect(valid.length).toBeGreaterThan(300);
    expect(valid.every(validNhsNumber)).toBe(true);
    const written = valid.flatMap((v) => [
      v,
      `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`,
      `nhs no ${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)} given`,
    ]);
    expect(written.filter((v) => !identifiersIn(v).includes("nhs_number"))).toEqual([]);
  });

  it("rejects every wrong check digit and every stem whose remainder allows none", () => {
    const wrong = valid.flatMap((v) => [1, 5, 9].map((d) => v.slice(0, 9) + ((Number(v[9]) + d) % 10)));
    const none = stems.filter((x) => checkDigit(x) === null).flatMap((x) => ["0", "5", "9"].map((d) => x + d));
    expect(none.length).toBeGreaterThan(10);
    expect([...wrong, ...none].filter((v) => identifiersIn(v).includes("nhs_number"))).toEqual([]);
  });
});

describe("identifiersIn", () => {
  const cases: [string, string[]][] = [
    ["Oliver Smith", ["person_name"]],
    ["oliver smith", ["person_name"]],
    ["JACK TAYLOR", ["person_name"]],
    ["jAcK tAyLoR", ["person_name"]],
    ["Amelia Jane Wright", ["person_name"]],
    ["family member olivia smith", ["person_name"]],
    ["family_member_olivia_smith", ["person_name"]],
    ["Olivia Xyzzy", ["person_name"]],
    ["spoke to mum jane about it", ["person_name"]],
    ["Mr Xyzzy rang", ["person_name"]],
    ["Police Scotland", []],
    ["Suffolk Constabulary", []],
    ["will brown", []],
    ["Mark the file as seen", []],
    ["staff will review it", []],
    ["dad said", []],
    ["mum rang", []],
    ["grace hope", []],
    ["IP4 2BX", ["postcode"]],
    ["NR32 1PL", ["postcode"]],
    ["ip42bx", ["postcode"]],
    ["lives at ip1 2ab now", ["postcode"]],
    ["SCR-526B5", []],
    ["T2", []],
    ["jo.bloggs@example.org", ["email"]],
    ["not an @ address", []],
    ["01473 261000", ["phone"]],
    ["07700 900123", ["phone"]],
    ["+44 7700 900123", ["phone"]],
    ["+44 (0)7700 900123", ["phone"]],
    ["(01473) 261000", ["phone"]],
    ["1473261000", []],
    ["17/04/2009", ["date_of_birth"]],
    ["2009-04-17", ["date_of_birth"]],
    ["2009-04-17 10:00:00", []],
    ["rang on 01/02/2015", []],
    ["DOB 01/02/2015", ["date_of_birth"]],
    ["born 3rd March 2012", ["date_of_birth"]],
    ["AB 12 34 56 C", ["ni_number"]],
    ["ni is AB123456C", ["ni_number"]],
    ["CA142175A", []], // the shape of a record id too: not alone
    ["12 High St", ["address"]],
    ["lives at 4a Mill Lane", ["address"]],
    ["Flat 3", ["address"]],
    ["3 way meeting", []],
    ["943 476 5919", ["nhs_number"]],
    ["943 476 5918", []],
    ["C9A393C7B", []],
    ["CECE0BACF", []],
    ["domestic_abuse;neglect", []],
    ["st_edmundsbury", []],
    ["17", []],
    ["", []],
  ];

  it("finds each value as exactly its kinds", () => {
    expect(cases.map(([v]) => [v, identifiersIn(v)])).toEqual(cases);
  });

  it("finds every kind in one note, and a date of birth in a date column only by context", () => {
    const note = "Mum Jane Smith jane.smith@example.com rang on 07700 900123, 12 High St IP1 2AB, DOB 01/02/2015";
    expect(identifiersIn(note)).toEqual(["person_name", "postcode", "email", "phone", "date_of_birth", "address"]);
    expect(identifiersIn("2015-02-01", {dateColumn: true})).toEqual([]);
    expect(identifiersIn("2015-02-01", {dateColumn: false})).toEqual(["date_of_birth"]);
  });

  it("finds a full name made of a listed first name and surname in lower, upper and title case", () => {
    const first = FIRST_NAMES.split(" ")
      .filter((n) => !["will", "mark", "grace"].includes(n))
      .slice(0, 200);
    const last = SURNAMES.split(" ")
      .filter((n) => n !== "brown")
      .slice(0, 200);
    const title = (w: string) => w[0].toUpperCase() + w.slice(1);
    const names = first.map((f, i) => [f, last[i % last.length]]);
    const missed = names
      .flatMap(([f, l]) => [`${f} ${l}`, `${f} ${l}`.toUpperCase(), `${title(f)} ${title(l)}`])
      .filter((n) => !identifiersIn(n).includes("person_name"));
    expect(missed.length / (names.length * 3)).toBeLessThan(0.05);
  });
});

describe("screenColumn", () => {
  it("counts rows per kind with the least row, and flags a column of lone names only when they are many", () => {
    const values = [
      {text: "Olivia Smith", n: 3, row: 9},
      {text: "07700 900123", n: 1, row: 4},
      {text: "no concerns", n: 10, row: 1},
    ];
    expect(screenColumn(values)).toEqual(
      new Map([
        ["person_name", {count: 3, row: 9}],
        ["phone", {count: 1, row: 4}],
      ]),
    );
    const given = ["Olivia", "Noah", "Harry", "Amelia", "Sophie"].map((text, row) => ({text, n: 2, row}));
    expect(screenColumn(given).get("person_name")).toEqual({count: 10, row: 0});
    expect(screenColumn(given.slice(0, 4)).size).toBe(0); // four distinct names are too few to judge
    const ethnicity = ["white", "black", "mixed", "asian", "other"].map((text) => ({text, n: 100}));
    expect(screenColumn(ethnicity).size).toBe(0);
  });
});

describe("unknown spellings", () => {
  it("are shown only when short, no lone name and no identifier; else masked by length", () => {
    expect(["Police - CID", "health visitor", "la services"].every(mayShow)).toBe(true);
    expect(
      ["olivia", "family member olivia smith", "rang about noise from the flat upstairs again", "07700 900123", "x".repeat(41)].some(
        mayShow,
      ),
    ).toBe(false);
    expect(maskedSpelling(" olivia smith ")).toBe("(free text, 12 characters)");
    expect(isLoneName("SMITH")).toBe(true);
    expect(isLoneName("will")).toBe(false);
  });
});

describe("no false alarms", () => {
  it("on any code, label, synonym or description of either council's dictionary", () => {
    for (const file of ["data/dictionary.yaml", "data/dictionaries/essex.yaml"]) {
      const dict = loadDictionary(file);
      const texts = dict.variables.flatMap((v) => [
        v.name,
        v.label ?? "",
        v.definition ?? "",
        ...(v.codes ?? []).flatMap((c) => [c.code, c.label ?? "", c.definition ?? "", ...(c.synonyms ?? [])]),
      ]);
      expect(texts.length).toBeGreaterThan(200);
      expect(texts.filter((t) => identifiersIn(t).length > 0)).toEqual([]);
      // Codes and labels stored as unknown spellings would be shown: none is masked.
      expect(texts.filter((t) => t && t.length <= 40 && t.split(/\s+/).length <= 5 && !mayShow(t))).toEqual([]);
    }
  });

  it("on every distinct value of every column of the synthetic sample, screened as whole columns", () => {
    const lines = readFileSync("data/sample/contacts.csv", "utf8").trim().split("\n");
    const header = lines[0].split(",");
    const columns = header.map(() => new Map<string, number>());
    for (const line of lines.slice(1)) line.split(",").forEach((v, i) => columns[i]?.set(v, (columns[i].get(v) ?? 0) + 1));
    expect(lines.length).toBeGreaterThan(100_000);
    const alarms = header.flatMap((h, i) => {
      const found = screenColumn(
        [...columns[i]].map(([text, n]) => ({text, n})),
        {dateColumn: h.endsWith("datetime")},
      );
      return [...found].map(([kind, c]) => `${h}: ${kind} ${c.count}`);
    });
    expect(alarms).toEqual([]);
  });
});
