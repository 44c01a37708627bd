/**
 * Reads data/dictionary.yaml: the one contract between extracts, loaders, pages
 * and models. This module gives typed access and the code look-ups everything
 * else uses (so nothing is hard-coded to one extract's columns).
 */
import {readFileSync} from "node:fs";
import {LineCounter, parseDocument} from "yaml";
import {z} from "zod";
import {DICTIONARY, PROJECT} from "./paths.ts";

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
    /** the column's heading in the extract when it is not the name (one, or several spellings seen) */
    source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
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
    /** how the Consistency page's comparison key uses the variable: left out (and why), or in bands (upper bounds) */
    consistency: z
      .strictObject({leave_out: z.boolean().optional(), bands: z.array(z.number()).min(1).optional(), why: z.string().optional()})
      .optional(),
  })
  .refine((v) => !(v.type === "category" || v.type === "multi-category") || (v.codes?.length ?? 0) > 0, {
    message: "a category needs codes",
    path: ["codes"],
  });

/** What the pipeline needs to know about the data, by role: the code reads these, never column names. */
const RolesSchema = z.strictObject({
  /** one row per record: the key scores, reviews and duplicates use */
  record: z.string(),
  /** whom the record is about (a child): splits keep a person on one side, history counts per person */
  person: z.string().optional(),
  /** people who share a home (a household): history counts per group */
  group: z.string().optional(),
  /** when the record happened: splits, months and history windows */
  event_time: z.string(),
  /** when staff decided */
  decision_time: z.string().optional(),
  /** what staff decided (a category) */
  decision: z.string().optional(),
  /** the staff member who decided, and their team */
  staff: z.string().optional(),
  team: z.string().optional(),
  /** the one variable of the simple baseline model shown beside every metric */
  baseline_feature: z.string().optional(),
  /** the model pilot: the band (an integer, 1 = lowest) the screener saw; blank outside the pilot */
  pilot_band: z.string().optional(),
  /** the model pilot: how the decision related to the band (codes agreed, followed, overrode) */
  pilot_response: z.string().optional(),
});

/** A named target: what a model predicts, from a variable's codes or from a later record of the same person. */
const TargetSchema = z
  .strictObject({
    label: z.string().min(1),
    definition: z.string().min(1),
    /** what the label measures that it should not (e.g. staff practice) */
    bias: z.string().min(1),
    variable: z.string().optional(),
    positive: z.array(z.string()).min(1).optional(),
    /** labelled only where this variable holds one of these codes (e.g. RAG ratings only of shared contacts) */
    among: z.strictObject({variable: z.string(), codes: z.array(z.string()).min(1)}).optional(),
    /** positive when the same person has another record within this many days; censored at the extract's end */
    recurrence_days: z.number().int().positive().optional(),
  })
  .refine((t) => (t.variable && t.positive && !t.recurrence_days) || (t.recurrence_days && !t.variable && !t.positive && !t.among), {
    message: "a target is either a variable with positive codes, or recurrence_days",
  });

/** The default split plan: dates (YYYY-MM-DD); when absent it is derived from the data's own date range. */
const SplitSchema = z.strictObject({
  valid_from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  test_from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  pilot_from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  pilot_to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const DictionarySchema = z.strictObject({
  version: z.string().min(1),
  title: z.string().min(1),
  missing_markers: z.array(z.string()),
  groups: z.record(z.string(), z.string()),
  roles: RolesSchema,
  targets: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), TargetSchema),
  default_target: z.string().optional(),
  split: SplitSchema.optional(),
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
export type Roles = z.infer<typeof RolesSchema>;
export type RoleName = keyof Roles;
export type TargetDefinition = z.infer<typeof TargetSchema>;

/**
 * Roles whose variables are recorded after the decision a model supports, or produced by the model
 * itself: never model features, whatever role their variable declares (dataset.ts leaves them out
 * and its leakage guard refuses them).
 */
export const AFTER_DECISION_ROLES = ["decision", "decision_time", "pilot_band", "pilot_response"] as const satisfies readonly RoleName[];

/** The codes a pilot_response variable must have: the pipeline reads these, the extract may spell them its own way. */
export const PILOT_RESPONSE_CODES = ["agreed", "followed", "overrode"] as const;

/** The variables the after-decision roles name, role by role (a variable named by none is not in the map). */
export function afterDecisionVariables(dict: Dictionary): Map<string, RoleName> {
  const out = new Map<string, RoleName>();
  for (const role of AFTER_DECISION_ROLES) {
    const name = dict.roles[role];
    if (name) out.set(name, role);
  }
  return out;
}

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
    const problems = result.error.issues.slice(0, 10).map((issue) => {
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
  // Roles and targets must name variables (and codes) the dictionary defines.
  const refuse = (field: (string | number)[], message: string): never => {
    const range = nearestRange(doc, field);
    throw new Error(`${path}${range ? `:${lines.linePos(range[0]).line}` : ""}: ${field.join(".")}: ${message}`);
  };
  const codesOf = (name: string) => new Set((dict.variables.find((v) => v.name === name)?.codes ?? []).map((c) => c.code));
  dict.variables.forEach((v, i) => {
    if (!(v.group in dict.groups))
      refuse(["variables", i, "group"], `"${v.group}" is not one of groups: ${Object.keys(dict.groups).join(", ")}`);
  });
  const headingOwner = new Map<string, string>();
  dict.variables.forEach((v, i) => {
    for (const h of headings(v)) {
      const other = headingOwner.get(h);
      if (other && other !== v.name) refuse(["variables", i, "source"], `the heading "${h}" would mean both ${other} and ${v.name}`);
      headingOwner.set(h, v.name);
    }
  });
  for (const [role, name] of Object.entries(dict.roles)) {
    if (name !== undefined && !seen.has(name)) refuse(["roles", role], `"${name}" is not a variable of the dictionary`);
  }
  for (const [name, t] of Object.entries(dict.targets)) {
    if (t.variable && !seen.has(t.variable)) refuse(["targets", name, "variable"], `"${t.variable}" is not a variable of the dictionary`);
    for (const code of t.positive ?? [])
      if (t.variable && !codesOf(t.variable).has(code)) refuse(["targets", name, "positive"], `"${code}" is not a code of ${t.variable}`);
    if (t.among && !seen.has(t.among.variable))
      refuse(["targets", name, "among", "variable"], `"${t.among.variable}" is not a variable of the dictionary`);
    for (const code of t.among?.codes ?? [])
      if (t.among && !codesOf(t.among.variable).has(code))
        refuse(["targets", name, "among", "codes"], `"${code}" is not a code of ${t.among.variable}`);
    if (t.recurrence_days && !dict.roles.person)
      refuse(["targets", name, "recurrence_days"], "a recurrence target needs roles.person (whose next record counts)");
  }
  checkPilotRoles(dict, refuse);
  if (dict.default_target && !(dict.default_target in dict.targets))
    refuse(["default_target"], `"${dict.default_target}" is not one of targets: ${Object.keys(dict.targets).join(", ")}`);
  return dict;
}

/**
 * The pilot's variables: the band an integer, the response a category with the codes agreed, followed
 * and overrode, both declared `role: excluded` (the model produced the band and the screener the
 * response after it: neither can be a feature), and a response only with a band.
 */
function checkPilotRoles(dict: Dictionary, refuse: (field: (string | number)[], message: string) => never): void {
  const {pilot_band: band, pilot_response: response} = dict.roles;
  const at = (name: string) => ["variables", dict.variables.findIndex((v) => v.name === name)];
  const excluded = (name: string, role: string) => {
    const v = variable(dict, name);
    if (v.role !== "excluded")
      refuse(
        [...at(name), "role"],
        `${name} plays roles.${role}, so its role must be excluded, not ${v.role}: the pilot's band and response come after the model scored the contact and can never be model features`,
      );
  };
  if (band) {
    const v = variable(dict, band);
    if (v.type !== "integer")
      refuse(["roles", "pilot_band"], `"${band}" must be an integer variable (the band 1, 2, … the screener saw), but it is a ${v.type}`);
    excluded(band, "pilot_band");
  }
  if (response) {
    if (!band) refuse(["roles", "pilot_response"], "a pilot response needs roles.pilot_band (the band it responds to)");
    const v = variable(dict, response);
    if (v.type !== "category")
      refuse(["roles", "pilot_response"], `"${response}" must be a category variable (agreed, followed, overrode), but it is a ${v.type}`);
    const codes = new Set((v.codes ?? []).map((c) => c.code));
    const missing = PILOT_RESPONSE_CODES.filter((c) => !codes.has(c));
    const extra = [...codes].filter((c) => !(PILOT_RESPONSE_CODES as readonly string[]).includes(c));
    if (missing.length || extra.length)
      refuse(
        [...at(response), "codes"],
        `${response} plays roles.pilot_response, so its codes must be exactly ${PILOT_RESPONSE_CODES.join(", ")} (labels and synonyms may be the extract's own)${missing.length ? `; missing: ${missing.join(", ")}` : ""}${extra.length ? `; not allowed: ${extra.join(", ")}` : ""}`,
      );
    excluded(response, "pilot_response");
  }
}

/** The variable playing `role`, or an error saying the dictionary names none (and what needs it). */
export function roleVariable(dict: Dictionary, role: RoleName, neededFor = "this step"): string {
  const name = dict.roles[role];
  if (!name) throw new Error(`the dictionary names no ${role} variable (roles.${role}), which ${neededFor} needs`);
  return name;
}

/** A named target's definition, or an error listing the dictionary's targets. */
export function targetDefinition(dict: Dictionary, name: string): TargetDefinition {
  const t = dict.targets[name];
  if (!t) throw new Error(`unknown target "${name}"; the dictionary defines: ${Object.keys(dict.targets).join(", ") || "none"}`);
  return t;
}

/**
 * The target a command or page uses when none is asked for: the project file's target when this
 * dictionary defines it, else the dictionary's default_target, else its first.
 */
export function defaultTarget(dict: Dictionary): string {
  const name =
    (PROJECT.target && PROJECT.target in dict.targets ? PROJECT.target : undefined) ?? dict.default_target ?? Object.keys(dict.targets)[0];
  if (!name) throw new Error("the dictionary defines no targets (targets:), so there is nothing to train");
  return name;
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

/** Normal form of a column heading: case, spaces, underscores and hyphens ignored ("Date Received" = "date_received"). */
export const normaliseHeading = (text: string): string =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");

/** The headings that name variable `v` in an extract: its name and its source spellings, normalised. */
export function headings(v: Variable): string[] {
  const sources = v.source === undefined ? [] : Array.isArray(v.source) ? v.source : [v.source];
  return [v.name, ...sources].map(normaliseHeading);
}

/** The variable a column heading names (its name or a source spelling, normalised), if any. */
export function variableForHeading(dict: Dictionary, heading: string): Variable | undefined {
  const h = normaliseHeading(heading);
  return dict.variables.find((v) => headings(v).includes(h));
}
