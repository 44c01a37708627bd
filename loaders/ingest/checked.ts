/**
 * The query that reads one file into its checked table: typed values, the rules
 * each row breaks (NULL when none: most rows, and cheaper to store and test
 * than an empty list), a flag set later on duplicates, a hash of the raw row, and the raw texts still needed, packed in one list (for
 * identifier screening and for counting spellings).
 */
import {spellings, type Dictionary, type Variable, variableForHeading} from "../dictionary.ts";
import {ident, literal, trimSql} from "../sql.ts";
import {VALIDATED_TYPES} from "./screen.ts";
import {columnSql, mapsSql, orderChecks, specialSql, UNKNOWN, type FastLookup} from "./validate.ts";

/** Column name in the warehouse for the special code of an integer variable (e.g. age_years_code). */
export const specialColumn = (v: Variable) => `${v.name}_code`;
export const isCategorical = (v: Variable) => v.type === "category" || v.type === "boolean";

/**
 * The ENUM type a category's (or a multi-category's items') codes are kept as, in the
 * checked tables and in the warehouse (one byte a value rather than a text: much
 * cheaper to store and to write). Created in the warehouse being built (alias wh);
 * the warehouse's `contacts` view reads them back as VARCHAR.
 */
export const isCoded = (v: Variable) => v.type === "category" || v.type === "multi-category";
export const codesType = (v: Variable) => `wh.${ident(`codes_${v.name}`)}`;
export const codesTypeSql = (dict: Dictionary): string[] =>
  dict.variables
    .filter(isCoded)
    .map((v) => `CREATE TYPE ${codesType(v)} AS ENUM (${[...new Set(spellings(v).values())].map(literal).join(", ")})`);

/**
 * The columns every file's checked table has (rules broken, NULL when none; set when the row is a
 * duplicate; row hash; the rare texts kept for later, see `extrasOf`; typed values), as SQL on alias c.
 */
export const commonColumns = (dict: Dictionary): string[] => [
  "c._violations",
  "c._dup",
  "c._hash",
  "c._extra",
  ...dict.variables.flatMap((v) => [`c.${ident(v.name)}`, ...(v.special_codes?.length ? [`c.${ident(specialColumn(v))}`] : [])]),
];

/** The texts kept beside a checked row (see `checkedQuery`), one row per text: `key` (e.g. _raw_gender, _scr_0) and `v`, after any `columns` ("expr AS name, "). */
export const extrasOf = (table: string, columns = ""): string =>
  `(SELECT * EXCLUDE (e), e.k AS "key", e.v AS v FROM (SELECT ${columns}unnest(_extra) AS e FROM ${table} WHERE _extra IS NOT NULL))`;

/**
 * `header` is the file's columns, `map` variable name → column, `source` the file
 * as a table function. Returns the query and, for identifier screening, the
 * columns to screen with, given the checked table, a query of their texts
 * (`screenSources`) and a query of the values that failed validation (`failedValues`).
 */
export function checkedQuery(
  dict: Dictionary,
  header: string[],
  map: Map<string, string>,
  lookups: Map<string, FastLookup>,
  source: string,
): {
  sql: string;
  screened: string[];
  screenSources: (table: string) => Record<string, string>;
  failedValues: (table: string) => string | null;
} {
  const allVars = dict.variables;
  const unknownCode = literal(UNKNOWN);
  const present = allVars.filter((v) => map.has(v.name));
  const rawOf = (v: Variable) => `r.${ident(map.get(v.name)!)}`;
  const pOf = (v: Variable) => ident("_p_" + v.name);
  const badOf = (v: Variable) => ident("_bad_" + v.name);
  const dated = present.filter((v) => v.type === "date" || v.type === "datetime");
  const inOf = (v: Variable) => ident("_in_" + v.name);
  // Texts tested for missing markers are trimmed once, before anything else.
  const trims = present.filter((v) => !isCategorical(v));
  const trimOf = (v: Variable) => `r.${ident("__trim__" + v.name)}`;
  const columns = present.map((v) =>
    columnSql(dict, v, rawOf(v), pOf(v), {
      typed: ident(v.name),
      lookup: lookups.get(v.name),
      trimmed: trims.includes(v) ? trimOf(v) : undefined,
    }),
  );
  // Ids, numbers and undeclared columns are screened whole; categorical and date columns only
  // where a value fails validation (a value that is a dictionary code cannot identify anyone).
  const screened = header.filter((h) => !VALIDATED_TYPES.has(variableForHeading(dict, h)?.type ?? ""));
  const screenIds = screened.map((h) => {
    const v = variableForHeading(dict, h);
    return v?.type === "id" ? v : undefined;
  });
  // One pass over the file, in three steps: (1) each column prepared once (missing markers → NULL,
  // spellings → codes) with a hash of the raw row; (2) typed values; (3) the rules each row breaks.
  const step1 = [
    `hash(${header.map((h) => `r.${ident(h)}`).join(", ")}) AS _hash`,
    ...columns.map((c) => `${c.prep} AS ${pOf(c.variable)}`),
    ...present
      .filter((v) => isCategorical(v) || v.type === "multi-category" || screenIds.includes(v))
      .map((v) => `${rawOf(v)} AS ${inOf(v)}`),
    ...screened.flatMap((h, i) => (screenIds[i] ? [] : [`r.${ident(h)} AS _scr_${i}`])),
  ];
  const step2 = [
    "_hash",
    ...allVars.flatMap((v) => {
      const c = columns.find((x) => x.variable === v);
      const sqlType =
        v.type === "category"
          ? codesType(v)
          : v.type === "multi-category"
            ? `${codesType(v)}[]`
            : (c?.sqlType ?? columnSql(dict, v, "NULL").sqlType);
      const parts = [`CAST(${c ? c.typed : "NULL"} AS ${sqlType}) AS ${ident(v.name)}`];
      if (v.special_codes?.length) parts.push(`${(c && specialSql(v, pOf(v))) ?? "CAST(NULL AS VARCHAR)"} AS ${ident(specialColumn(v))}`);
      // The raw spelling, kept only where it is not exactly its code (to count mappings and unknown spellings).
      if (isCategorical(v))
        parts.push(
          `${c ? `CASE WHEN ${pOf(v)} = ${inOf(v)} AND ${pOf(v)} <> ${unknownCode} THEN NULL ELSE ${inOf(v)} END` : "CAST(NULL AS VARCHAR)"} AS ${ident("_raw_" + v.name)}`,
        );
      return parts;
    }),
    ...columns.map((c) => pOf(c.variable)),
    // The raw text of a multi-category value with an item no code matches, to screen its items.
    ...present
      .filter((v) => v.type === "multi-category")
      .map((v) => `CASE WHEN list_contains(${pOf(v)}, ${unknownCode}) THEN ${inOf(v)} END AS ${badOf(v)}`),
    // An id's raw text is kept only where its typed value (the trimmed text) is missing.
    ...screened.map((_, i) =>
      screenIds[i] ? `CASE WHEN ${pOf(screenIds[i]!)} IS NULL THEN ${inOf(screenIds[i]!)} END AS _scr_${i}` : `_scr_${i}`,
    ),
  ];
  const checks: string[] = [];
  const conds: string[] = [];
  for (const c of columns)
    for (const [rule, cond, detail] of c.checks) {
      checks.push(
        `CASE WHEN ${cond} THEN {'column': ${literal(c.variable.name)}, 'rule': ${literal(rule)}, 'detail': ${literal(detail)}} END`,
      );
      conds.push(`coalesce(${cond}, false)`);
    }
  for (const [rule, cond, column, detail] of orderChecks(columns, (c) => ident(c.variable.name))) {
    checks.push(`CASE WHEN ${cond} THEN {'column': ${literal(column)}, 'rule': ${literal(rule)}, 'detail': ${literal(detail)}} END`);
    conds.push(`coalesce(${cond}, false)`);
  }
  // The (trimmed) text of a date that failed to parse, to screen it.
  const failedDates = dated.map((v) => `CASE WHEN ${pOf(v)} IS NOT NULL AND ${ident(v.name)} IS NULL THEN ${pOf(v)} END AS ${badOf(v)}`);
  // A number's raw text is kept for screening only where it did not parse or is long (8 characters or
  // more): a short number cannot be any identifier the screen looks for (see plausibleSql).
  const numbers = screened.flatMap((h, i) => {
    const v = variableForHeading(dict, h);
    return v && (v.type === "integer" || v.type === "number") ? [[ident(v.name), `_scr_${i}`]] : [];
  });
  const numeric = numbers.map(([typed, scr]) => `CASE WHEN ${typed} IS NULL OR strlen(${scr}) >= 8 THEN ${scr} END AS ${scr}`);
  const inner = `SELECT CASE WHEN ${conds.join(" OR ") || "false"} THEN list_filter([${checks.join(", ")}], x -> x IS NOT NULL) END AS _violations, CAST(NULL AS BOOLEAN) AS _dup,${[...failedDates, ...numeric].map((x) => ` ${x},`).join("")}
      * EXCLUDE (${[...columns.map((c) => pOf(c.variable)), ...numbers.map(([, scr]) => scr)].join(", ")})
    FROM (SELECT ${step2.join(", ")}
      FROM (SELECT ${step1.join(", ")}
        FROM (SELECT *, ${trims.map((v) => `${trimSql(ident(map.get(v.name)!))} AS ${ident("__trim__" + v.name)}`).join(", ") || "NULL AS __trim__"} FROM ${source}) r CROSS JOIN ${mapsSql(allVars, dict.missing_markers)}))`;
  // The texts kept for later (raw spellings that are not exactly a code, failed values, texts to screen) are
  // rare: they are packed into one list column (_extra, NULL on most rows) rather than a column each,
  // which is much cheaper to store.
  const extraNames = [
    ...allVars.filter(isCategorical).map((v) => ident("_raw_" + v.name)),
    ...present.filter((v) => v.type === "multi-category").map(badOf),
    ...dated.map(badOf),
    ...screened.map((_, i) => `_scr_${i}`),
  ];
  const packed = extraNames.length
    ? `CASE WHEN ${extraNames.map((n) => `${n} IS NOT NULL`).join(" OR ")} THEN list_filter([${extraNames.map((n) => `{'k': ${literal(n.replace(/"/g, ""))}, 'v': CAST(${n} AS VARCHAR)}`).join(", ")}], x -> x.v IS NOT NULL) END`
    : "CAST(NULL AS STRUCT(k VARCHAR, v VARCHAR)[])";
  const sql = `SELECT * ${extraNames.length ? `EXCLUDE (${extraNames.join(", ")})` : ""}, ${packed} AS _extra FROM (${inner})`;
  const kept = (table: string, key: string) => `SELECT v AS x FROM ${extrasOf(table)} WHERE "key" = ${literal(key)}`;
  // What to screen in each screened column: an id's typed value (the trimmed text) and, where that is
  // missing, its raw text; any other column's kept raw text.
  const screenSources = (table: string) =>
    Object.fromEntries(
      screened.map((h, i) => [
        h,
        screenIds[i]
          ? `SELECT ${ident(screenIds[i]!.name)} AS x FROM ${table} WHERE ${ident(screenIds[i]!.name)} IS NOT NULL UNION ALL ${kept(table, `_scr_${i}`)}`
          : kept(table, `_scr_${i}`),
      ]),
    );
  // Values that failed validation in columns not screened whole: the items of multi-category values
  // with an unknown item, and dates that did not parse (as ("column", v) rows, named by the header).
  const failedValues = (table: string) => {
    const selects = [
      ...present
        .filter((v) => v.type === "multi-category")
        .map(
          (v) =>
            `SELECT ${literal(map.get(v.name)!)} AS "column", unnest(string_split(x, ${literal(v.separator ?? ";")})) AS v FROM (${kept(table, "_bad_" + v.name)})`,
        ),
      ...dated.map((v) => `SELECT ${literal(map.get(v.name)!)} AS "column", x AS v FROM (${kept(table, "_bad_" + v.name)})`),
    ];
    return selects.length ? selects.join(" UNION ALL ") : null;
  };
  return {sql, screened, screenSources, failedValues};
}
