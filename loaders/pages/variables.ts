/**
 * Data for the Variables page: the dictionary as a working session reads it, with
 * each variable's distribution (counts by code, or by value for small integers) and
 * missingness from the warehouse. Counts are internal: this page is not public.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadDictionary, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows, withWarehouse} from "../db.ts";
import {ident} from "../sql.ts";
import {specialColumn} from "../ingest/ingest.ts";

export interface VariableView extends Variable {
  n: number;
  missing: number;
  distribution: {value: string; n: number}[];
}

async function distribution(db: DuckDBConnection, v: Variable): Promise<{value: string; n: number}[]> {
  const col = ident(v.name);
  switch (v.type) {
    case "category":
    case "boolean":
      return (await queryRows(
        db,
        `SELECT CAST(${col} AS VARCHAR) AS value, count(*) AS n FROM contacts WHERE ${col} IS NOT NULL GROUP BY ALL ORDER BY n DESC`,
      )) as {value: string; n: number}[];
    case "multi-category":
      return (await queryRows(
        db,
        `SELECT x AS value, count(*) AS n FROM (SELECT unnest(${col}) AS x FROM contacts) GROUP BY ALL ORDER BY n DESC`,
      )) as {value: string; n: number}[];
    case "integer":
    case "number": {
      const special = v.special_codes?.length
        ? `UNION ALL SELECT ${ident(specialColumn(v))}, count(*) FROM contacts WHERE ${ident(specialColumn(v))} IS NOT NULL GROUP BY ALL`
        : "";
      // Values above the 99th percentile are pooled so a long tail does not swamp the chart.
      return (await queryRows(
        db,
        `WITH q AS (SELECT quantile_disc(${col}, 0.99) AS top FROM contacts),
        counts AS (SELECT CASE WHEN ${col} >= q.top AND q.top > 0 THEN CAST(q.top AS VARCHAR) || '+' ELSE CAST(${col} AS VARCHAR) END AS value, count(*) AS n
          FROM contacts, q WHERE ${col} IS NOT NULL GROUP BY ALL ${special})
        -- in numeric order (the pooled "17+" after 16), special codes after the numbers
        SELECT value, n FROM counts ORDER BY TRY_CAST(rtrim(value, '+') AS DOUBLE) NULLS LAST, value`,
      )) as {value: string; n: number}[];
    }
    case "date":
    case "datetime":
      return (await queryRows(
        db,
        `SELECT strftime(${col}, '%Y') AS value, count(*) AS n FROM contacts WHERE ${col} IS NOT NULL GROUP BY ALL ORDER BY value`,
      )) as {value: string; n: number}[];
    case "id":
      return (await queryRows(db, `SELECT 'distinct' AS value, count(DISTINCT ${col}) AS n FROM contacts`)) as {value: string; n: number}[];
  }
}

export async function variablesData(dict: Dictionary = loadDictionary(), dbPath?: string) {
  return withWarehouse(async (db) => {
    const [{n}] = await queryRows(db, `SELECT count(*) AS n FROM contacts`);
    const variables: VariableView[] = [];
    for (const v of dict.variables) {
      const special = v.special_codes?.length ? ` AND ${ident(specialColumn(v))} IS NULL` : "";
      const [{missing}] = await queryRows(db, `SELECT count(*) FILTER (WHERE ${ident(v.name)} IS NULL${special}) AS missing FROM contacts`);
      variables.push({...v, n: Number(n), missing: Number(missing), distribution: await distribution(db, v)});
    }
    const [meta] = await queryRows(db, `SELECT * FROM meta`);
    return {title: dict.title, version: dict.version, groups: dict.groups, changes: dict.changes, ingest: meta, variables};
  }, dbPath);
}
