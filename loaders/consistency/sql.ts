/**
 * SQL for the Consistency page, built from the dictionary's feature variables:
 * the "near-identical" key that groups contacts which look the same on paper,
 * and the per-group, per-screener decision counts the agreement rate needs.
 */
import type {Dictionary, Variable} from "../dictionary.ts";
import {ident, literal} from "../sql.ts";

/** One part of the key: the dictionary variable it comes from and its SQL. */
export interface KeyPart {
  variable: string;
  sql: string;
  definition: string;
}

/**
 * How a feature variable enters the key: categories and booleans as they are
 * (missing as its own value), multi-category sets sorted, age in the DfE bands
 * (unborn, 0–4, 5–9, 10–15, 16–17) and counts of prior contacts banded 0, 1, 2–3, 4+.
 * District is left out: where the child lives should not change the decision.
 */
export function keyParts(dict: Dictionary): KeyPart[] {
  const parts: KeyPart[] = [];
  const feats = dict.variables.filter((v) => v.role === "feature" && v.name !== "district");
  for (const v of feats) parts.push(keyPart(v));
  return parts;
}

function keyPart(v: Variable): KeyPart {
  const c = ident(v.name);
  switch (v.type) {
    case "multi-category":
      return {variable: v.name, sql: `coalesce(array_to_string(list_sort(${c}), ';'), 'missing')`, definition: `${v.label}: the whole set`};
    case "integer":
    case "number":
      if (v.name === "age_years") {
        const special = v.special_codes?.length ? `WHEN ${ident(`${v.name}_code`)} IS NOT NULL THEN ${ident(`${v.name}_code`)} ` : "";
        return {
          variable: v.name,
          sql: `CASE ${special}WHEN ${c} IS NULL THEN 'missing' WHEN ${c} <= 4 THEN '0-4' WHEN ${c} <= 9 THEN '5-9' WHEN ${c} <= 15 THEN '10-15' ELSE '16-17' END`,
          definition: `${v.label}: DfE age bands`,
        };
      }
      return {
        variable: v.name,
        sql: `CASE WHEN ${c} IS NULL THEN 'missing' WHEN ${c} = 0 THEN '0' WHEN ${c} = 1 THEN '1' WHEN ${c} <= 3 THEN '2-3' ELSE '4+' END`,
        definition: `${v.label}: banded 0, 1, 2–3, 4+`,
      };
    default:
      return {variable: v.name, sql: `coalesce(CAST(${c} AS VARCHAR), 'missing')`, definition: v.label};
  }
}

/** SQL naming the period a contact falls in, given change dates (ascending): 'before <first>', 'from <d1>', …. */
export function periodSql(changes: string[], time = "contact_datetime"): string {
  if (!changes.length) return `'whole extract'`;
  const sorted = [...changes].sort();
  const whens = sorted.map((d, i) => `WHEN ${ident(time)} >= TIMESTAMP ${literal(d)} THEN ${literal(`from ${d}`)}`).reverse();
  return `CASE ${whens.join(" ")} ELSE ${literal(`before ${sorted[0]}`)} END`;
}

/**
 * Decisions per key group and screener, for decided contacts only (a contact
 * still open has no decision to agree with). The period is part of the key: a
 * change of policy makes contacts before and after it not comparable.
 */
export function agreementCountsSql(
  parts: KeyPart[],
  changes: string[],
  {decision = "mash_decision", shared = "info_sharing", screener = "screener_id"} = {},
): string {
  return `SELECT ${periodSql(changes)} AS period,
      ${parts.map((p, i) => `${p.sql} AS k${i}`).join(",\n      ")},
      ${ident(screener)} AS screener,
      count(*) FILTER (WHERE ${ident(decision)} = ${literal(shared)})::INTEGER AS shared,
      count(*) FILTER (WHERE ${ident(decision)} <> ${literal(shared)})::INTEGER AS not_shared
    FROM contacts
    -- open contacts have no decision yet
    WHERE ${ident(decision)} IS NOT NULL
    GROUP BY ALL
    ORDER BY ALL`;
}
