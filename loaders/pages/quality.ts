/**
 * Data for the Data quality page: the last ingest's accounting, rejects by month
 * and rule, code mappings over time, missingness by month, duplicates and unknown
 * spellings. Aggregates only; no row-level values. When the last ingest was refused
 * (or failed), `lastRun` says why and when, and the accounting is the warehouse's
 * own: the last accepted ingest, which the warehouse still holds.
 */
import {readFileSync} from "node:fs";
import {loadDictionary, variable, type Dictionary} from "../dictionary.ts";
import {queryRows, withWarehouse} from "../db.ts";
import {ident} from "../sql.ts";
import {INGEST_REPORT} from "../paths.ts";
import {reportStatus, type IngestReport} from "../ingest/report.ts";
import {warehouseReport} from "../ingest/runs.ts";

export async function qualityData(dict: Dictionary = loadDictionary(), reportPath = INGEST_REPORT, dbPath?: string) {
  const last = JSON.parse(readFileSync(reportPath, "utf8")) as IngestReport;
  const status = reportStatus(last);
  const lastRun =
    status === "accepted"
      ? null
      : {
          status,
          reason: last.refusal?.reason ?? "",
          message: last.refusal?.message ?? "",
          at: last.finishedAt,
          files: last.refusal?.files ?? [],
        };
  const time = variable(dict, dict.roles.event_time);
  return withWarehouse(async (db) => {
    // After a refusal the warehouse is unchanged: its own report describes what the page shows
    // (a warehouse written before it kept one: the refusal's, which counts nothing).
    const report = lastRun ? ((await warehouseReport(db)) ?? last) : last;
    const rejectsByMonth = await queryRows(
      db,
      `SELECT coalesce(month, '(no readable date)') AS month, rule, count(DISTINCT (file, "row")) AS n FROM rejects GROUP BY ALL ORDER BY month, rule`,
    );
    const rejectsByColumn = await queryRows(
      db,
      `SELECT coalesce("column", '(whole row)') AS "column", rule, any_value(detail) AS detail, count(*) AS n FROM rejects GROUP BY ALL ORDER BY n DESC`,
    );
    const mappings = await queryRows(db, `SELECT variable, month, kind, spelling, code, n FROM code_mappings ORDER BY variable, month`);
    const unknown = await queryRows(db, `SELECT * FROM unknown_codes`);
    const vars = dict.variables.filter((v) => v.name !== time.name);
    const missingness = await queryRows(
      db,
      `SELECT month, variable, n, missing FROM (
        SELECT strftime(${ident(time.name)}, '%Y-%m') AS month, count(*) AS n,
        ${vars.map((v) => `count(*) FILTER (WHERE ${ident(v.name)} IS NULL${v.special_codes?.length ? ` AND ${ident(v.name + "_code")} IS NULL` : ""}${v.type === "multi-category" ? ` OR len(${ident(v.name)}) = 0` : ""}) AS ${ident(v.name)}`).join(", ")}
        FROM contacts GROUP BY ALL
      ) UNPIVOT (missing FOR variable IN (${vars.map((v) => ident(v.name)).join(", ")})) ORDER BY month, variable`,
    );
    const runs = await queryRows(
      db,
      `SELECT ingest_id, strftime(started_at, '%Y-%m-%d %H:%M') AS started, dictionary_version, files, "read", accepted, rejected, duplicates FROM ingest_runs ORDER BY started_at DESC LIMIT 20`,
    );
    return {report, lastRun, rejectsByMonth, rejectsByColumn, mappings, unknown, missingness, runs};
  }, dbPath);
}
