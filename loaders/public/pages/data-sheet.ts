/**
 * The public page "Data sheet" as Markdown, from public-data-sheet.json: the
 * extract, how every row was accounted for, each variable in plain words, the
 * distribution of every coded variable and the dictionary's changes, all
 * written into the page at build time.
 */
import {escapeHtml, publicTableHtml, recordsTableHtml, type PublishedTable} from "../../../src/components/public-table.ts";
import {pageStart, valuesOf, type PageContext} from "./page.ts";

/** The file this page reads. */
export const DATA_SHEET_FILE = "public-data-sheet.json";

/** The parts of public-data-sheet.json this page shows. */
export interface DataSheetData {
  dictionary: {version: string; title: string; changes: Record<string, unknown>[]};
  ingest: {files: number; from: string; to: string; accounting: PublishedTable; rejectedByRule: PublishedTable};
  byYear: PublishedTable;
  variables: {
    name: string;
    label: string;
    group: string;
    definition: string;
    type: string;
    role: string;
    sensitivity: string;
    distribution: {labels: string[]; table: PublishedTable} | null;
  }[];
}

/** The page's Markdown. */
export function dataSheetPage(s: DataSheetData, context: PageContext): string {
  const v = valuesOf(DATA_SHEET_FILE, s);
  const variables = recordsTableHtml(
    [
      {key: "label", label: "Variable"},
      {key: "group", label: "Group"},
      {key: "definition", label: "Meaning"},
      {key: "type", label: "Type"},
      {key: "role", label: "Role"},
      {key: "sensitivity", label: "Sensitivity"},
    ],
    s.variables.map(({label, group, definition, type, role, sensitivity}) => ({label, group, definition, type, role, sensitivity})),
    {caption: "The variables of the dictionary", source: `${DATA_SHEET_FILE}:variables`},
  );
  const distributions = s.variables
    .map((x, i) => ({x, i}))
    .filter(({x}) => x.distribution)
    .map(
      ({x, i}) =>
        `<div class="card">${publicTableHtml(x.distribution!.table, {
          rowLabels: Object.fromEntries(x.distribution!.table.rows.map((k, j) => [k, x.distribution!.labels[j]])),
          caption: x.label,
          source: `${DATA_SHEET_FILE}:variables.${i}.distribution.table`,
        })}</div>`,
    );
  const changeKeys = [...new Set(s.dictionary.changes.flatMap((c) => Object.keys(c)))];
  const changes = recordsTableHtml(
    changeKeys.map((key) => ({key, label: key.replace(/_/g, " ")})),
    s.dictionary.changes.map((c) => Object.fromEntries(changeKeys.map((k) => [k, c[k] === undefined ? "" : String(c[k])]))),
    {caption: "Changes to the dictionary", source: `${DATA_SHEET_FILE}:dictionary.changes`},
  );
  return [
    pageStart("Data sheet", context),
    `What the model was built from: the contacts extract, each variable in plain words, and how
every row was accounted for when it was loaded. Counts of 1 to ${v("ingest.accounting.threshold")} are shown as "c".`,
    "",
    "## The extract",
    "",
    `${v("dictionary.title")}: contacts received from ${v("ingest.from")} to ${v("ingest.to")}, in
${v("ingest.files")} file(s), read with dictionary version ${v("dictionary.version")}.
References to contacts, children, households and staff are pseudonymised in the extract and
are never published.`,
    "",
    `<div class="grid grid-cols-2">
<div class="card">${publicTableHtml(s.ingest.accounting, {
      caption: "Rows read: accepted, rejected (quarantined with a reason) or duplicates",
      source: `${DATA_SHEET_FILE}:ingest.accounting`,
    })}</div>
<div class="card">${publicTableHtml(s.ingest.rejectedByRule, {
      corner: "Rule",
      caption: "Rejected rows by the rule they broke",
      source: `${DATA_SHEET_FILE}:ingest.rejectedByRule`,
    })}</div>
</div>`,
    "",
    `<div class="card">${publicTableHtml(s.byYear, {corner: "Year", caption: "Accepted contacts by year", source: `${DATA_SHEET_FILE}:byYear`})}</div>`,
    "",
    "## The variables",
    "",
    variables,
    "",
    "## Distributions",
    "",
    `<div class="grid grid-cols-3">\n${distributions.join("\n")}\n</div>`,
    "",
    "## Changes to the dictionary",
    "",
    s.dictionary.changes.length ? changes : `<p>${escapeHtml("No changes recorded.")}</p>`,
    "",
  ].join("\n");
}
