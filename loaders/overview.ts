/**
 * The home page's summary of an extract: records per month by a breakdown
 * variable, and the decision mix. Aggregates only, computed in DuckDB straight
 * from the CSV; every spelling is mapped through the dictionary, and rows that
 * cannot be read are counted, never dropped silently. Which variables play the
 * time, breakdown and decision comes from the dictionary's roles (and its default
 * target), which the Explore page reads here too. The home page itself counts the
 * accepted contacts in the warehouse (`acceptedOverview`), beside the accounting of
 * the ingest that wrote it, so its headline is the number Data quality accepts.
 */
import {codeCase, ident, literal, pathLiteral} from "./sql.ts";
import {defaultTarget, loadDictionary, variable, variableForHeading, type Dictionary, type Variable} from "./dictionary.ts";
import {readHeader} from "./ingest/header.ts";
import {queryRows, withDuckDB, withWarehouse} from "./db.ts";
import {warehouseReport} from "./ingest/runs.ts";
import type {IngestReport} from "./ingest/report.ts";
import {readFileSync} from "node:fs";
import {INGEST_REPORT} from "./paths.ts";

export interface Overview {
  files: string[];
  rows: number;
  unreadableTime: number;
  from: string | null;
  to: string | null;
  time: {name: string; label: string};
  by: {name: string; label: string; codes: {code: string; label: string}[]};
  decision: {name: string; label: string; codes: {code: string; label: string}[]};
  /** the dictionary's default target when it is a variable's positive codes (null for a recurrence target or none) */
  target: {name: string; label: string; variable: string; positive: string[]} | null;
  monthly: {month: string; code: string; n: number}[];
  decisions: {code: string; n: number}[];
}

export interface OverviewOptions {
  time?: string;
  by?: string;
  decision?: string;
}

/** SQL reading extracts as text, padding short rows (they are counted, not lost). */
export function readCsvSql(files: string[]): string {
  return `read_csv([${files.map(pathLiteral).join(", ")}], all_varchar = true, header = true, null_padding = true, strict_mode = false)`;
}

/**
 * The default breakdown: the baseline feature (roles.baseline_feature), else the
 * dictionary's first category feature.
 */
export function defaultBreakdown(dict: Dictionary): string {
  const name = dict.roles.baseline_feature ?? dict.variables.find((v) => v.role === "feature" && v.type === "category")?.name;
  if (!name)
    throw new Error(
      "the dictionary names no baseline feature (roles.baseline_feature) and has no category feature to break records down by",
    );
  return name;
}

/** The dictionary's default target when it is defined on a variable (positive codes), else null. */
export function variableTarget(dict: Dictionary): Overview["target"] {
  const name = Object.keys(dict.targets).length ? defaultTarget(dict) : null;
  const t = name ? dict.targets[name] : undefined;
  return name && t?.variable && t.positive ? {name, label: t.label, variable: t.variable, positive: t.positive} : null;
}

/** The decision mix's variable: the decision role, else the default target's variable. */
export function decisionVariable(dict: Dictionary): string {
  const name = dict.roles.decision ?? variableTarget(dict)?.variable;
  if (!name)
    throw new Error(
      "the dictionary names no decision (roles.decision) and no default target on a variable, which the overview's decision mix needs",
    );
  return name;
}

export async function overview(files: string[], dict: Dictionary = loadDictionary(), options: OverviewOptions = {}): Promise<Overview> {
  const time = variable(dict, options.time ?? dict.roles.event_time);
  const by = variable(dict, options.by ?? defaultBreakdown(dict));
  const decision = variable(dict, options.decision ?? decisionVariable(dict));
  const format = time.format ?? "%Y-%m-%d %H:%M:%S";
  // Each variable's column as the extract heads it (its name or a source spelling, as ingest matches them).
  const header = files.length ? readHeader(files[0]) : [];
  const column = (v: Variable) => ident(header.find((h) => variableForHeading(dict, h)?.name === v.name) ?? v.name);
  return withDuckDB(async (db) => {
    await db.run(`CREATE TEMP TABLE c AS SELECT
      try_strptime(trim(${column(time)}), ${literal(format)}) AS t,
      ${codeCase(column(by), by, {unmatched: "'(unrecognised)'"})} AS by_code,
      ${codeCase(column(decision), decision, {unmatched: "'(unrecognised)'"})} AS decision_code
      FROM ${readCsvSql(files)}`);
    const [totals] = await queryRows(
      db,
      `SELECT count(*) AS rows, count(*) FILTER (WHERE t IS NULL) AS unreadable,
      strftime(min(t), '%Y-%m-%d') AS "from", strftime(max(t), '%Y-%m-%d') AS "to" FROM c`,
    );
    // Rows whose time cannot be read have no month: they are counted in unreadableTime instead.
    const monthly = await queryRows(
      db,
      `SELECT strftime(t, '%Y-%m') AS month, coalesce(by_code, '(missing)') AS code, count(*) AS n
      FROM c WHERE t IS NOT NULL GROUP BY ALL ORDER BY month, code`,
    );
    // An empty decision means the record was still open when the extract was taken.
    const decisions = await queryRows(
      db,
      `SELECT coalesce(decision_code, '(pending)') AS code, count(*) AS n FROM c GROUP BY ALL ORDER BY n DESC`,
    );
    const labels = (v: typeof by) => (v.codes ?? []).map((c) => ({code: c.code, label: c.label}));
    return {
      files: files.map((f) => f.split("/").slice(-2).join("/")),
      rows: Number(totals.rows),
      unreadableTime: Number(totals.unreadable),
      from: (totals.from as string | null) ?? null,
      to: (totals.to as string | null) ?? null,
      time: {name: time.name, label: time.label},
      by: {name: by.name, label: by.label, codes: labels(by)},
      decision: {name: decision.name, label: decision.label, codes: labels(decision)},
      target: variableTarget(dict),
      monthly: monthly as Overview["monthly"],
      decisions: decisions as Overview["decisions"],
    };
  });
}

/** The accepted contacts the warehouse holds, and how the rows read became them (as Data quality counts them). */
export interface AcceptedOverview {
  /** rows read = accepted + rejected + duplicates, from the report of the ingest that wrote the warehouse */
  accounting: {read: number; accepted: number; rejected: number; duplicates: number};
  /** accepted contacts: the first and last day, per month by the breakdown, and by decision */
  from: string | null;
  to: string | null;
  monthly: {month: string; code: string; n: number}[];
  decisions: {code: string; n: number}[];
}

/**
 * The home page's counts of accepted contacts, from the warehouse: per month by the
 * breakdown variable and by decision (an empty decision is "(pending)"), with the
 * accounting of the ingest that wrote it — the same report Data quality shows, so the
 * two pages agree (the warehouse's own report; the report file only for a warehouse
 * written before it kept one).
 * @example const {accounting} = await acceptedOverview(); accounting.accepted // 127,401 on the sample
 */
export async function acceptedOverview(
  dict: Dictionary = loadDictionary(),
  dbPath?: string,
  reportPath = INGEST_REPORT,
): Promise<AcceptedOverview> {
  const time = ident(dict.roles.event_time);
  const by = ident(defaultBreakdown(dict));
  const decision = ident(decisionVariable(dict));
  return withWarehouse(async (db) => {
    const report = (await warehouseReport(db)) ?? (JSON.parse(readFileSync(reportPath, "utf8")) as IngestReport);
    const [span] = await queryRows(
      db,
      `SELECT strftime(min(${time}), '%Y-%m-%d') AS "from", strftime(max(${time}), '%Y-%m-%d') AS "to" FROM contacts`,
    );
    const monthly = await queryRows(
      db,
      `SELECT strftime(${time}, '%Y-%m') AS month, coalesce(CAST(${by} AS VARCHAR), '(missing)') AS code, count(*)::INTEGER AS n
      FROM contacts GROUP BY ALL ORDER BY month, code`,
    );
    // An empty decision means the contact was still open when the extract was taken.
    const decisions = await queryRows(
      db,
      `SELECT coalesce(CAST(${decision} AS VARCHAR), '(pending)') AS code, count(*)::INTEGER AS n FROM contacts GROUP BY ALL ORDER BY n DESC, code`,
    );
    return {
      accounting: {
        read: report.read,
        accepted: report.accepted,
        rejected: report.rejected,
        duplicates: report.duplicates.total,
      },
      from: (span.from as string | null) ?? null,
      to: (span.to as string | null) ?? null,
      monthly: monthly as AcceptedOverview["monthly"],
      decisions: decisions as AcceptedOverview["decisions"],
    };
  }, dbPath);
}
