/**
 * Reads data/dictionary.yaml: the one contract between extracts, loaders, pages
 * and models. This module gives typed access and the code look-ups everything
 * else uses (so nothing is hard-coded to one extract's columns).
 */
import {readFileSync} from "node:fs";
import {LineCounter, parseDocument} from "yaml";
import {z} from "zod";
import {DICTIONARY} from "./paths.ts";

/** One allowed code of a category: its label, definition and the other spellings that mean it. */
const CodeSchema = z.strictObject({
  code: z.string().min(1),
  label: z.string().min(1),
  definition: z.string().optional(),
  synonyms: z.array(z.string()).optional(),
});

const VariableSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, "a lower-case name: letters, digits and _"),
    label: z.string().min(1),
    group: z.string().min(1),
    definition: z.string().min(1),
    type: z.enum(["category", "multi-category", "integer", "number", "boolean", "date", "datetime", "id"]),
    required: z.boolean().optional(),
    role: z.enum(["id", "time", "feature", "target", "protected", "score", "excluded"]),
    sensitivity: z.enum(["direct-identifier", "quasi-identifier", "none"]),
    codes: z.array(CodeSchema).optional(),
    special_codes: z.array(CodeSchema).optional(),
    format: z.string().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
    separator: z.string().optional(),
    after: z.string().optional(),
  })
  .refine((v) => !(v.type === "category" || v.type === "multi-category") || (v.codes?.length ?? 0) > 0, {
    message: "a category needs codes",
    path: ["codes"],
  });

const DictionarySchema = z.strictObject({
  version: z.string().min(1),
  title: z.string().min(1),
  missing_markers: z.array(z.string()),
  groups: z.record(z.string(), z.string()),
  variables: z.array(VariableSchema).min(1),
  changes: z.array(
    z.strictObject({date: z.union([z.string(), z.date()]).transform(String), what: z.string(), why: z.string(), agreed_by: z.string()}),
  ),
});

export type Code = z.infer<typeof CodeSchema>;
export type Variable = z.infer<typeof VariableSchema>;
export type VariableType = Variable["type"];
export type Role = Variable["role"];
export type Dictionary = z.infer<typeof DictionarySchema>;

/**
 * Loads and checks the dictionary against its schema. Errors name the file,
 * the line and the field at fault, e.g.
 * `data/dictionary.yaml:52: variables[3].type: expected one of category, …`.
 */
export function loadDictionary(path = DICTIONARY): Dictionary {
  const text = readFileSync(path, "utf8");
  const lines = new LineCounter();
  const doc = parseDocument(text, {lineCounter: lines});
  if (doc.errors.length) {
    const error = doc.errors[0];
    throw new Error(`${path}:${error.linePos?.[0].line ?? "?"}: not valid YAML: ${error.message.split("\n")[0]}`);
  }
  const result = DictionarySchema.safeParse(doc.toJS());
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as {range?: [number, number]} | undefined;
      const at = node?.range ?? nearestRange(doc, issue.path as (string | number)[]);
      const line = at ? `:${lines.linePos(at[0]).line}` : "";
      return `${path}${line}: ${fieldName(doc, issue.path as (string | number)[])}: ${issue.message}`;
    });
    throw new Error(problems.join("\n"));
  }
  const dict = result.data;
  const seen = new Set<string>();
  for (const [i, v] of dict.variables.entries()) {
    if (seen.has(v.name)) {
      const node = doc.getIn(["variables", i], true) as {range?: [number, number]} | undefined;
      throw new Error(`${path}${node?.range ? `:${lines.linePos(node.range[0]).line}` : ""}: variable "${v.name}" is defined twice`);
    }
    seen.add(v.name);
  }
  return dict;
}

/** The range of the closest existing parent of `path` (a missing field is reported at its parent). */
function nearestRange(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): [number, number] | undefined {
  for (let k = path.length - 1; k >= 0; k--) {
    const node = doc.getIn(path.slice(0, k), true) as {range?: [number, number]} | undefined;
    if (node?.range) return node.range;
  }
  return undefined;
}

/** A field path as a reader finds it: `variables[3] (gender).codes[0].label`. */
function fieldName(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): string {
  let out = "";
  path.forEach((key, k) => {
    out += typeof key === "number" ? `[${key}]` : `${k ? "." : ""}${key}`;
    if (k === 1 && path[0] === "variables") {
      const name = doc.getIn(["variables", key, "name"]);
      if (typeof name === "string") out += ` (${name})`;
    }
  });
  return out || "(top level)";
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
