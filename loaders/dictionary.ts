/**
 * Reads data/dictionary.yaml: the one contract between extracts, loaders, pages
 * and models. This module gives typed access and the code look-ups everything
 * else uses (so nothing is hard-coded to one extract's columns).
 */
import {readFileSync} from "node:fs";
import {parse} from "yaml";
import {DICTIONARY} from "./paths.ts";

export interface Code {
  code: string;
  label: string;
  definition?: string;
  synonyms?: string[];
}

export type VariableType = "category" | "multi-category" | "integer" | "number" | "boolean" | "date" | "datetime" | "id";
export type Role = "id" | "time" | "feature" | "target" | "protected" | "score" | "excluded";

export interface Variable {
  name: string;
  label: string;
  group: string;
  definition: string;
  type: VariableType;
  required?: boolean;
  role: Role;
  sensitivity: "direct-identifier" | "quasi-identifier" | "none";
  codes?: Code[];
  special_codes?: Code[];
  format?: string;
  range?: [number, number];
  separator?: string;
  after?: string;
}

export interface Dictionary {
  version: string;
  title: string;
  missing_markers: string[];
  groups: Record<string, string>;
  variables: Variable[];
  changes: {date: string; what: string; why: string; agreed_by: string}[];
}

/** Loads and checks the dictionary; errors name the file and the variable at fault. */
/** The last dictionary text parsed, and what it parsed to (parsing costs 30–80 ms; scoring loads it three times). */
let parsed: {text: string; dict: unknown} | null = null;

export function loadDictionary(path = DICTIONARY): Dictionary {
  const text = readFileSync(path, "utf8");
  if (parsed?.text !== text) parsed = {text, dict: parse(text)};
  // A copy each time: callers may change what they get.
  const dict = structuredClone(parsed.dict) as Dictionary;
  if (!dict || !Array.isArray(dict.variables)) throw new Error(`${path}: no "variables" list`);
  const seen = new Set<string>();
  for (const v of dict.variables) {
    if (!v.name) throw new Error(`${path}: a variable has no name`);
    if (seen.has(v.name)) throw new Error(`${path}: variable "${v.name}" is defined twice`);
    seen.add(v.name);
    if ((v.type === "category" || v.type === "multi-category") && !v.codes?.length) throw new Error(`${path}: variable "${v.name}" is a ${v.type} without codes`);
  }
  return dict;
}

export function variable(dict: Dictionary, name: string): Variable {
  const v = dict.variables.find((x) => x.name === name);
  if (!v) throw new Error(`the dictionary has no variable "${name}"; known: ${dict.variables.map((x) => x.name).join(", ")}`);
  return v;
}

/** Normal form for matching codes: case, surrounding and repeated whitespace ignored. */
export const normaliseSpelling = (text: string): string => text.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Every accepted spelling of a variable's codes (code, label, synonyms), normalised,
 * mapped to its code. Throws if one spelling would mean two codes.
 */
export function spellings(v: Variable): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of [...(v.codes ?? []), ...(v.special_codes ?? [])]) {
    for (const s of [c.code, c.label, ...(c.synonyms ?? [])]) {
      const key = normaliseSpelling(s);
      const had = map.get(key);
      if (had !== undefined && had !== c.code) throw new Error(`variable "${v.name}": "${s}" would mean both "${had}" and "${c.code}"`);
      map.set(key, c.code);
    }
  }
  return map;
}
