/**
 * SQL for the Consistency page, built from the dictionary: the "near-identical"
 * key that groups records which look the same on paper (its feature variables),
 * and the per-group, per-staff-member decision counts the agreement rate needs
 * (its roles: event time, staff member, decision; and the page's target).
 */
import type {Dictionary, TargetDefinition, Variable} from "../dictionary.ts";
import {ident, literal} from "../sql.ts";

/** One part of the key: the dictionary variable it comes from and its SQL. */
export interface KeyPart {
  variable: string;
  sql: string;
  definition: string;
}

/**
 * How a feature variable enters the key: categories and booleans as they are
 * (missing as its own value), multi-category sets sorted, numbers in the bands the
 * dictionary gives (`consistency: {bands}`, special codes apart), else banded 0, 1, 2–3, 4+.
 * A variable marked `consistency: {leave_out: true}` (e.g. where the child lives) is left out.
 */
export function keyParts(dict: Dictionary): KeyPart[] {
  const parts: KeyPart[] = [];
  const feats = dict.variables.filter((v) => v.role === "feature" && v.consistency?.leave_out !== true);
  for (const v of feats) parts.push(keyPart(v));
  return parts;
}

/** Names of the bands ending at `bounds` (inclusive), from the range's start: [4, 9] on [0, 17] → 0-4, 5-9, 10-17. */
export function bandNames(bounds: number[], range?: [number, number]): string[] {
  let lo = range?.[0];
  const names = bounds.map((b) => {
    const name = lo === undefined ? `≤${b}` : `${lo}-${b}`;
    lo = b + 1;
    return name;
  });
  return [...names, range ? `${lo}-${range[1]}` : `${lo}+`];
}

function keyPart(v: Variable): KeyPart {
  const c = ident(v.name);
  switch (v.type) {
    case "multi-category":
      return {variable: v.name, sql: `coalesce(array_to_string(list_sort(${c}), ';'), 'missing')`, definition: `${v.label}: the whole set`};
    case "integer":
    case "number":
      if (v.consistency?.bands) {
        const special = v.special_codes?.length ? `WHEN ${ident(`${v.name}_code`)} IS NOT NULL THEN ${ident(`${v.name}_code`)} ` : "";
        const names = bandNames(v.consistency.bands, v.range);
        const whens = v.consistency.bands.map((b, i) => `WHEN ${c} <= ${b} THEN ${literal(names[i])}`).join(" ");
        return {
          variable: v.name,
          sql: `CASE ${special}WHEN ${c} IS NULL THEN 'missing' ${whens} ELSE ${literal(names.at(-1)!)} END`,
          definition: `${v.label}: bands ${names.join(", ")}`,
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

/**
 * SQL naming the period a record falls in, given change dates (ascending) and the
 * event-time variable (roles.event_time): 'before <first>', 'from <d1>', ….
 */
export function periodSql(changes: string[], time: string): string {
  if (!changes.length) return `'whole extract'`;
  const sorted = [...changes].sort();
  const whens = sorted.map((d) => `WHEN ${ident(time)} >= TIMESTAMP ${literal(d)} THEN ${literal(`from ${d}`)}`).reverse();
  return `CASE ${whens.join(" ")} ELSE ${literal(`before ${sorted[0]}`)} END`;
}

/** The variables the agreement counts read: each a role's variable, and the page's target. */
export interface AgreementColumns {
  /** roles.event_time */
  time: string;
  /** roles.staff: who decided */
  staff: string;
  /** roles.decision: empty while a record is still open */
  decision: string;
  /** the target: a variable, its positive codes, and the records it is defined among */
  target: Pick<TargetDefinition, "among"> & {variable: string; positive: string[]};
}

const inCodes = (variable: string, codes: string[]) =>
  codes.length === 1 ? `${ident(variable)} = ${literal(codes[0])}` : `${ident(variable)} IN (${codes.map(literal).join(", ")})`;

/**
 * Decisions per key group and staff member, for decided records only (a record
 * still open has no decision to agree with): `positive` counts the target's
 * positive codes, `negative` the rest. The period is part of the key: a change of
 * policy makes records before and after it not comparable.
 *
 * @example agreementCountsSql(keyParts(dict), ["2017-10-01"], {time: "received", staff: "worker", decision: "outcome", target: {variable: "outcome", positive: ["shared"]}})
 */
export function agreementCountsSql(parts: KeyPart[], changes: string[], {time, staff, decision, target}: AgreementColumns): string {
  const positive = inCodes(target.variable, target.positive);
  const where = [`-- open contacts have no decision yet\n    WHERE ${ident(decision)} IS NOT NULL`];
  // A target on another variable than the decision (a rating) is known only where that variable is recorded.
  if (target.variable !== decision)
    where.push(`-- the target is recorded only for some decided records\n    AND ${ident(target.variable)} IS NOT NULL`);
  // A target defined among some records only (e.g. ratings of shared contacts) compares those records only.
  if (target.among)
    where.push(`-- the target is defined among these records only\n    AND ${inCodes(target.among.variable, target.among.codes)}`);
  return `SELECT ${periodSql(changes, time)} AS period,
      ${parts.map((p, i) => `${p.sql} AS k${i}`).join(",\n      ")},
      ${ident(staff)} AS staff,
      count(*) FILTER (WHERE ${positive})::INTEGER AS positive,
      count(*) FILTER (WHERE NOT (${positive}))::INTEGER AS negative
    FROM contacts
    ${where.join("\n    ")}
    GROUP BY ALL
    ORDER BY ALL`;
}
