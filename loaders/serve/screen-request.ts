/**
 * The identifier screen of a scoring request, before anything else looks at it (as ingest screens
 * before validating): every key by name (ingest's `screenByName`: a declared direct identifier, or a
 * name announcing one), and every text by content through the one shared screen
 * (src/lib/identifiers.ts `screenColumn`, a column at a time across the request's contacts, so a
 * column of lone names is caught as in ingest). A value that is a known spelling of its categorical
 * variable cannot identify anyone and is not screened; dates are expected in date columns. Returns
 * counts by kind, never a value.
 *
 * @example screenRequest({contacts: [{...contact, notes: "call 07700 900123"}]}, dict) // Map {"phone" => 1}
 */
import {normaliseSpelling, spellings, variableForHeading, type Dictionary, type Variable} from "../dictionary.ts";
import {screenByName} from "../ingest/screen.ts";
import {identifiersIn, screenColumn} from "../../src/lib/identifiers.ts";

/** Counts of the identifiers found, by kind (ingest's kinds, plus declared_identifier for a key the dictionary marks). */
export type IdentifierCounts = Map<string, number>;

/** Whether `text` is a spelling the categorical variable `v` knows (a code, label or synonym), or a list of them. */
function knownSpelling(v: Variable | undefined, text: string): boolean {
  if (!v || !["category", "boolean", "multi-category"].includes(v.type)) return false;
  const known = spellings(v);
  const items = v.type === "multi-category" ? text.split(v.separator ?? ";") : [text];
  return items.every((x) => known.has(normaliseSpelling(x)) || x.trim() === "");
}

/** Screens a parsed request body (any JSON: a contact, {contacts: […]}, or something malformed). */
export function screenRequest(body: unknown, dict: Dictionary): IdentifierCounts {
  const found: IdentifierCounts = new Map();
  const add = (kind: string, n: number) => found.set(kind, (found.get(kind) ?? 0) + n);
  // Texts by column, across the request's contacts (a column's values are judged together, as ingest judges a column).
  const columns = new Map<string, string[]>();
  const loose: string[] = [];
  const visit = (value: unknown, column: string | null) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const x of value) visit(x, column);
      return;
    }
    if (typeof value === "object") {
      const keys = Object.keys(value as object);
      for (const f of screenByName(keys, dict)) add(f.kind, 1);
      // A key is text the client wrote: screened as content too.
      for (const k of keys) for (const kind of identifiersIn(k)) add(kind, 1);
      for (const [k, v] of Object.entries(value as object)) visit(v, k === "contacts" && column === null ? null : k);
      return;
    }
    const text = String(value);
    if (column === null) loose.push(text);
    else if (!knownSpelling(variableForHeading(dict, column), text)) {
      if (!columns.has(column)) columns.set(column, []);
      columns.get(column)!.push(text);
    }
  };
  visit(body, null);
  for (const [column, texts] of columns) {
    const type = variableForHeading(dict, column)?.type;
    const counts = screenColumn(
      texts.map((text) => ({text, n: 1})),
      {dateColumn: type === "date" || type === "datetime"},
    );
    for (const [kind, c] of counts) add(kind, c.count);
  }
  for (const text of loose) for (const kind of identifiersIn(text)) add(kind, 1);
  return found;
}
