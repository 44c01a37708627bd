/**
 * What the service's tests and bench share: a small trained project (a generated year, two
 * logistic models of the default target told apart by their ridge), contacts read from a second
 * generated extract as request objects, the service started on a loopback port with a token per
 * test client, and a few helpers for HTTP on loopback.
 *
 * @example const p = await servedProject("serve-test"); const s = await startTestService(p); … await s.close(); p.remove();
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train} from "../../../loaders/train/train.ts";
import {loadDictionary, variableForHeading, type Dictionary} from "../../../loaders/dictionary.ts";
import {splitCsvLine} from "../../../loaders/ingest/header.ts";
import {startService, type Service} from "../../../loaders/serve/server.ts";
import {addClient, type Endpoint} from "../../../loaders/serve/tokens.ts";
import {tokensFile} from "../../../loaders/serve/paths.ts";
import type {ContactInput} from "../../../loaders/serve/contacts.ts";

export const DICTIONARY = "data/dictionary.yaml";

export interface ServedProject {
  dir: string;
  dict: Dictionary;
  modelsDir: string;
  /** two registered models: [0] the one served first, [1] another to switch to */
  models: string[];
  /** the new contacts' extract (clean: every row valid) and its rows as request objects */
  newCsv: string;
  contacts: ContactInput[];
  remove(): void;
}

/** Generates, ingests and trains (about 3 s on 2 cores). */
export async function servedProject(name: string, {contacts = 3000, fresh = 1200} = {}): Promise<ServedProject> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const year = {start: "2016-01-01", months: 12, messiness: 0, pilotStart: "2016-12-01", pilotEnd: "2016-12-31"};
  await generateExtract({...year, seed: 11, contacts, out: join(dir, "x")});
  await generateExtract({
    seed: 12,
    start: "2017-01-01",
    months: 1,
    contacts: fresh,
    messiness: 0,
    pilotStart: "2017-12-01",
    pilotEnd: "2017-12-31",
    out: join(dir, "new"),
  });
  const db = join(dir, "wh.duckdb");
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: DICTIONARY, db, report: join(dir, "r.json")});
  const modelsDir = join(dir, "models");
  const split = {validFrom: "2016-07-01", testFrom: "2016-10-01"};
  const models: string[] = [];
  for (const ridge of [DEFAULT_CONFIG.ridge, DEFAULT_CONFIG.ridge * 50 + 5])
    models.push((await train({...DEFAULT_CONFIG, model: "logistic", ridge, split}, {db, modelsDir})).id);
  const dict = loadDictionary(DICTIONARY);
  const newCsv = join(dir, "new", "contacts.csv");
  return {
    dir,
    dict,
    modelsDir,
    models,
    newCsv,
    contacts: csvContacts(newCsv, dict),
    remove: () => rmSync(dir, {recursive: true, force: true}),
  };
}

/** An extract's rows as request objects: each known column by its variable's name, an empty cell as null. */
export function csvContacts(file: string, dict: Dictionary): ContactInput[] {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  const names = splitCsvLine(lines[0]).map((h) => variableForHeading(dict, h)?.name);
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const contact: ContactInput = {};
    names.forEach((n, i) => {
      if (n) contact[n] = cells[i] === "" ? null : cells[i];
    });
    return contact;
  });
}

export interface TestService {
  service: Service;
  port: number;
  dir: string;
  /** tokens by client name */
  tokens: Record<string, string>;
  close(): Promise<void>;
}

/** Clients every test service has: a platform (score and model), an analyst (model only), an admin, and a slow client (2 a second). */
export const CLIENTS: [string, Endpoint[], number][] = [
  ["platform", ["score", "model"], 100000],
  ["analyst", ["model"], 100000],
  ["admin", ["score", "model", "admin"], 100000],
  ["slow", ["score"], 2],
];

export async function startTestService(
  p: ServedProject,
  options: {bodyLimit?: number; say?: (l: string) => void} = {},
): Promise<TestService> {
  const dir = mkdtempSync(join(p.dir, "serve-"));
  const tokens: Record<string, string> = {};
  for (const [name, endpoints, rate] of CLIENTS) tokens[name] = addClient(tokensFile(dir), name, {endpoints, rate}).token;
  const service = await startService({
    dict: p.dict,
    dictionaryPath: DICTIONARY,
    choice: {model: p.models[0]},
    modelsDir: p.modelsDir,
    dir,
    bodyLimit: options.bodyLimit,
    say: options.say ?? (() => {}),
  });
  await service.app.listen({host: "127.0.0.1", port: 0});
  const address = service.app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {service, port, dir, tokens, close: () => service.close()};
}

/** One contact's answer from POST /v1/score. */
export interface ServedScore {
  id: string;
  probability: number;
  band: number;
  factors: {feature: string; label: string; contribution: number}[];
}

/** An answer as the scores CSV writes it (probability, band, then three factor, contribution pairs; the baseline left out). */
export function scoreFields(r: ServedScore): string {
  const f = [0, 1, 2].flatMap((k) => (r.factors[k] ? [r.factors[k].feature, r.factors[k].contribution.toFixed(4)] : ["", ""]));
  return [r.probability.toFixed(6), String(r.band), ...f].join(",");
}

/** `workbench score`'s answers for an extract, in the same form (id → fields), read from the CSV it writes. */
export function csvScores(file: string): Map<string, string> {
  return new Map(
    readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
      .map((f) => [f[0], [f[1], f[2], ...f.slice(4)].join(",")]),
  );
}
