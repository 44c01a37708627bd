/**
 * The home page's summary of an extract: contacts per month by a breakdown
 * variable, and the decision mix. Aggregates only, computed in DuckDB straight
 * from the CSV; every spelling is mapped through the dictionary, and rows that
 * cannot be read are counted, never dropped silently.
 */
import {codeCase, ident, literal, pathLiteral} from "./sql.ts";
import {loadDictionary, variable, type Dictionary} from "./dictionary.ts";
import {queryRows, withDuckDB} from "./db.ts";

export interface Overview {
  files: string[];
  rows: number;
  unreadableTime: number;
  from: string | null;
  to: string | null;
  by: {name: string; label: string; codes: {code: string; label: string}[]};
  decision: {name: string; label: string; codes: {code: string; label: string}[]};
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

export async function overview(files: string[], dict: Dictionary = loadDictionary(), options: OverviewOptions = {}): Promise<Overview> {
  const time = variable(dict, options.time ?? dict.variables.find((v) => v.role === "time")!.name);
  const by = variable(dict, options.by ?? "referral_source");
  const decision = variable(dict, options.decision ?? "mash_decision");
  const format = time.format ?? "%Y-%m-%d %H:%M:%S";
  return withDuckDB(async (db) => {
    await db.run(`CREATE TEMP TABLE c AS SELECT
      try_strptime(trim(${ident(time.name)}), ${literal(format)}) AS t,
      ${codeCase(ident(by.name), by, {unmatched: "'(unrecognised)'"})} AS by_code,
      ${codeCase(ident(decision.name), decision, {unmatched: "'(unrecognised)'"})} AS decision_code
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
    // An empty decision means the contact was still open when the extract was taken.
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
      by: {name: by.name, label: by.label, codes: labels(by)},
      decision: {name: decision.name, label: decision.label, codes: labels(decision)},
      monthly: monthly as Overview["monthly"],
      decisions: decisions as Overview["decisions"],
    };
  });
}
