/**
 * An extract file as bytes and as DuckDB reads it: one pass hashes it, counts its lines and finds
 * its empty lines (DuckDB skips those, so the row numbers after them shift); a cheap probe picks
 * DuckDB's CSV read buffer; and the read_csv call, with an explicit dialect and no sniffing.
 */
import {createHash} from "node:crypto";
import {open} from "node:fs/promises";
import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import {literal} from "../sql.ts";
import {rejectsTable, scanTable} from "./tables.ts";

/**
 * The file's SHA-256, the numbers of its empty lines (DuckDB skips those, so
 * row numbers after them must be shifted) and its number of lines (a last line
 * without a line break counts; a final line break starts no line).
 * One read hashes the file, counts its line feeds and looks for an empty line with a native search
 * ("\n\n" or "\n\r\n", also across chunk edges); only a file that has one is read again, line by line.
 */
export async function hashAndBlankLines(
  path: string,
  {hash: hashing = true} = {},
): Promise<{sha256: string; blankLines: number[]; lines: number}> {
  const hash = hashing ? createHash("sha256") : null;
  let tail = Buffer.from("\n"); // as if a line ended just before the file: a blank first line is found too
  let blank = false;
  let feeds = 0;
  let last = 10; // the file's last byte (a line feed before the file: an empty file has no line)
  for await (const buf of chunksOf(path)) {
    hash?.update(buf);
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) feeds++;
    if (buf.length) last = buf[buf.length - 1];
    if (!blank) {
      const edge = Buffer.concat([tail, buf.subarray(0, 2)]);
      blank = edge.includes("\n\n") || edge.includes("\n\r\n") || buf.includes("\n\n") || buf.includes("\n\r\n");
      tail = Buffer.from(buf.subarray(Math.max(0, buf.length - 2)));
    }
  }
  return {
    sha256: hash ? hash.digest("hex") : "",
    blankLines: blank ? await blankLineNumbers(path) : [],
    lines: feeds + (last === 10 ? 0 : 1),
  };
}

/**
 * A file's bytes, a MiB at a time, in one buffer read into again and again (each chunk is valid
 * until the next is asked for): a fresh buffer per chunk costs CPU time in first touches of new
 * memory, while DuckDB needs both cores.
 */
async function* chunksOf(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = (await file.read(buf, 0, buf.length, null)).bytesRead) > 0;) yield buf.subarray(0, n);
  } finally {
    await file.close();
  }
}

/** The numbers of a file's empty lines (a line holding nothing, or only a carriage return). */
async function blankLineNumbers(path: string): Promise<number[]> {
  const blankLines: number[] = [];
  let line = 1;
  let pending = 0; // bytes of the current line seen in earlier chunks (capped at 2)
  let pendingCr = false; // and they were exactly one carriage return
  for await (const buf of chunksOf(path)) {
    let from = 0;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, from)) {
      const length = pending + (i - from);
      if (length === 0 || (length === 1 && (pending ? pendingCr : buf[from] === 13))) blankLines.push(line);
      line++;
      from = i + 1;
      pending = 0;
      pendingCr = false;
    }
    const rest = buf.length - from;
    if (rest > 0) {
      pendingCr = pending === 0 && rest === 1 && buf[from] === 13;
      pending = Math.min(2, pending + rest);
    }
  }
  return blankLines;
}

/**
 * DuckDB's CSV read buffer for a file: 2 MiB when every line is shorter than 128 KiB (checked
 * cheaply, see `linesShorterThan`), else DuckDB's default (undefined), 16 times the longest line
 * it reads (2,000,000 bytes; longer rows are rejected as row_shape). DuckDB misreads lines that are
 * long against its buffer (rows of ~2 MB in 2 or 4 MiB buffers gave a stray-quote reject and lost
 * the rows' own rejects), so the small buffer keeps DuckDB's own ratio of 16. Smaller buffers halve
 * the page faults of the scan; the rows and rejects are the same.
 */
export function csvBufferSize(path: string): number | undefined {
  return linesShorterThan(path, SHORT_LINE) ? 16 * SHORT_LINE : undefined;
}
const SHORT_LINE = 128 * 1024;

/**
 * True when every line of the file is surely shorter than `limit` bytes: each window of limit/2
 * bytes holds a line feed (so no two line feeds, or the file's ends, are limit or more apart).
 * Reads a few KiB per window, not the file. False is conservative: a line of limit/2 or more
 * may be there (or the file ends lines with a bare carriage return).
 */
export function linesShorterThan(path: string, limit: number): boolean {
  const half = Math.floor(limit / 2);
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const probe = Buffer.allocUnsafe(Math.min(half, 4096));
    const rest = half > probe.length ? Buffer.allocUnsafe(half - probe.length) : null;
    // The last, partial window needs no line feed: its line began at most half - 1 bytes before it.
    for (let start = 0; start + half <= size; start += half) {
      if (probe.subarray(0, readSync(fd, probe, 0, probe.length, start)).includes(10)) continue;
      if (!rest || !rest.subarray(0, readSync(fd, rest, 0, rest.length, start + probe.length)).includes(10)) return false;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * The read_csv call for file number `f`: every column of `header` as text, an explicit dialect
 * (no sniffing, so no silent guess about the file), and rows that cannot be parsed kept in
 * rej_<f> (see `rejectsTable`) rather than failing the read. `buffer` is the read buffer in bytes
 * (see `csvBufferSize`); DuckDB's default without it.
 * @example csvSourceSql("x.csv", ["case_ref"], 0) // read_csv('x.csv', header = true, auto_detect = false, …)
 */
export function csvSourceSql(path: string, header: string[], f: number, buffer?: number): string {
  const columns = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(", ")}}`;
  return `read_csv(${literal(path)}, header = true, auto_detect = false,
    columns = ${columns}, delim = ',', quote = '"', escape = '"', null_padding = false, ${buffer ? `buffer_size = ${buffer}, ` : ""}
    store_rejects = true, rejects_table = ${literal(rejectsTable(f))}, rejects_scan = ${literal(scanTable(f))})`;
}

/** SQL for the distinct line numbers (column `line`) of the rows DuckDB could not parse in file `f`. */
export const rejectedLinesSql = (f: number): string => `SELECT DISTINCT line FROM ${rejectsTable(f)}`;

/**
 * True when every line of the file is the header, a parsed row, a rejected row or a blank line.
 * When not, some value spans lines (a quoted line break).
 */
export function everyLineAccounted({
  lines,
  rows,
  rejected,
  blank,
}: {
  lines: number;
  rows: number;
  rejected: number;
  blank: number;
}): boolean {
  return 1 + rows + rejected + blank === lines;
}
