// CSV cells the workbench writes: formula-like text escaped (OWASP), RFC 4180 quoting, and the escape undone on reading.
import {describe, expect, it} from "vitest";
import {CsvError, csvCell, csvLine, csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";

/** The formula-injection corpus of issue 19, with a tab, a carriage return and a leading quote besides. */
const FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "@SUM(1,2)", "=cmd|' /C calc'!A0", "-2+3", "\tx", "\r=1", "'=1", "''+2"];

/** True when a spreadsheet would run the cell (as parsed, quotes removed) as a formula. */
const runnable = (field: string) => /^[=+\-@\t\r]/.test(field);

describe("csvCell", () => {
  it("escapes each formula of the corpus with a leading quote, and quotes the cell", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("+1+2")).toBe(`"'+1+2"`);
    expect(csvCell("@SUM(1,2)")).toBe(`"'@SUM(1,2)"`);
    expect(csvCell("=cmd|' /C calc'!A0")).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(csvCell("-2+3")).toBe(`"'-2+3"`);
    expect(csvCell("\tx")).toBe(`"'\tx"`);
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    // A text that already starts with quotes before a formula character gets one more, so that reading gives it back.
    expect(csvCell("'=1")).toBe(`"''=1"`);
    for (const f of FORMULAS) {
      const [parsed] = csvRecords(csvCell(f) + "\n");
      expect(parsed.fields, JSON.stringify(f)).toHaveLength(1);
      expect(runnable(parsed.fields[0]), JSON.stringify(f)).toBe(false);
    }
  });

  it("leaves plain text untouched and quotes commas, quotes and line breaks (RFC 4180)", () => {
    for (const plain of ["C0001A2B3", "referral_source=police", "contacts.csv", "a-b", "x=1", "'quoted", "", "é"])
      expect(csvCell(plain)).toBe(plain);
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
  });

  it("round trip: written, parsed and unescaped, every cell is the text it was", () => {
    const cells = [...FORMULAS, "plain", "a,b", 'say "hi"', "two\nlines", "'x", "'", "-", "=", ""];
    const text = csvLine(cells) + "\n" + csvLine([...cells].reverse()) + "\n";
    const records = csvRecords(text);
    expect(records).toHaveLength(2);
    expect(records[0].fields.map(unescapeCsvCell)).toEqual(cells);
    expect(records[1].fields.map(unescapeCsvCell)).toEqual([...cells].reverse());
    expect(records[0].fields.some(runnable)).toBe(false);
  });

  it("unescapes only what it escaped: a leading quote before anything else stays", () => {
    expect(unescapeCsvCell("'=1")).toBe("=1");
    expect(unescapeCsvCell("''=1")).toBe("'=1");
    expect(unescapeCsvCell("'x")).toBe("'x");
    expect(unescapeCsvCell("=1")).toBe("=1");
  });

  it("numbers the program writes are data: a negative contribution is written as it is, not through csvCell", () => {
    const line = ["C1", (0.123456).toFixed(6), (-0.1234).toFixed(4)].join(",");
    expect(`${csvCell("C1")},${(0.123456).toFixed(6)},${(-0.1234).toFixed(4)}`).toBe(line);
    expect(csvRecords(line)[0].fields).toEqual(["C1", "0.123456", "-0.1234"]);
    // The same text as a name (an id, a factor) is escaped.
    expect(csvCell("-0.1234")).toBe(`"'-0.1234"`);
  });

  it("csvLine leaves null and undefined empty; csvRecords names the line of a quote never closed", () => {
    expect(csvLine(["a", null, undefined, "=b"])).toBe(`a,,,"'=b"`);
    expect(csvRecords('a,b\n"x\ny",z\nq,r\n').map((r) => r.line)).toEqual([1, 2, 4]);
    expect(() => csvRecords('a,b\n"open,z\n')).toThrow(CsvError);
    expect(() => csvRecords('a,b\n"open,z\n')).toThrow(/line 2: a quoted field is never closed/);
  });
});
