/**
 * Public aggregates of how well the published model works, and for whom:
 * computed at build time from the model's test predictions
 * (predictions.internal.csv, never shipped) joined in DuckDB to the protected
 * attributes in the warehouse, then passed through src/lib/disclosure.ts.
 * Only suppressed tables, rates from them, and AUCs of groups whose counts
 * are published leave this module.
 */
import {join} from "node:path";
import {loadDictionary, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, pathLiteral, unescapeCsvSql} from "../sql.ts";
import {withWarehouse} from "../db.ts";
import {predictionsFile} from "../registry.ts";
import {bootstrapAuc} from "../../src/lib/metrics.ts";
import {MIN_GROUP} from "../../src/lib/intervals.ts";
import {publishTable} from "./publish.ts";
import {
  isSuppressed,
  publishedRate,
  suppressTable,
  suppressWithSubtotals,
  SUPPRESSED,
  type Cell,
  type DisclosureOptions,
  type PublishedRate,
  type SuppressedTable,
} from "../../src/lib/disclosure.ts";

/** One test contact's outcome, score and protected attributes (in memory only). */
export interface Scored {
  y: number;
  score: number;
  groups: Record<string, string>;
}

/** A label for contacts whose attribute is not recorded. */
export const NOT_RECORDED = "Not recorded";

/**
 * The test contacts of a model with their protected attributes (labels from
 * the dictionary). Contact ids are used only inside the join, never returned.
 */
export async function scoredTestContacts(modelDir: string, dict: Dictionary = loadDictionary(), dbPath?: string): Promise<Scored[]> {
  const protectedVars = dict.variables.filter((v) => v.role === "protected");
  const csv = predictionsFile(modelDir);
  return withWarehouse(async (db) => {
    const rows = await queryRows(
      db,
      `SELECT p.y::INTEGER AS y, p.score::DOUBLE AS score,
        ${protectedVars.map((v) => `c.${ident(v.name)}::VARCHAR AS ${ident(v.name)}`).join(", ") || "NULL AS none"}
      FROM read_csv(${pathLiteral(csv)}, header = true, delim = ',', quote = '"', escape = '"',
        columns = {'id': 'VARCHAR', 'split': 'VARCHAR', 'y': 'INTEGER', 'score': 'DOUBLE'}) p
      -- LEFT JOIN: a test contact missing from this warehouse still counts, as "not recorded"; the id as training wrote it, unescaped
      LEFT JOIN contacts c ON c.${ident(dict.roles.record)} = ${unescapeCsvSql("p.id")}
      -- the test split only: the contacts the model never saw in training or validation
      WHERE p.split = 'test'
      ORDER BY p.score, p.y`,
    );
    return rows.map((r) => ({
      y: Number(r.y),
      score: Number(r.score),
      groups: Object.fromEntries(protectedVars.map((v) => [v.name, groupLabel(v, r[v.name])])),
    }));
  }, dbPath);
}

function groupLabel(v: Variable, value: unknown): string {
  if (value === null || value === undefined) return NOT_RECORDED;
  const code = v.type === "boolean" ? (value === "true" ? "yes" : value === "false" ? "no" : String(value)) : String(value);
  return v.codes?.find((c) => c.code === code)?.label ?? code;
}

/**
 * The illustrative operating point: flag the top k of the 20 training-score
 * bands, k so that about as many contacts are flagged as the validation share
 * that staff sent to information sharing. The workbench sets no threshold; this
 * one only makes error rates by group comparable.
 */
export function operatingPoint(metrics: {ventiles: number[]; validation: {prevalence: number}}): {
  threshold: number;
  bandsFlagged: number;
  share: number;
} {
  const k = Math.min(19, Math.max(1, Math.round(metrics.validation.prevalence * 20)));
  return {threshold: metrics.ventiles[19 - k], bandsFlagged: k, share: k / 20};
}

/** Sum of published cells: "c" when any of them is suppressed. */
export function sumCells(...cells: Cell[]): Cell {
  return cells.some(isSuppressed) ? SUPPRESSED : (cells as number[]).reduce((a, b) => a + b, 0);
}

/** The 1–20 band of a score from the training ventiles (band 20 = highest scores). */
export function band(score: number, ventiles: readonly number[]): number {
  let b = 1;
  for (const v of ventiles) if (score >= v) b++;
  return b;
}

/** Counts of (row, column) pairs as a table in the given row and column order. */
export function countTable(
  pairs: Iterable<[string, string]>,
  rows: string[],
  cols: string[],
): {rows: string[]; cols: string[]; counts: number[][]} {
  const counts = rows.map(() => cols.map(() => 0));
  for (const [r, c] of pairs) {
    const i = rows.indexOf(r);
    const j = cols.indexOf(c);
    if (i < 0 || j < 0) throw new Error(`countTable: unknown row "${r}" or column "${c}"`);
    counts[i][j]++;
  }
  return {rows, cols, counts};
}

const OUTCOME = ["positive", "negative"];
const CONFUSION = ["tp", "fn", "fp", "tn"];

/** Everything the public results page and the model card show about performance and fairness. */
export function publicResults(
  scored: Scored[],
  metrics: {ventiles: number[]; validation: {prevalence: number}},
  dict: Dictionary,
  options: DisclosureOptions,
) {
  const op = operatingPoint(metrics);
  const outcome = (d: Scored) => (d.y === 1 ? "positive" : "negative");
  const confusion = (d: Scored) => (d.score >= op.threshold ? (d.y ? "tp" : "fp") : d.y ? "fn" : "tn");

  // Score bands (1–20, from training ventiles) by outcome.
  const bandNames = Array.from({length: 20}, (_, i) => `band ${i + 1}`);
  // The flagged bands add up to the flagged contacts published below: protect those subtotals too.
  const flaggedFrom = 20 - op.bandsFlagged; // index of the first flagged band
  const bands = suppressWithSubtotals(
    countTable(
      scored.map((d) => [`band ${band(d.score, metrics.ventiles)}`, outcome(d)]),
      bandNames,
      OUTCOME,
    ),
    [bandNames.map((_, i) => i).filter((i) => i < flaggedFrom), bandNames.map((_, i) => i).filter((i) => i >= flaggedFrom)],
    options,
  );

  // Calibration: ten groups of equal size by score, observed rate against mean predicted.
  const tenths = Array.from({length: 10}, (_, i) => `tenth ${i + 1}`);
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  const tenthOf = (i: number) => `tenth ${Math.min(10, Math.floor((10 * i) / sorted.length) + 1)}`;
  const calibrationTable = suppressTable(
    countTable(
      sorted.map((d, i) => [tenthOf(i), outcome(d)]),
      tenths,
      OUTCOME,
    ),
    options,
  );
  const calibration = tenths.map((name, t) => {
    const members = sorted.filter((_, i) => tenthOf(i) === name);
    const n = calibrationTable.rowTotals[t];
    return {
      group: name,
      n,
      // The mean score of a group is published only when its size is.
      predicted: isSuppressed(n) ? SUPPRESSED : members.reduce((a, d) => a + d.score, 0) / members.length,
      observed: publishedRate(calibrationTable.cells[t][0], n),
    };
  });

  // Overall confusion at the operating point.
  const overall = suppressTable(
    countTable(
      scored.map((d) => ["all", confusion(d)]),
      ["all"],
      CONFUSION,
    ),
    options,
  );

  // By protected group: confusion counts, rates from the published counts, AUC where the group is large enough.
  const fairness = dict.variables
    .filter((v) => v.role === "protected")
    .map((v) => {
      const labels = [...(v.codes ?? []).map((c) => c.label), NOT_RECORDED];
      const table = suppressTable(
        countTable(
          scored.map((d) => [d.groups[v.name], confusion(d)]),
          labels,
          CONFUSION,
        ),
        options,
      );
      const groups = labels.map((label, i) => {
        const [tp, fn, fp, tn] = table.cells[i];
        const positives = sumCells(tp, fn);
        const negatives = sumCells(fp, tn);
        const members = scored.filter((d) => d.groups[v.name] === label);
        const enough = !isSuppressed(positives) && !isSuppressed(negatives) && positives >= MIN_GROUP && negatives >= MIN_GROUP;
        return {
          group: label,
          n: table.rowTotals[i],
          observed: publishedRate(positives, table.rowTotals[i]),
          flagged: publishedRate(sumCells(tp, fp), table.rowTotals[i]),
          truePositiveRate: publishedRate(tp, positives),
          falsePositiveRate: publishedRate(fp, negatives),
          auc: enough
            ? bootstrapAuc(
                members.map((d) => d.score),
                members.map((d) => d.y),
                {replicates: 200, seed: 20190331},
              )
            : "too few to tell",
        };
      });
      return {variable: v.name, label: v.label, table: publishTable(table), groups};
    });

  return {
    operatingPoint: op,
    bands: publishTable(bands),
    calibration,
    calibrationTable: publishTable(calibrationTable),
    overall: publishTable(overall),
    fairness,
    threshold: options.threshold ?? 5,
  };
}

export type PublicResults = ReturnType<typeof publicResults>;
export type {SuppressedTable, PublishedRate};
