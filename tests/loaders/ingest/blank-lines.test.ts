// Empty lines shift row numbers, so ingest must find every one: including at the
// start, at the end and across the 1 MiB chunks the file is read in. The same read
// counts the file's lines (ingest checks every line is accounted for).
import {describe, expect, it} from "vitest";
import {createHash} from "node:crypto";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {hashAndBlankLines} from "../../../loaders/ingest/file.ts";

/** The empty lines by the plain definition: a line (ended by \n) holding nothing or only \r. */
const naive = (text: string) => {
  const lines = text.split("\n");
  lines.pop(); // what follows the last \n is not a line ended by \n
  return lines.flatMap((l, i) => (l === "" || l === "\r" ? [i + 1] : []));
};

const CHUNK = 1 << 20;
/** Text whose byte `at` starts `insert`, padded with ordinary lines of 9 bytes. */
const around = (at: number, insert: string, eol = "\n") => {
  const line = "abcdefgh" + eol;
  const head = line.repeat(Math.ceil(at / line.length) + 1).slice(0, at);
  return head + insert + line.repeat(20);
};

describe("hashAndBlankLines", () => {
  const dir = mkdtempSync(join(tmpdir(), "blank-lines-"));
  const cases: [string, string][] = [
    ["no empty line", "a,b\n1,2\n3,4\n"],
    ["an empty file", ""],
    ["one line, no line break", "a,b"],
    ["no final line break", "a,b\n1,2"],
    ["empty first line", "\na,b\n1,2\n"],
    ["CRLF empty first line", "\r\na,b\r\n1,2\r\n"],
    ["empty lines inside and at the end", "a,b\n\n1,2\n\r\n3,4\n\n"],
    ["\\n|\\n across a chunk edge", around(CHUNK - 1, "\n\n")],
    ["\\n|\\r\\n across a chunk edge", around(CHUNK - 1, "\n\r\n")],
    ["\\n\\r|\\n across a chunk edge", around(CHUNK - 2, "\n\r\n")],
    ["a long CRLF file without empty lines", around(CHUNK + 5, "x\r\n", "\r\n")],
    ["a lone \\r line is empty, a line of two \\r is not", "a\n\r\r\nb\n\r\n"],
  ];
  it.each(cases)("%s", async (_, text) => {
    const file = join(dir, "x.csv");
    writeFileSync(file, text);
    const got = await hashAndBlankLines(file);
    expect(got.blankLines).toEqual(naive(text));
    expect(got.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    // Lines: what split("\n") gives, less the empty remainder after a final line break.
    expect(got.lines).toBe(text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
    // Without the hash (scoring keeps no warehouse): the same blank lines and lines, no hash.
    expect(await hashAndBlankLines(file, {hash: false})).toEqual({sha256: "", blankLines: got.blankLines, lines: got.lines});
  });
  it("cleans up", () => rmSync(dir, {recursive: true, force: true}));
});
