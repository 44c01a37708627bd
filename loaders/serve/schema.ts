/**
 * The service's JSON schemas, generated from the dictionary, and its OpenAPI document. The request
 * schema checks only the shape (an object of the dictionary's variables, scalar values, a list for a
 * multi-category variable, at most MAX_CONTACTS contacts): what the values mean is checked by
 * ingest's own rules (contacts.ts), which accept the synonyms and spellings an extract may use.
 *
 * @example openApiDocument(dict) // {openapi: "3.1.0", paths: {"/v1/score": …}, …}
 */
import type {Dictionary, Variable} from "../dictionary.ts";

/** The most contacts one request may hold (a day's contacts are ~200). */
export const MAX_CONTACTS = 1000;
/** The largest request body, in bytes (1,000 contacts of a few hundred bytes each, with room). */
export const BODY_LIMIT = 2 * 1024 * 1024;

type Schema = Record<string, unknown>;

/** One variable's value: text, a number, true/false or empty (null); a list of texts too for a multi-category variable. */
function valueSchema(v: Variable): Schema {
  const codes = (v.codes ?? []).map((c) => c.code);
  const what = [
    v.label,
    v.definition?.trim(),
    `type ${v.type}${v.required ? ", required" : ""}`,
    codes.length ? `codes: ${codes.join(", ")} (labels and synonyms accepted as in ingest)` : "",
    v.range ? `range ${v.range[0]}–${v.range[1]}` : "",
  ].filter(Boolean);
  return {
    type: v.type === "multi-category" ? ["string", "array", "null"] : ["string", "number", "boolean", "null"],
    ...(v.type === "multi-category" ? {items: {type: "string"}} : {}),
    description: what.join(". "),
  };
}

/** One contact: the dictionary's variables by name (a missing variable is empty, as a blank cell is). */
export function contactSchema(dict: Dictionary): Schema {
  return {
    type: "object",
    properties: Object.fromEntries(dict.variables.map((v) => [v.name, valueSchema(v)])),
    additionalProperties: false,
  };
}

/** POST /v1/score's body: one contact, or {contacts: [one or more]}. */
export function scoreRequestSchema(dict: Dictionary): Schema {
  const contact = contactSchema(dict);
  return {
    type: "object",
    description: `One contact (its variables as fields), or {"contacts": [...]} with 1 to ${MAX_CONTACTS} contacts.`,
    properties: {
      contacts: {type: "array", minItems: 1, maxItems: MAX_CONTACTS, items: contact},
      ...(contact.properties as Schema),
    },
    additionalProperties: false,
  };
}

const factor: Schema = {
  type: "object",
  properties: {
    feature: {type: "string", description: "the model's input column"},
    label: {type: "string", description: "the same in the dictionary's words"},
    contribution: {type: "number", description: "signed contribution to the log-odds, from the average training contact"},
  },
};

const modelRef: Schema = {
  type: "object",
  description: "the model that scored every contact of this answer",
  properties: {id: {type: "string"}, version: {type: "string", description: "when the model was trained (card.json trainedAt)"}},
};

const failure: Schema = {
  type: "object",
  properties: {
    contact: {type: "integer", description: "the contact's place in the request, from 0"},
    column: {type: "string"},
    rule: {
      type: "string",
      description: "ingest's rule: required, type, range, unknown_code, date_format, order, duplicate_id; or unknown_column, row_shape",
    },
    detail: {type: "string", description: "what the rule means; never the value"},
  },
};

const error = (description: string, extra: Schema = {}): Schema => ({
  description,
  content: {"application/json": {schema: {type: "object", properties: {error: {type: "string"}, ...extra}}}},
});

const json = (description: string, schema: Schema): Schema => ({description, content: {"application/json": {schema}}});

/** The OpenAPI document the server serves at /openapi.json (and docs/openapi.json holds). */
export function openApiDocument(dict: Dictionary): Schema {
  const bearer = [{bearer: []}];
  const refusals = {
    "401": error("no token, or one the server does not know"),
    "403": error("the token may not call this endpoint"),
    "429": error("over the client's rate limit (Retry-After says when to try again)"),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "MASH Workbench scoring service",
      version: dict.version,
      description:
        "Scores MASH contacts with a registered model: probability, 1–20 band and the top contributing factors, validated exactly as `workbench ingest` validates an extract. Generated from the variable dictionary.",
    },
    servers: [{url: "http://127.0.0.1:8787"}],
    components: {securitySchemes: {bearer: {type: "http", scheme: "bearer"}}},
    paths: {
      "/v1/score": {
        post: {
          summary: "Score one contact or a batch",
          security: bearer,
          requestBody: {required: true, content: {"application/json": {schema: scoreRequestSchema(dict)}}},
          responses: {
            "200": json("scores, one per contact in the order sent", {
              type: "object",
              properties: {
                model: modelRef,
                results: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      id: {type: "string", description: `the contact's ${dict.roles.record}`},
                      probability: {type: "number"},
                      band: {type: "integer", minimum: 1, maximum: 20},
                      factors: {type: "array", items: factor},
                    },
                  },
                },
              },
            }),
            "400": error("the request breaks a rule: nothing in it was scored", {failures: {type: "array", items: failure}}),
            "413": error("the body is larger than the limit"),
            "422": error("the request holds direct identifiers (kinds and counts given, never a value)", {
              identifiers: {type: "object", additionalProperties: {type: "integer"}},
            }),
            ...refusals,
          },
        },
      },
      "/v1/model": {
        get: {
          summary: "The model in use: its card's summary",
          security: bearer,
          responses: {"200": json("the model card's summary", {type: "object"}), ...refusals},
        },
      },
      "/v1/admin/model": {
        post: {
          summary: "Switch to another registered model without downtime (admin tokens only)",
          security: bearer,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {model: {type: "string"}, target: {type: "string"}},
                  additionalProperties: false,
                  description: "a model id, or a target whose newest registered model to load",
                },
              },
            },
          },
          responses: {"200": json("the model now in use", modelRef), "400": error("no such model or target"), ...refusals},
        },
      },
      "/healthz": {get: {summary: "The process is up", responses: {"200": json("up", {type: "object"})}}},
      "/readyz": {get: {summary: "A model is loaded and the audit log is open", responses: {"200": json("ready", {type: "object"})}}},
      "/openapi.json": {get: {summary: "This document", responses: {"200": json("OpenAPI 3.1", {type: "object"})}}},
    },
  };
}
