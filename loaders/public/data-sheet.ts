/**
 * The data sheet of the extract for the public site: the dictionary (what
 * each variable means, its codes and its role) and the ingest accounting
 * (rows read, accepted, rejected by rule, duplicates), with the distribution of
 * every coded variable. Counts pass through src/lib/disclosure.ts; identifiers
 * are described, never listed.
 */
import {readFileSync} from "node:fs";
import {loadDictionary, variable, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident} from "../sql.ts";
import {INGEST_REPORT} from "../paths.ts";
import {withWarehouse} from "../db.ts";
import {warehouseReport} from "../ingest/runs.ts";
import {suppressOneWay, type DisclosureOptions} from "../../src/lib/disclosure.ts";
import {publicDisclosure} from "./settings.ts";
import {publishTable} from "./publish.ts";

const NOT_RECORDED = "(not recorded)";

/** SQL of one coded variable's distribution: code (or NULL) and count. */
export function distributionSql(v: Variable): string {
  if (v.type === "multi-category") {
    // One row per mention: a contact can raise several concerns.
    return `SELECT code, count(*) AS n FROM (SELECT unnest(${ident(v.name)}) AS code FROM contacts) GROUP BY ALL`;
  }
  return `SELECT ${ident(v.name)}::VARCHAR AS code, count(*) AS n FROM contacts GROUP BY ALL`;
}

function codeOf(v: Variable, value: unknown): string {
  if (value === null || value === undefined) return NOT_RECORDED;
  if (v.type === "boolean") return value === "true" ? "yes" : value === "false" ? "no" : String(value);
  return String(value);
}

/** A one-way table after disclosure control, as published. */
const oneWay = (...args: Parameters<typeof suppressOneWay>) => publishTable(suppressOneWay(...args));

/** The public data sheet: dictionary, accounting and distributions after disclosure control. */
export async function dataSheet(
  dict: Dictionary = loadDictionary(),
  options: DisclosureOptions = publicDisclosure(),
  reportPath = INGEST_REPORT,
  dbPath?: string,
) {
  return withWarehouse(async (db) => {
    // The accounting of the ingest that wrote this warehouse (the report file describes the last
    // run, which may have been refused); a warehouse older than that record falls back to the file.
    const report = (await warehouseReport(db)) ?? JSON.parse(readFileSync(reportPath, "utf8"));
    const accounting = oneWay(
      [
        {key: "accepted", n: report.accepted},
        {key: "rejected", n: report.rejected},
        {key: "duplicates", n: report.duplicates.total},
      ],
      options,
      "rows",
    );
    const rejectedByRule = oneWay(
      Object.entries(report.rejectedByRule as Record<string, number>).map(([key, n]) => ({key, n})),
      options,
      "rows",
    );
    const time = variable(dict, dict.roles.event_time);
    const [span] = await queryRows(
      db,
      `SELECT strftime(min(${ident(time.name)}), '%Y-%m') AS "from", strftime(max(${ident(time.name)}), '%Y-%m') AS "to" FROM contacts`,
    );
    const byYear = await queryRows(
      db,
      `SELECT strftime(${ident(time.name)}, '%Y') AS year, count(*) AS n FROM contacts GROUP BY ALL ORDER BY year`,
    );
    const variables = [];
    for (const v of dict.variables) {
      const coded = ["category", "multi-category", "boolean"].includes(v.type) && v.codes?.length;
      let distribution = null;
      if (coded) {
        const rows = await queryRows(db, distributionSql(v));
        const counts = new Map(rows.map((r) => [codeOf(v, r.code), Number(r.n)]));
        const keys = [...v.codes!.map((c) => c.code), ...(counts.has(NOT_RECORDED) ? [NOT_RECORDED] : [])];
        distribution = {
          labels: keys.map((k) => v.codes!.find((c) => c.code === k)?.label ?? k),
          table: oneWay(
            keys.map((key) => ({key, n: counts.get(key) ?? 0})),
            options,
            "contacts",
          ),
        };
      }
      variables.push({
        name: v.name,
        label: v.label,
        group: dict.groups?.[v.group] ?? v.group,
        definition: v.definition,
        type: v.type,
        role: v.role,
        sensitivity: v.sensitivity,
        codes: (v.codes ?? []).map((c) => ({code: c.code, label: c.label})),
        // Identifiers and quasi-identifiers are described; values and small groups are never listed.
        distribution,
      });
    }
    return {
      dictionary: {version: dict.version, title: dict.title, changes: dict.changes ?? []},
      ingest: {
        dictionaryVersion: report.dictionary.version,
        files: report.files.length,
        from: span.from,
        to: span.to,
        accounting,
        rejectedByRule,
      },
      byYear: oneWay(
        byYear.map((r) => ({key: String(r.year), n: Number(r.n)})),
        options,
        "contacts",
      ),
      variables,
    };
  }, dbPath);
}
