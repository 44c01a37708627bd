/**
 * Identifier screening: an "anonymised" extract that still carries direct
 * identifiers must never get in. Columns are screened by name and by content
 * (person names, NHS numbers with a valid check digit, full postcodes, e-mail
 * addresses, phone numbers, full dates of birth). Findings name the column, the
 * kind and the count — never a value.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {ident, literal, normalisedExpr} from "../sql.ts";
import {queryRows} from "../db.ts";
import {headings, spellings, type Dictionary, variableForHeading} from "../dictionary.ts";

export type IdentifierKind = "person_name" | "nhs_number" | "postcode" | "email" | "phone" | "date_of_birth" | "declared_identifier";

export interface Finding {
  /** the column's name in the header ("" when it has none that can be shown) */
  column: string;
  kind: IdentifierKind;
  by: "name" | "content" | "dictionary";
  count: number;
  /** the column's position in the file (from 1), when screened as raw text (see `screenCells`) */
  position?: number;
  /** the line of the first value found, when screened as raw text */
  row?: number;
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
    const declared = variableForHeading(dict, column);
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
  "oliver",
  "george",
  "harry",
  "jack",
  "jacob",
  "noah",
  "charlie",
  "muhammad",
  "mohammed",
  "thomas",
  "oscar",
  "william",
  "james",
  "leo",
  "alfie",
  "henry",
  "joshua",
  "freddie",
  "archie",
  "ethan",
  "isaac",
  "alexander",
  "joseph",
  "edward",
  "samuel",
  "daniel",
  "arthur",
  "lucas",
  "logan",
  "david",
  "john",
  "michael",
  "paul",
  "peter",
  "richard",
  "robert",
  "stephen",
  "andrew",
  "christopher",
  "matthew",
  "ryan",
  "liam",
  "kyle",
  "connor",
  "callum",
  "olivia",
  "amelia",
  "isla",
  "ava",
  "emily",
  "isabella",
  "mia",
  "poppy",
  "ella",
  "lily",
  "jessica",
  "sophie",
  "sophia",
  "evie",
  "ruby",
  "charlotte",
  "chloe",
  "emma",
  "sarah",
  "laura",
  "rebecca",
  "hannah",
  "lucy",
  "mary",
  "elizabeth",
  "susan",
  "karen",
  "julie",
  "claire",
  "amy",
  "katie",
  "lauren",
  "megan",
  "ellie",
  "freya",
  "alice",
  "scarlett",
  "jade",
  "kayleigh",
  "leah",
  "abigail",
  "zara",
];

/** SQL: true when a text is a 10-digit NHS number (optionally spaced 3-3-4) whose modulus-11 check digit is valid. */
export function nhsNumberSql(expr: string): string {
  const d = `regexp_replace(${expr}, '[ -]', '', 'g')`;
  const digit = (i: number) => `(ascii(substr(${d}, ${i}, 1)) - 48)`;
  const sum = Array.from({length: 9}, (_, k) => `${digit(k + 1)} * ${10 - k}`).join(" + ");
  return `(regexp_full_match(${expr}, '[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}') AND ((11 - ((${sum}) % 11)) % 11) = ${digit(10)})`;
}

type ContentKind = Exclude<IdentifierKind, "declared_identifier">;

/** SQL conditions per kind, on a trimmed value `v`. */
export function contentChecks(v: string): Record<Exclude<IdentifierKind, "declared_identifier">, string> {
  // Each check starts with a cheap guard (length, first character) so the regular
  // expression only runs on plausible values: screening stays a small share of ingest.
  const guard = (cond: string, check: string) => `(CASE WHEN ${cond} THEN ${check} ELSE false END)`;
  return {
    email: guard(`contains(${v}, '@')`, `regexp_full_match(${v}, '[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}')`),
    postcode: guard(`length(${v}) BETWEEN 5 AND 8`, `regexp_full_match(${v}, '[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}')`),
    phone: guard(
      `length(${v}) BETWEEN 10 AND 18 AND left(${v}, 1) IN ('0', '+', '(')`,
      `regexp_full_match(regexp_replace(${v}, '[ ()-]', '', 'g'), '(\\+44|0)[1-9][0-9]{8,9}')`,
    ),
    nhs_number: guard(`length(${v}) BETWEEN 10 AND 12 AND left(${v}, 1) BETWEEN '0' AND '9'`, nhsNumberSql(v)),
    date_of_birth: guard(
      `length(${v}) BETWEEN 8 AND 10 AND left(${v}, 1) BETWEEN '0' AND '9'`,
      `regexp_full_match(${v}, '([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})|([0-9]{4}-[0-9]{2}-[0-9]{2})')`,
    ),
    person_name: guard(
      `contains(${v}, ' ') AND left(${v}, 1) BETWEEN 'A' AND 'Z'`,
      `(lower(split_part(${v}, ' ', 1)) IN (${FIRST_NAMES.map(literal).join(", ")}) AND regexp_full_match(${v}, '[A-Z][a-z''-]+( [A-Z][a-z''-]+)+'))`,
    ),
  };
}

/** Kinds checked in a column: not dates of birth in a declared date or datetime column (dates are expected there). */
function kindsFor(column: string, dict: Dictionary): ContentKind[] {
  const declared = variableForHeading(dict, column);
  const dated = declared?.type === "date" || declared?.type === "datetime";
  return (Object.keys(contentChecks("v")) as ContentKind[]).filter((k) => !(k === "date_of_birth" && dated));
}

/**
 * SQL: false only for a text that no content check can match, on the untrimmed text `x` —
 * a cheap test (byte length, first byte, a space or an @) so the checks run only on the
 * few plausible values. Every check needs an @ (e-mail), a space (name), 5–8 characters
 * (postcode) or 8–18 characters starting with a digit, "+" or "(" (phone, NHS number,
 * date); a text with spaces around it is always plausible. Byte length is at least the
 * length in characters, and every text those checks can match is ASCII.
 */
export function plausibleSql(x: string): string {
  return `(contains(${x}, '@') OR contains(${x}, ' ') OR strlen(${x}) BETWEEN 5 AND 8 OR (strlen(${x}) BETWEEN 8 AND 18 AND (ascii(${x}) BETWEEN 48 AND 57 OR ascii(${x}) IN (40, 43))))`;
}

/**
 * Screens the content of every column of `table`. Declared date and datetime columns
 * are not checked for dates; everything else is checked for everything. Only plausible
 * values (see `plausibleSql`) are trimmed and checked: one cheap filter per column, so
 * columns of short codes and ids cost little. `sources` gives, for a column whose texts are
 * not simply a column of that name in `table`, a query returning them as column x.
 */
export async function screenByContent(
  db: DuckDBConnection,
  table: string,
  columns: string[],
  dict: Dictionary,
  sources: Record<string, string> = {},
): Promise<Finding[]> {
  if (!columns.length) return [];
  const checks = contentChecks("s");
  const kinds = Object.keys(checks) as ContentKind[];
  const values = columns.map((column, i) => {
    const source = sources[column] ?? `SELECT ${ident(column)} AS x FROM ${table}`;
    return `SELECT ${i} AS c, trim(x) AS s FROM (${source}) WHERE ${plausibleSql("x")}`;
  });
  const rows = await queryRows(
    db,
    `SELECT c, ${kinds.map((k) => `count(*) FILTER (WHERE ${checks[k]}) AS ${k}`).join(", ")}
    FROM (${values.join(" UNION ALL ")}) GROUP BY c`,
  );
  const out: Finding[] = [];
  columns.forEach((column, i) => {
    const row = rows.find((r) => Number(r.c) === i);
    // Declared ids and codes are short tokens; a phone-like or NHS-like id is still refused, as it should be.
    for (const kind of kindsFor(column, dict)) {
      const count = Number(row?.[kind] ?? 0);
      if (count > 0) out.push({column, kind, by: "content", count});
    }
  });
  return out;
}

/**
 * Screens raw cells, read with no header matched: `cells` is a query of (p: the column's position
 * from 1, r: the row's number, x: the text). `names[p - 1]` is the header text at position p ("" for
 * none) and decides the same exemptions as the other screens: no dates of birth in a declared date
 * or datetime column, and no screening of a value that is a code, label or synonym of the category
 * (or an item of the multi-category list) it names — such a value cannot identify anyone. Returns a
 * finding per (position, kind) found, `row` being the least r found (for the caller to turn into a line).
 */
export async function screenCells(db: DuckDBConnection, cells: string, names: string[], dict: Dictionary): Promise<Finding[]> {
  const variables = names.map((n) => variableForHeading(dict, n));
  const coded = variables.flatMap((v, i) =>
    v && (v.type === "category" || v.type === "boolean" || v.type === "multi-category") ? [{p: i + 1, v}] : [],
  );
  // The known spellings of each coded column, normalised (as codes are matched in validation).
  const known = coded.flatMap(({p, v}) => [...spellings(v).keys()].map((spelling) => ({p, spelling})));
  const knownSql = known.length
    ? `SELECT unnest([${known.map((k) => k.p).join(", ")}]) AS p, unnest([${known.map((k) => literal(k.spelling)).join(", ")}]) AS spelling`
    : "SELECT NULL::INTEGER AS p, NULL::VARCHAR AS spelling WHERE false";
  // A multi-category value is screened item by item.
  const lists = coded.filter(({v}) => v.type === "multi-category");
  const values = [
    `SELECT p, r, x FROM (${cells})${lists.length ? ` WHERE p NOT IN (${lists.map((l) => l.p).join(", ")})` : ""}`,
    ...lists.map(({p, v}) => `SELECT p, r, unnest(string_split(x, ${literal(v.separator ?? ";")})) AS x FROM (${cells}) WHERE p = ${p}`),
  ].join(" UNION ALL ");
  // Only plausible values (see plausibleSql) are matched against the known spellings, then checked.
  const screened = `SELECT c.p, c.r, trim(c.x) AS s FROM (SELECT p, r, x FROM (${values}) WHERE ${plausibleSql("x")}) c
    ANTI JOIN (${knownSql}) k ON k.p = c.p AND k.spelling = ${normalisedExpr("c.x")}`;
  const checks = contentChecks("s");
  const kinds = Object.keys(checks) as ContentKind[];
  const rows = await queryRows(
    db,
    `SELECT p, ${kinds.map((k) => `count(*) FILTER (WHERE ${checks[k]}) AS ${k}, min(r) FILTER (WHERE ${checks[k]}) AS ${k}_row`).join(", ")}
    FROM (${screened}) GROUP BY p ORDER BY p`,
  );
  const out: Finding[] = [];
  for (const row of rows) {
    const p = Number(row.p);
    const column = names[p - 1] ?? "";
    for (const kind of kindsFor(column, dict)) {
      const count = Number(row[kind] ?? 0);
      if (count > 0) out.push({column, kind, by: "content", count, position: p, row: Number(row[`${kind}_row`])});
    }
  }
  return out;
}

/** SQL for normaliseHeading (dictionary.ts) of a text column: trimmed, lower case, runs of spaces, _ and - as one _. */
export function headingSql(x: string): string {
  return `regexp_replace(lower(trim(${x})), '[\\s_-]+', '_', 'g')`;
}

/**
 * Screens a long table of (column, v) values — e.g. the spellings of categorical
 * columns that matched no code (spellings that matched a code are known to be safe),
 * the items of multi-category values with an unknown item, or date values that failed
 * to parse. With `dict`, its date and datetime columns are not checked for dates of birth.
 */
export async function screenValues(db: DuckDBConnection, sourceSql: string, dict?: Dictionary): Promise<Finding[]> {
  const checks = Object.entries(contentChecks("s")) as [ContentKind, string][];
  // A column is a date variable when its heading is one of that variable's headings (as ingest matches them).
  const dated = (dict?.variables ?? [])
    .filter((v) => v.type === "date" || v.type === "datetime")
    .flatMap(headings)
    .map(literal);
  const notDated = dated.length ? `${headingSql('"column"')} NOT IN (${dated.join(", ")})` : "true";
  const rows = await queryRows(
    db,
    `SELECT "column", ${checks.map(([k, c]) => `count(*) FILTER (WHERE ${c}${k === "date_of_birth" ? ` AND ${notDated}` : ""}) AS ${k}`).join(", ")}
    FROM (SELECT "column", trim(v) AS s FROM (${sourceSql})) GROUP BY "column" ORDER BY "column"`,
  );
  const out: Finding[] = [];
  for (const r of rows)
    for (const [k] of checks) if (Number(r[k]) > 0) out.push({column: String(r.column), kind: k, by: "content", count: Number(r[k])});
  return out;
}

/** The declared types whose every value is checked against codes or a format, so only their failures need screening. */
export const VALIDATED_TYPES = new Set(["category", "boolean", "multi-category", "date", "datetime"]);
