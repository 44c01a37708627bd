/** The header row of a CSV extract: read once, checked before anything is loaded. */
import {closeSync, openSync, readSync} from "node:fs";
import type {Dictionary} from "../dictionary.ts";
import {normaliseHeading, variableForHeading} from "../dictionary.ts";
import {RefusedFile} from "./encoding.ts";

/** Splits one CSV line (RFC 4180 quoting) into fields. */
export function splitCsvLine(line: string, delimiter = ","): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) (out.push(field), (field = ""));
    else field += ch;
  }
  out.push(field);
  return out;
}

/** Reads and checks the header of a UTF-8 file: names trimmed, none empty, none repeated. */
export function readHeader(path: string, original = path): string[] {
  const fd = openSync(path, "r");
  const buf = Buffer.alloc(64 * 1024);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  let text = buf.subarray(0, n).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.indexOf("\n");
  if (end < 0 && n === buf.length) throw new RefusedFile(original, "no line break in the first 64 KB: not a CSV extract");
  const line = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, "");
  if (line.trim() === "") throw new RefusedFile(original, "the first line is empty: a header row is required");
  const names = splitCsvLine(line).map((s) => s.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === "") throw new RefusedFile(original, `header column ${i + 1} has no name`);
    const key = normaliseHeading(name);
    if (seen.has(key))
      throw new RefusedFile(
        original,
        `header names "${name}" twice (columns ${seen.get(key)! + 1} and ${i + 1}); each column needs one name`,
      );
    seen.set(key, i);
  });
  return names;
}

/**
 * The header matched to the dictionary: `map` gives the column holding each variable (by its name or
 * a `source` spelling; case, spaces, underscores and hyphens ignored), `ignoredColumns` the columns
 * the dictionary does not know. A file missing a required column, or naming a variable twice, is refused.
 */
export function matchHeader(header: string[], dict: Dictionary, file: string): {map: Map<string, string>; ignoredColumns: string[]} {
  const map = new Map<string, string>();
  for (const h of header) {
    const v = variableForHeading(dict, h);
    if (!v) continue;
    const had = map.get(v.name);
    if (had !== undefined) throw new RefusedFile(file, `columns "${had}" and "${h}" both name ${v.name}; keep one`);
    map.set(v.name, h);
  }
  const missing = dict.variables.filter((v) => v.required && !map.has(v.name)).map((v) => v.name);
  if (missing.length)
    throw new RefusedFile(file, `required column${missing.length > 1 ? "s" : ""} missing from the header: ${missing.join(", ")}`);
  const ignoredColumns = header.filter((h) => variableForHeading(dict, h) === undefined);
  return {map, ignoredColumns};
}
