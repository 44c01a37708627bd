/**
 * What a file is before DuckDB reads it: empty or not, byte-order mark, line
 * endings, and whether it is valid UTF-8. A file in another *declared* encoding is
 * transcoded to a UTF-8 copy; an undeclared non-UTF-8 file is refused (a silent
 * mis-decode would corrupt every accented name and code).
 */
import {closeSync, createReadStream, createWriteStream, openSync, readSync, statSync} from "node:fs";
import {once} from "node:events";
import {basename} from "node:path";

export class RefusedFile extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${basename(file)}: ${message}`);
  }
}

export interface FileShape {
  bytes: number;
  bom: "utf-8" | "utf-16le" | "utf-16be" | null;
  crlf: boolean;
}

const PROBE = 4 << 20; // the first 4 MB are checked in Node; DuckDB flags invalid UTF-8 in the rest row by row

export function probeFile(path: string): FileShape & {head: Buffer} {
  const bytes = statSync(path).size;
  const fd = openSync(path, "r");
  const head = Buffer.alloc(Math.min(bytes, PROBE));
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const bom =
    head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? "utf-8"
      : head[0] === 0xff && head[1] === 0xfe
        ? "utf-16le"
        : head[0] === 0xfe && head[1] === 0xff
          ? "utf-16be"
          : null;
  const nl = head.indexOf(0x0a);
  return {bytes, bom, crlf: nl > 0 && head[nl - 1] === 0x0d, head};
}

/** True if `bytes` is valid UTF-8 (a multi-byte character cut at the end of a probe is allowed). */
export function isUtf8(bytes: Buffer, truncated: boolean): boolean {
  let end = bytes.length;
  if (truncated) {
    // Step back over an incomplete trailing sequence.
    let i = end - 1;
    while (i >= 0 && i > end - 4 && (bytes[i] & 0xc0) === 0x80) i--;
    if (i >= 0 && bytes[i] >= 0xc0) end = i;
  }
  try {
    new TextDecoder("utf-8", {fatal: true}).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a file and returns the path DuckDB should read: the file itself when it
 * is UTF-8 (with or without BOM, LF or CRLF), or a transcoded UTF-8 copy at
 * `tmpPath` when `declared` names another encoding.
 */
export async function utf8Path(
  path: string,
  declared: string | undefined,
  tmpPath: string,
): Promise<{path: string; encoding: string; shape: FileShape}> {
  const probe = probeFile(path);
  const shape: FileShape = {bytes: probe.bytes, bom: probe.bom, crlf: probe.crlf};
  if (probe.bytes === 0) throw new RefusedFile(path, "the file is empty (not even a header row)");
  const enc = (declared ?? "utf-8").toLowerCase().replace(/^utf8$/, "utf-8");
  if (enc === "utf-8") {
    if (probe.bom === "utf-16le" || probe.bom === "utf-16be") {
      throw new RefusedFile(
        path,
        `the file is ${probe.bom.toUpperCase()} (byte-order mark) but no encoding was declared; declare it with --encoding ${probe.bom} or re-export as UTF-8`,
      );
    }
    if (!isUtf8(probe.head, probe.bytes > probe.head.length)) {
      throw new RefusedFile(
        path,
        "the file is not valid UTF-8 and no other encoding was declared; declare it (e.g. --encoding windows-1252) or re-export as UTF-8",
      );
    }
    return {path, encoding: "utf-8", shape};
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(enc, {fatal: true});
  } catch {
    throw new RefusedFile(path, `unknown encoding "${declared}"; use a WHATWG label such as windows-1252, iso-8859-1, utf-16le`);
  }
  try {
    await transcode(path, decoder, tmpPath);
  } catch {
    throw new RefusedFile(path, `the file is not valid ${declared}`);
  }
  return {path: tmpPath, encoding: enc, shape};
}

/** Writes the text of `path`, decoded by `decoder`, to `tmpPath` as UTF-8 (a fatal decoder's error is thrown). */
async function transcode(path: string, decoder: TextDecoder, tmpPath: string): Promise<void> {
  const out = createWriteStream(tmpPath);
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) {
      const text = decoder.decode(chunk as Buffer, {stream: true});
      if (!out.write(text)) await once(out, "drain");
    }
    out.write(decoder.decode());
  } catch (error) {
    out.destroy();
    throw error;
  }
  out.end();
  await once(out, "finish");
}

/**
 * A UTF-8 path to a file's text for identifier screening before any check (see raw-screen.ts),
 * never a refusal: the file itself when its start is valid UTF-8 and no other encoding is declared,
 * else a copy at `tmpPath` decoded leniently (a byte that does not decode becomes U+FFFD) by the
 * declared encoding, the byte-order mark's UTF-16, or UTF-8. Every identifier the screens look for
 * is ASCII, and an ASCII byte decodes to itself in UTF-8 and windows-1252 alike, so a file in the
 * wrong or an undeclared encoding is still screened for every identifier it holds.
 */
export async function screenableUtf8Path(path: string, declared: string | undefined, tmpPath: string): Promise<string> {
  const probe = probeFile(path);
  const label = (declared ?? "utf-8").toLowerCase().replace(/^utf8$/, "utf-8");
  let decoder: TextDecoder | null = null;
  try {
    if (label !== "utf-8") decoder = new TextDecoder(label);
  } catch {
    // an unknown label: screened as UTF-8 (the label itself is refused later)
  }
  if (!decoder && (probe.bom === "utf-16le" || probe.bom === "utf-16be")) decoder = new TextDecoder(probe.bom);
  if (!decoder && !isUtf8(probe.head, probe.bytes > probe.head.length)) decoder = new TextDecoder("utf-8");
  if (!decoder) return path;
  await transcode(path, decoder, tmpPath);
  return tmpPath;
}
