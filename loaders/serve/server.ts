/**
 * The scoring service (Fastify): POST /v1/score, GET /v1/model, POST /v1/admin/model, /healthz,
 * /readyz and /openapi.json. In order, a request to /v1/ is: authenticated (401), allowed the
 * endpoint (403) and within its client's rate (429) — before its body is read —, then screened for
 * direct identifiers (422, logged as kinds and counts), checked for shape (400) and validated by
 * ingest's rules (400 with every failure), and scored. Refusals name the rule and column, never a
 * value; so do the log lines (audit-log.ts) and the service's messages on stderr.
 *
 * @example const service = await startService({dict, dictionaryPath, choice: {target: "info_sharing"}, dir: serveDir()});
 *          await service.app.listen({host: "127.0.0.1", port: 8787});
 */
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyRequest} from "fastify";
import type {Dictionary} from "../dictionary.ts";
import {AuditLog} from "./audit-log.ts";
import {ContactChecker, type ContactInput, type Failure} from "./contacts.ts";
import {ModelSlot, type ModelChoice} from "./models.ts";
import {auditDir, ensurePrivateDir, tokensFile} from "./paths.ts";
import {ScoringQueue} from "./queue.ts";
import {rateLimiter} from "./rate-limit.ts";
import {BODY_LIMIT, MAX_CONTACTS, openApiDocument, scoreRequestSchema} from "./schema.ts";
import {screenRequest} from "./screen-request.ts";
import {shapeFailures, withoutQuoted} from "./shape.ts";
import {findClient, watchedClients, type Client, type Endpoint} from "./tokens.ts";

export interface ServiceOptions {
  dict: Dictionary;
  dictionaryPath: string;
  choice: ModelChoice;
  /** the service's folder (tokens.json, audit/) */
  dir: string;
  modelsDir?: string;
  bodyLimit?: number;
  /** where the service's own messages go (default stderr) */
  say?: (line: string) => void;
}

export interface Service {
  app: FastifyInstance;
  models: ModelSlot;
  log: AuditLog;
  close(): Promise<void>;
}

/** Which endpoint a URL belongs to (null: open to all, e.g. /healthz). */
function endpointOf(url: string): Endpoint | null {
  if (url.startsWith("/v1/score")) return "score";
  if (url.startsWith("/v1/admin/")) return "admin";
  if (url.startsWith("/v1/")) return "model";
  return null;
}

declare module "fastify" {
  interface FastifyRequest {
    received: number;
    client?: Client;
  }
}

export async function startService(o: ServiceOptions): Promise<Service> {
  const say = o.say ?? ((line: string) => process.stderr.write(`workbench serve: ${line}\n`));
  if (o.dict.variables.some((v) => v.name === "contacts"))
    throw new Error('the dictionary has a variable named "contacts", which the request format uses for a batch');
  ensurePrivateDir(o.dir);
  const models = await ModelSlot.open(o.choice, o.dict, o.dictionaryPath, o.modelsDir);
  const checker = await ContactChecker.open(o.dict);
  const log = await AuditLog.open(auditDir(o.dir));
  const queue = new ScoringQueue(checker, models, log);
  const clients = watchedClients(tokensFile(o.dir));
  const limit = rateLimiter();
  const refused = (request: FastifyRequest, status: number, reason: string, counts?: Record<string, number>) =>
    void log
      .append([{kind: "refusal", time: new Date().toISOString(), source: "serve", client: request.client?.name, status, reason, counts}])
      .catch((e: unknown) => say(`could not log a refusal: ${withoutQuoted(e)}`));

  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit ?? BODY_LIMIT,
    // Shape only, exactly as sent: no coercion, no defaults, nothing removed (ingest's rules judge the values).
    ajv: {customOptions: {coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, allowUnionTypes: true}},
  });

  app.addHook("onRequest", async (request, reply) => {
    request.received = performance.now();
    const endpoint = endpointOf(request.url);
    if (!endpoint) return;
    const client = findClient(clients(), request.headers.authorization);
    if (!client) {
      refused(request, 401, "no valid token");
      return reply.code(401).header("www-authenticate", "Bearer").send({error: "a valid bearer token is required"});
    }
    request.client = client;
    if (!client.endpoints.includes(endpoint)) {
      refused(request, 403, `endpoint ${endpoint} not allowed`);
      return reply.code(403).send({error: `this token may not call the ${endpoint} endpoint`});
    }
    const rate = limit(client.name, client.rate, request.received);
    if (!rate.ok) {
      refused(request, 429, "rate limit");
      return reply
        .code(429)
        .header("retry-after", String(rate.retryAfterSeconds))
        .send({error: `over ${client.rate} requests a second`});
    }
  });

  app.setErrorHandler((error: Error & {code?: string; statusCode?: number}, request, reply) => {
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      refused(request, 413, "body too large");
      return reply.code(413).send({error: `the body is larger than ${o.bodyLimit ?? BODY_LIMIT} bytes`});
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own refusals (malformed JSON, wrong media type…), in fixed words: a parser's message may quote the body.
      const why = error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "send application/json" : "the body is not valid JSON";
      refused(request, error.statusCode, why);
      return reply.code(error.statusCode).send({error: why});
    }
    say(`internal error on ${request.method} ${request.routeOptions.url ?? "?"}: ${withoutQuoted(error)}`);
    return reply.code(500).send({error: "internal error (logged without values)"});
  });

  app.get("/healthz", async () => ({status: "ok"}));
  app.get("/readyz", async () => ({status: "ready", model: models.inUse.scorer.id}));
  app.get("/openapi.json", async () => openApiDocument(o.dict));
  app.get("/v1/model", async () => models.inUse.summary);

  app.post("/v1/admin/model", async (request: FastifyRequest<{Body: {model?: unknown; target?: unknown}}>, reply) => {
    const {model, target} = request.body ?? {};
    const choice: ModelChoice | null = typeof model === "string" ? {model} : typeof target === "string" ? {target} : null;
    if (!choice) return reply.code(400).send({error: 'send {"model": "<id>"} or {"target": "<name>"}'});
    try {
      const m = await models.switchTo(choice);
      say(`now scoring with ${m.scorer.id} (switched by ${request.client?.name})`);
      return {id: m.scorer.id, version: String(m.scorer.card.trainedAt)};
    } catch (error) {
      return reply.code(400).send({error: withoutQuoted(error)});
    }
  });

  app.post(
    "/v1/score",
    {
      schema: {body: scoreRequestSchema(o.dict)},
      attachValidation: true,
      // Direct identifiers are refused before anything else looks at the body.
      preValidation: async (request, reply) => {
        const found = screenRequest(request.body, o.dict);
        if (found.size) {
          const counts = Object.fromEntries(found);
          refused(request, 422, "direct identifiers", counts);
          say(`refused a request from ${request.client?.name}: direct identifiers (${[...found].map(([k, n]) => `${k} ${n}`).join(", ")})`);
          return reply.code(422).send({error: "the request holds direct identifiers: nothing was scored or kept", identifiers: counts});
        }
      },
    },
    async (request, reply) => scoreRoute(request, reply),
  );

  async function scoreRoute(request: FastifyRequest, reply: FastifyReply) {
    const body = request.body as {contacts?: ContactInput[]} & ContactInput;
    let failures: Failure[] = request.validationError ? shapeFailures(request.validationError.validation, o.dict) : [];
    if (!failures.length && body.contacts && Object.keys(body).length > 1)
      failures = [{contact: 0, column: "", rule: "row_shape", detail: 'send one contact, or {"contacts": [...]}, not both'}];
    if (failures.length) return badRequest(request, reply, failures);
    const contacts = body.contacts ?? [body];
    const answer = await queue.submit({contacts, client: request.client!.name, received: request.received});
    if (answer.status === 400) return badRequest(request, reply, answer.failures);
    return answer.body;
  }

  function badRequest(request: FastifyRequest, reply: FastifyReply, failures: Failure[]) {
    const counts: Record<string, number> = {};
    for (const f of failures) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    refused(request, 400, "rules broken", counts);
    return reply
      .code(400)
      .send({error: `the request breaks ${failures.length} rule${failures.length === 1 ? "" : "s"}: nothing was scored`, failures});
  }

  say(`model ${models.inUse.scorer.id}; up to ${MAX_CONTACTS} contacts a request; audit log in ${auditDir(o.dir)}`);
  return {
    app,
    models,
    log,
    close: async () => {
      await app.close();
      await log.close();
      checker.close();
      models.close();
    },
  };
}
