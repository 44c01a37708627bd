// The header row: RFC 4180 splitting, and readHeader's checks on real files.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {readHeader, splitCsvLine} from "../../../loaders/ingest/header.ts";
import {RefusedFile} from "../../../loaders/ingest/encoding.ts";

describe("splitCsvLine", () => {
  it("splits plain fields and keeps empty ones, first, middle and last", () => {
    expect(splitCsvLine("a,b,c")).toEqual(["a", "b", "c"]);
    expect(splitCsvLine(",a,,b,")).toEqual(["", "a", "", "b", ""]);
    expect(splitCsvLine("")).toEqual([""]);
    expect(splitCsvLine(" a , b ")).toEqual([" a ", " b "]);
  });

  it("keeps delimiters inside quotes and turns doubled quotes into one", () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(["a", "b,c", "d"]);
    expect(splitCsvLine('"he said ""no""",x')).toEqual(['he said "no"', "x"]);
    expect(splitCsvLine('"",""""')).toEqual(["", '"']);
    expect(splitCsvLine('"a;b";c', ";")).toEqual(["a;b", "c"]);
    expect(splitCsvLine("a;b,c", ";")).toEqual(["a", "b,c"]);
  });
});

describe("readHeader", () => {
  let dir: string;
  let n = 0;
  const file = (content: string | Buffer) => {
    const path = join(dir, `h${n++}.csv`);
    writeFileSync(path, content);
    return path;
  };
  /** The RefusedFile readHeader throws for `content`, read as if it came from `original`. */
  const refusal = (content: string, original = "/somewhere/extract.csv"): RefusedFile => {
    try {
      readHeader(file(content), original);
    } catch (error) {
      expect(error).toBeInstanceOf(RefusedFile);
      return error as RefusedFile;
    }
    throw new Error("readHeader accepted the header");
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "header-"));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("reads names trimmed, without a byte-order mark or carriage return, quoted names unquoted", () => {
    expect(readHeader(file("\ufeffcontact_id, team ,notes\r\n1,T1,x\r\n"))).toEqual(["contact_id", "team", "notes"]);
    expect(readHeader(file('"contact_id","a, b"\n'))).toEqual(["contact_id", "a, b"]);
    expect(readHeader(file("contact_id,team"))).toEqual(["contact_id", "team"]); // header only, no final newline
  });

  it("reads only the first line, however long the file", () => {
    expect(readHeader(file("a,b\n" + "1,2\n".repeat(50_000)))).toEqual(["a", "b"]);
  });

  it("refuses an empty first line, naming the original file rather than a transcoded copy", () => {
    const e = refusal("\n1,2\n");
    expect(e.message).toMatch(/^extract\.csv: /);
    expect(e.message).toContain("first line is empty");
    expect(e.file).toBe("/somewhere/extract.csv");
    expect(refusal("  \r\n").message).toContain("first line is empty");
  });

  it("refuses a column without a name, saying which", () => {
    expect(refusal("a,,b\n").message).toContain("header column 2 has no name");
    expect(refusal("a,b, \n").message).toContain("header column 3 has no name");
  });

  it("refuses a name given twice, whatever its case or surrounding spaces, naming both columns", () => {
    const e = refusal("contact_id,team,Team\n");
    expect(e.message).toContain('"Team" twice');
    expect(e.message).toContain("columns 2 and 3");
    expect(refusal("a, b ,b\n").message).toContain("columns 2 and 3");
  });

  it("refuses a file with no line break in the first 64 KB", () => {
    expect(refusal("x".repeat(70_000)).message).toContain("no line break in the first 64 KB");
  });
});
