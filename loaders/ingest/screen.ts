/**
 * Identifier screening: an "anonymised" extract that still carries direct
 * identifiers must never get in. Columns are screened by name and by content
 * (person names, NHS numbers with a valid check digit, full postcodes, e-mail
 * addresses, phone numbers, full dates of birth). Findings name the column, the
 * kind and the count — never a value.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {ident, literal} from "../sql.ts";
import {queryRows} from "../db.ts";
import type {Dictionary} from "../dictionary.ts";

export type IdentifierKind = "person_name" | "nhs_number" | "postcode" | "email" | "phone" | "date_of_birth" | "declared_identifier";

export interface Finding {
  column: string;
  kind: IdentifierKind;
  by: "name" | "content" | "dictionary";
  count: number;
}

/** Column names that announce a direct identifier. */
const NAME_PATTERNS: [RegExp, IdentifierKind][] = [
  [/(^|_)(first_?name|forenames?|surname|last_?name|family_?name|full_?name|given_?name|name)($|_)/, "person_name"],
  [/(^|_)nhs(_?(no|num|number))?($|_)/, "nhs_number"],
  [/(^|_)post_?code($|_)/, "postcode"],
  [/(^|_)e_?mail($|_)/, "email"],
  [/(^|_)(phone|telephone|mobile|tel)($|_)/, "phone"],
  [/(^|_)(dob|date_?of_?birth|birth_?date)($|_)/, "date_of_birth"],
];

export function screenByName(columns: string[], dict: Dictionary): Finding[] {
  const out: Finding[] = [];
  for (const column of columns) {
    const declared = dict.variables.find((v) => v.name === column.toLowerCase());
    if (declared?.sensitivity === "direct-identifier") {
      out.push({column, kind: "declared_identifier", by: "dictionary", count: 0});
      continue;
    }
    // camelCase and PascalCase split into words first: EmailAddress → email_address, NHSNumber → nhs_number.
    const key = column
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_");
    for (const [re, kind] of NAME_PATTERNS) if (re.test(key)) out.push({column, kind, by: "name", count: 0});
  }
  return out;
}

/** Common first names (ONS baby-name lists and census forenames), to recognise "Firstname Surname" values. */
const FIRST_NAMES = [
  "oliver", "george", "harry", "jack", "jacob", "noah", "charlie", "muhammad", "mohammed", "thomas", "oscar", "william",
  "james", "leo", "alfie", "henry", "joshua", "freddie", "archie", "ethan", "isaac", "alexander", "joseph", "edward",
  "samuel", "daniel", "arthur", "lucas", "logan", "david", "john", "michael", "paul", "peter", "richard", "robert",
  "stephen", "andrew", "christopher", "matthew", "ryan", "liam", "kyle", "connor", "callum", "olivia", "amelia", "isla",
  "ava", "emily", "isabella", "mia", "poppy", "ella", "lily", "jessica", "sophie", "sophia", "evie", "ruby", "charlotte",
  "chloe", "emma", "sarah", "laura", "rebecca", "hannah", "lucy", "mary", "elizabeth", "susan", "karen", "julie", "claire",
  "amy", "katie", "lauren", "megan", "ellie", "freya", "alice", "scarlett", "jade", "kayleigh", "leah", "abigail", "zara",
];

/** SQL: true when a text is a 10-digit NHS number (optionally spaced 3-3-4) whose modulus-11 check digit is valid. */
export function nhsNumberSql(expr: string): string {
  const d = `regexp_replace(${expr}, '[ -]', '', 'g')`;
  const digit = (i: number) => `(ascii(substr(${d}, ${i}, 1)) - 48)`;
  const sum = Array.from({length: 9}, (_, k) => `${digit(k + 1)} * ${10 - k}`).join(" + ");
  return `(regexp_full_match(${expr}, '[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}') AND ((11 - ((${sum}) % 11)) % 11) = ${digit(10)})`;
}

type ContentKind = Exclude<IdentifierKind, "declared_identifier">;

/**
 * Per kind, a cheap guard (length, first character) and the full check, on a trimmed
 * value `v`: a value is of a kind when both hold. The regular expressions then only
 * run on plausible values, and values no guard admits need not be screened at all.
 */
export function contentGuards(v: string): Record<ContentKind, {guard: string; check: string}> {
  return {
    email: {guard: `contains(${v}, '@')`, check: `regexp_full_match(${v}, '[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}')`},
    postcode: {guard: `length(${v}) BETWEEN 5 AND 8`, check: `regexp_full_match(${v}, '[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}')`},
    phone: {guard: `length(${v}) BETWEEN 10 AND 18 AND left(${v}, 1) IN ('0', '+', '(')`, check: `regexp_full_match(regexp_replace(${v}, '[ ()-]', '', 'g'), '(\\+44|0)[1-9][0-9]{8,9}')`},
    nhs_number: {guard: `length(${v}) BETWEEN 10 AND 12 AND left(${v}, 1) BETWEEN '0' AND '9'`, check: nhsNumberSql(v)},
    date_of_birth: {guard: `length(${v}) BETWEEN 8 AND 10 AND left(${v}, 1) BETWEEN '0' AND '9'`, check: `regexp_full_match(${v}, '([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})|([0-9]{4}-[0-9]{2}-[0-9]{2})')`},
    person_name: {guard: `contains(${v}, ' ') AND left(${v}, 1) BETWEEN 'A' AND 'Z'`, check: `(lower(split_part(${v}, ' ', 1)) IN (${FIRST_NAMES.map(literal).join(", ")}) AND regexp_full_match(${v}, '[A-Z][a-z''-]+( [A-Z][a-z''-]+)+'))`},
  };
}

/** SQL conditions per kind, on a trimmed value `v`. */
export function contentChecks(v: string): Record<ContentKind, string> {
  return Object.fromEntries(Object.entries(contentGuards(v)).map(([k, {guard, check}]) => [k, `(CASE WHEN ${guard} THEN ${check} ELSE false END)`])) as Record<ContentKind, string>;
}

/** Kinds checked in a column: not dates of birth in a declared date or datetime column (dates are expected there). */
function kindsFor(column: string, dict: Dictionary | undefined, dateColumns: string[] = []): ContentKind[] {
  const declared = dict?.variables.find((v) => v.name === column.toLowerCase());
  const dated = declared?.type === "date" || declared?.type === "datetime" || dateColumns.includes(column);
  return (Object.keys(contentGuards("v")) as ContentKind[]).filter((k) => !(k === "date_of_birth" && dated));
}

/**
 * Counts the values of each kind per column of a long table `suspects(c, s)` (c the
 * column's index in `columns`, s the trimmed value) and turns the counts into findings.
 */
async function countKinds(db: DuckDBConnection, suspectsSql: string, columns: string[], kinds: ContentKind[][]): Promise<Finding[]> {
  const all = Object.entries(contentChecks("s")) as [ContentKind, string][];
  const applies = (k: ContentKind) => columns.map((_, i) => i).filter((i) => kinds[i].includes(k));
  const rows = await queryRows(db, `SELECT c, ${all.map(([k, cond]) => `count(*) FILTER (WHERE ${cond} AND c IN (${[-1, ...applies(k)].join(", ")})) AS ${k}`).join(", ")}
    FROM (${suspectsSql}) GROUP BY c ORDER BY c`);
  const out: Finding[] = [];
  for (const r of rows) for (const [k] of all) if (Number(r[k]) > 0) out.push({column: columns[Number(r.c)], kind: k, by: "content", count: Number(r[k])});
  return out;
}

/** SQL keeping only the values (trimmed, as `s`) that some kind's guard admits: the only ones that can be found. */
function suspects(valueSql: string, from: string, kinds: ContentKind[], c: number): string {
  const guards = contentGuards("s");
  return `SELECT ${c} AS c, s FROM (SELECT trim(${valueSql}) AS s ${from}) WHERE ${kinds.map((k) => `(${guards[k].guard})`).join(" OR ") || "false"}`;
}

/**
 * Screens the content of every column of `table`. Declared date and datetime
 * columns are not checked for dates; everything else is checked for everything.
 * `exprs` gives the SQL holding a column's raw text where it is not a column of that name.
 * Each column is read once, and only the values a guard admits are checked further.
 */
export async function screenByContent(db: DuckDBConnection, table: string, columns: string[], dict: Dictionary, exprs: Record<string, string> = {}): Promise<Finding[]> {
  if (!columns.length) return [];
  // Declared ids and codes are short tokens; a phone-like or NHS-like id is still refused, as it should be.
  const kinds = columns.map((column) => kindsFor(column, dict));
  const union = columns.map((column, i) => suspects(exprs[column] ?? ident(column), `FROM ${table}`, kinds[i], i)).join("\nUNION ALL\n");
  return countKinds(db, union, columns, kinds);
}

/**
 * Screens a long table of (column, v) values — e.g. the spellings of categorical
 * columns that matched no code (spellings that matched a code are known to be safe),
 * the items of multi-category values with an unknown item, or date values that failed
 * to parse. `dateColumns` are columns where dates are expected (not checked for dates
 * of birth), besides the dictionary's date and datetime variables.
 */
export async function screenValues(db: DuckDBConnection, sourceSql: string, dict?: Dictionary, dateColumns: string[] = []): Promise<Finding[]> {
  const names = await queryRows(db, `SELECT DISTINCT "column" FROM (${sourceSql}) ORDER BY 1`);
  const columns = names.map((r) => String(r.column));
  if (!columns.length) return [];
  const kinds = columns.map((column) => kindsFor(column, dict, dateColumns));
  const union = columns.map((column, i) => suspects("v", `FROM (${sourceSql}) WHERE "column" = ${literal(column)}`, kinds[i], i)).join("\nUNION ALL\n");
  return countKinds(db, union, columns, kinds);
}

/** The declared types whose every value is checked against codes or a format, so only their failures need screening. */
export const VALIDATED_TYPES = new Set(["category", "boolean", "multi-category", "date", "datetime"]);
