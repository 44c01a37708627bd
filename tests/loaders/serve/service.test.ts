// The scoring service on loopback, for real (Fastify, DuckDB, tfjs, files): answers identical to
// `workbench score`, ingest's refusals by rule and column, the identifier refusal, tokens, endpoints
// and rates, the audit log's lines, the committed OpenAPI document, and a model switch under load.
import {afterAll, beforeAll, expect, it} from "vitest";
import {execFile} from "node:child_process";
import {promisify} from "node:util";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {scoreExtract} from "../../../loaders/score/score.ts";
import {auditFiles, readAuditLog, type ScoreRecord} from "../../../loaders/serve/audit-log.ts";
import {auditDir, tokensFile} from "../../../loaders/serve/paths.ts";
import {addClient, revokeClient} from "../../../loaders/serve/tokens.ts";
import {drive, send} from "./driver.ts";
import {
  csvScores,
  scoreFields,
  servedProject,
  startTestService,
  type ServedProject,
  type ServedScore,
  type TestService,
} from "./fixture.ts";

let p: ServedProject;
let s: TestService;
const said: string[] = [];
/** `workbench score` on the new extract, for each model */
const expected: Map<string, string>[] = [];
/** contacts whose child and household appear once in the extract: alone, they have the history they have in it */
let alone: ServedProject["contacts"];

beforeAll(async () => {
  p = await servedProject("serve-test");
  s = await startTestService(p, {say: (l) => said.push(l)});
  for (const [k, id] of p.models.entries()) {
    const out = join(p.dir, `scores-${k}.csv`);
    await scoreExtract({model: join(p.modelsDir, id), extract: [p.newCsv], out});
    expected.push(csvScores(out));
  }
  const {person, group} = p.dict.roles;
  const once = (k: string) => (c: (typeof p.contacts)[number]) => p.contacts.filter((x) => x[k] === c[k]).length === 1;
  alone = p.contacts.filter((c) => once(person!)(c) && once(group!)(c));
}, 120_000);
afterAll(async () => {
  await s?.close();
  p?.remove();
});

const score = (body: unknown, token = s.tokens.platform) => send(s.port, {path: "/v1/score", token, body});

it("answers a batch of 200 exactly as `workbench score` answers the same 200 rows, and logs each contact", async () => {
  const day = join(p.dir, "day.csv");
  writeFileSync(day, readFileSync(p.newCsv, "utf8").split("\n").slice(0, 201).join("\n") + "\n");
  await scoreExtract({model: join(p.modelsDir, p.models[0]), extract: [day], out: join(p.dir, "day-scores.csv")});
  const want = csvScores(join(p.dir, "day-scores.csv"));
  const a = await score({contacts: p.contacts.slice(0, 200)});
  expect(a.status).toBe(200);
  const body = JSON.parse(a.text) as {model: {id: string}; results: ServedScore[]};
  expect(body.model.id).toBe(p.models[0]);
  expect(body.results.map((r) => r.id)).toEqual(p.contacts.slice(0, 200).map((c) => String(c[p.dict.roles.record])));
  for (const r of body.results) expect(scoreFields(r), r.id).toBe(want.get(r.id));
  expect(body.results[0].factors[0].label).toMatch(/\w/);
  const logged = readAuditLog(auditDir(s.dir)).records.filter((x): x is ScoreRecord => x.kind === "score");
  for (const r of body.results) expect(logged.some((l) => l.contact === r.id && l.band === r.band && l.model === p.models[0])).toBe(true);
  for (const l of logged)
    expect(Object.keys(l).sort()).toEqual(["band", "client", "contact", "kind", "latency_ms", "model", "source", "time"]);
});

it("answers single contacts as `workbench score` answers them in their extract", async () => {
  expect(alone.length).toBeGreaterThan(50);
  const answers = await drive(
    s.port,
    alone.slice(0, 100).map((c) => ({path: "/v1/score", token: s.tokens.platform, body: c})),
    10,
  );
  for (const a of answers) {
    expect(a.status).toBe(200);
    const [r] = JSON.parse(a.text).results as ServedScore[];
    expect(scoreFields(r)).toBe(expected[0].get(r.id));
  }
});

it("refuses what ingest refuses, by the same rule, column and detail, with no value", async () => {
  // Broken copies of real rows, written as an extract for `workbench score` and sent as one request.
  const breaks: Record<string, unknown>[] = [
    {age_years: "12.5"},
    {referral_source: "carrier pigeon"},
    {contact_datetime: "2017-02-30 10:00:00"},
    {child_id: null},
    {prior_contacts_12m: "-3"},
  ];
  const broken = breaks.map((b, i) => ({...p.contacts[i], ...b}));
  const header = p.dict.variables.map((v) => v.name);
  const cell = (x: unknown) => (x === null || x === undefined ? "" : `"${String(x).replace(/"/g, '""')}"`);
  const csv = join(p.dir, "broken.csv");
  writeFileSync(csv, [header.join(","), ...broken.map((c) => header.map((h) => cell(c[h])).join(","))].join("\n") + "\n");
  await scoreExtract({
    model: join(p.modelsDir, p.models[0]),
    extract: [csv],
    out: join(p.dir, "b.csv"),
    rejects: join(p.dir, "b.rejects.csv"),
  });
  const rejects = readFileSync(join(p.dir, "b.rejects.csv"), "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((f) => f.replace(/^"|"$/g, "").replace(/""/g, '"')))
    .map(([, row, column, rule, detail]) => `${Number(row) - 2}|${column}|${rule}|${detail}`)
    .sort();
  const a = await score({contacts: broken});
  expect(a.status).toBe(400);
  const failures = (JSON.parse(a.text).failures as {contact: number; column: string; rule: string; detail: string}[])
    .map((f) => `${f.contact}|${f.column}|${f.rule}|${f.detail}`)
    .sort();
  expect(rejects.length).toBeGreaterThanOrEqual(breaks.length);
  expect(failures).toEqual(rejects);
  for (const v of ["12.5", "carrier pigeon", "2017-02-30", "-3"]) expect(a.text).not.toContain(v);
  // The shape: unknown fields, wrong types, too many contacts, not JSON.
  const shape = await score({...p.contacts[0], colour: "blue"});
  expect(shape.status).toBe(400);
  expect(JSON.parse(shape.text).failures[0]).toMatchObject({column: "colour", rule: "unknown_column"});
  expect((await score({...p.contacts[0], age_years: {years: 4}})).status).toBe(400);
  expect((await score({contacts: Array.from({length: 1001}, () => p.contacts[0])})).status).toBe(400);
  const notJson = await send(s.port, {path: "/v1/score", token: s.tokens.platform, body: '{"contact_id": "Q77", '});
  expect([notJson.status, notJson.text]).toEqual([400, '{"error":"the body is not valid JSON"}']);
  // 413 past the body limit, before anything reads it.
  const big = await score({contacts: Array.from({length: 900}, () => ({...p.contacts[0], team: "x".repeat(3000)}))});
  expect(big.status).toBe(413);
});

it("refuses a request holding direct identifiers (422), logging kinds and counts only", async () => {
  const secrets = ["Olivia Smith", "07700 900461", "olivia.p@example.org", "943 476 5919"];
  const cases = [
    {...p.contacts[0], child_id: secrets[0]},
    {...p.contacts[0], notes: `call ${secrets[1]}`},
    {contacts: [p.contacts[1], {...p.contacts[2], household_id: secrets[2]}]},
    {...p.contacts[0], nhs_number: secrets[3]},
  ];
  for (const body of cases) {
    const a = await score(body);
    expect(a.status).toBe(422);
    expect(Object.keys(JSON.parse(a.text).identifiers).length).toBeGreaterThan(0);
    for (const v of secrets) expect(a.text).not.toContain(v);
  }
  await s.service.log.flushed(); // refusals are logged without holding up the answer
  const log = auditFiles(auditDir(s.dir))
    .map((f) => readFileSync(join(auditDir(s.dir), f), "utf8"))
    .join("");
  const refusals = readAuditLog(auditDir(s.dir)).records.filter((r) => r.kind === "refusal" && r.status === 422);
  expect(refusals.length).toBeGreaterThanOrEqual(cases.length);
  for (const v of secrets) {
    expect(log).not.toContain(v);
    expect(said.join("\n")).not.toContain(v);
  }
});

it("answers no one without a valid token, limits endpoints and rates, and honours a revocation", async () => {
  const body = p.contacts[0];
  expect((await score(body, "")).status).toBe(401);
  expect((await score(body, "mash_not-a-real-token")).status).toBe(401);
  expect((await send(s.port, {path: "/v1/model"})).status).toBe(401);
  expect((await score(body, s.tokens.analyst)).status).toBe(403);
  const model = await send(s.port, {path: "/v1/model", token: s.tokens.analyst});
  expect(model.status).toBe(200);
  expect(JSON.parse(model.text)).toMatchObject({id: p.models[0], target: "info_sharing"});
  expect((await send(s.port, {path: "/v1/admin/model", token: s.tokens.platform, body: {model: p.models[1]}})).status).toBe(403);
  // The slow client: 2 a second, so a burst of 4 gets two 429s.
  const burst = await Promise.all([1, 2, 3, 4].map(() => score(body, s.tokens.slow)));
  expect(burst.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
  // A client added and revoked while the server runs: the file is re-read within a second.
  const {token} = addClient(tokensFile(s.dir), "temp");
  await new Promise((r) => setTimeout(r, 1100));
  expect((await score(body, token)).status).toBe(200);
  revokeClient(tokensFile(s.dir), "temp");
  await new Promise((r) => setTimeout(r, 1100));
  expect((await score(body, token)).status).toBe(401);
  expect(readFileSync(tokensFile(s.dir), "utf8")).not.toContain(token);
  // Health and readiness need no token.
  expect((await send(s.port, {path: "/healthz"})).status).toBe(200);
  expect(JSON.parse((await send(s.port, {path: "/readyz"})).text).status).toBe("ready");
});

it("serves the OpenAPI document that docs/openapi.json commits", async () => {
  const served = JSON.parse((await send(s.port, {path: "/openapi.json"})).text);
  const committed = JSON.parse(readFileSync("docs/openapi.json", "utf8"));
  // When the dictionary changes: npx workbench serve openapi > docs/openapi.json && npx prettier --write docs/openapi.json
  expect(committed).toEqual(served);
  expect(Object.keys(served.paths["/v1/score"].post.requestBody.content["application/json"].schema.properties)).toEqual([
    "contacts",
    ...p.dict.variables.map((v) => v.name),
  ]);
});

it("switches models under load without a refused request; every answer names the model that scored it", async () => {
  const specs = Array.from({length: 600}, (_, i) => ({path: "/v1/score", token: s.tokens.platform, body: alone[i % alone.length]}));
  const load = drive(s.port, specs, 20);
  await new Promise((r) => setTimeout(r, 300));
  const switched = await send(s.port, {path: "/v1/admin/model", token: s.tokens.admin, body: {model: p.models[1]}});
  expect(switched.status).toBe(200);
  const after = await score(alone[0]);
  const answers = await load;
  const byModel = new Map<string, number>();
  for (const a of answers) {
    expect(a.status).toBe(200);
    const body = JSON.parse(a.text) as {model: {id: string}; results: ServedScore[]};
    const k = p.models.indexOf(body.model.id);
    expect(k).toBeGreaterThanOrEqual(0);
    byModel.set(body.model.id, (byModel.get(body.model.id) ?? 0) + 1);
    // The scores are the named model's own.
    expect(scoreFields(body.results[0])).toBe(expected[k].get(body.results[0].id));
  }
  expect(byModel.size).toBe(2);
  expect(JSON.parse(after.text).model.id).toBe(p.models[1]);
  expect(JSON.parse((await send(s.port, {path: "/v1/model", token: s.tokens.analyst})).text).id).toBe(p.models[1]);
  // The models really differ, so naming the wrong one would have been caught above.
  expect([...expected[0]].filter(([id, f]) => expected[1].get(id) !== f).length).toBeGreaterThan(0);
}, 60_000);

it("runs the curl examples of docs/integration.md and gets the statuses the page says", async () => {
  const page = readFileSync("docs/integration.md", "utf8");
  const examples = [...page.matchAll(/<!-- expect (\d{3}) -->\s*```sh\n([\s\S]*?)```/g)].map((m) => ({
    status: Number(m[1]),
    command: m[2].trim(),
  }));
  expect(examples.length).toBeGreaterThanOrEqual(4);
  for (const {status, command} of examples) {
    // As written, with the status code printed after the body (run asynchronously: the server is in this process).
    const {stdout: out} = await promisify(execFile)("sh", ["-c", `${command} --max-time 20 -w '\\n%{http_code}'`], {
      encoding: "utf8",
      env: {...process.env, BASE: `http://127.0.0.1:${s.port}`, TOKEN: s.tokens.platform},
    });
    const lines = out.trimEnd().split("\n");
    expect(Number(lines.pop()), command).toBe(status);
    const body = JSON.parse(lines.join("\n"));
    if (status === 200) expect(body.results?.[0]?.band ?? body.testAuc).toBeDefined();
    if (status === 400) expect(body.failures.length).toBeGreaterThan(0);
    if (status === 422) expect(Object.keys(body.identifiers)).toContain("person_name");
  }
});
