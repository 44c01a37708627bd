/**
 * Refusals of a request's shape, in the words of ingest's refusals: the JSON schema's errors
 * (ajv's, as Fastify attaches them) turned into failures by contact, column and rule, never a
 * value; and error messages with any quoted text taken out before they are shown or logged.
 *
 * @example shapeFailures([{instancePath: "/contacts/2/size", keyword: "type"}], dict) // a variable named size
 *          // [{contact: 2, column: "size", rule: "type", detail: "size must be text, a number, true/false or null"}]
 */
import type {Dictionary} from "../dictionary.ts";
import {mayShow} from "../../src/lib/identifiers.ts";
import type {Failure} from "./contacts.ts";
import {MAX_CONTACTS} from "./schema.ts";

/** The part of an ajv error used here. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params?: Record<string, unknown>;
}

/** A column name as a refusal may show it: as sent when short and plainly no identifier, else its length only. */
const shownName = (name: string): string => (mayShow(name) && !/\s/.test(name) ? name : `(a field name of ${name.length} characters)`);

export function shapeFailures(errors: SchemaError[], dict: Dictionary): Failure[] {
  return errors.map((e) => {
    const path = e.instancePath.split("/").slice(1);
    const inBatch = path[0] === "contacts";
    const contact = inBatch && path[1] !== undefined ? Number(path[1]) : 0;
    const field = inBatch ? path[2] : path[0];
    if (e.keyword === "additionalProperties") {
      const name = shownName(String(e.params?.additionalProperty ?? ""));
      return {contact, column: name, rule: "unknown_column", detail: `${name} is not a variable of the dictionary (see /openapi.json)`};
    }
    if (field && field !== "contacts") {
      const v = dict.variables.find((x) => x.name === field);
      const list = v?.type === "multi-category" ? ", a list of texts" : "";
      return {contact, column: field, rule: "type", detail: `${field} must be text, a number, true/false${list} or null`};
    }
    if (e.keyword === "maxItems" || e.keyword === "minItems")
      return {contact: 0, column: "", rule: "row_shape", detail: `send 1 to ${MAX_CONTACTS} contacts in one request`};
    return {
      contact,
      column: "",
      rule: "row_shape",
      detail: 'the body must be one contact (a JSON object of its variables) or {"contacts": [...]}',
    };
  });
}

/** An error's message with every quoted text replaced by (…): messages from parsers and DuckDB may quote a value. */
export function withoutQuoted(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")[0]
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "(…)")
    .slice(0, 300);
}
