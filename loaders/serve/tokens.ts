/**
 * Bearer tokens per client, kept as SHA-256 hashes in a JSON file the operator manages with
 * `workbench serve token add|list|revoke`. A token is 32 random bytes (base64url, prefixed "mash_"):
 * with that much entropy a plain SHA-256 cannot be reversed, and checking it costs microseconds
 * (a password hash such as scrypt is for guessable secrets). The token itself is shown once, when
 * added, and stored nowhere.
 *
 * @example const {token} = addClient(file, "platform", {endpoints: ["score", "model"], rate: 50});
 *          findClient(readClients(file), `Bearer ${token}`)?.name // "platform"
 */
import {createHash, randomBytes, timingSafeEqual} from "node:crypto";
import {existsSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";
import {ensurePrivateDir} from "./paths.ts";

/** What a token may call: scoring, the model's summary, and switching the model. */
export const ENDPOINTS = ["score", "model", "admin"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface Client {
  name: string;
  /** hex SHA-256 of the token */
  sha256: string;
  endpoints: Endpoint[];
  /** requests a second (a burst of as many is allowed) */
  rate: number;
  added: string;
}

/** Client names: letters, digits, dot, dash and underscore (they appear in the audit log). */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

const hashOf = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** The clients in `file` (none when it does not exist); a malformed file is refused naming the problem. */
export function readClients(file: string): Client[] {
  if (!existsSync(file)) return [];
  const data = JSON.parse(readFileSync(file, "utf8")) as {clients?: Client[]};
  if (!Array.isArray(data.clients)) throw new Error(`${file} has no "clients" list: not a token file of workbench serve`);
  for (const c of data.clients)
    if (!NAME.test(c.name) || !/^[0-9a-f]{64}$/.test(c.sha256) || !(c.rate > 0) || !Array.isArray(c.endpoints))
      throw new Error(`${file}: client entry "${String(c.name).slice(0, 64)}" is malformed`);
  return data.clients;
}

function writeClients(file: string, clients: Client[]): void {
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({clients}, null, 2) + "\n", {mode: 0o600});
  renameSync(tmp, file);
}

/** Adds a client and returns its new token (shown once). A name already in use is refused. */
export function addClient(file: string, name: string, {endpoints = ["score", "model"] as Endpoint[], rate = 50} = {}): {token: string} {
  if (!NAME.test(name)) throw new Error(`client name "${name.slice(0, 64)}": use 1–64 letters, digits, ".", "-" or "_"`);
  for (const e of endpoints)
    if (!ENDPOINTS.includes(e)) throw new Error(`unknown endpoint "${String(e).slice(0, 32)}"; known: ${ENDPOINTS.join(", ")}`);
  if (!(Number.isFinite(rate) && rate > 0)) throw new Error("--rate must be a positive number of requests a second");
  const clients = readClients(file);
  if (clients.some((c) => c.name === name)) throw new Error(`a client named ${name} exists: revoke it first to issue a new token`);
  const token = `mash_${randomBytes(32).toString("base64url")}`;
  writeClients(file, [...clients, {name, sha256: hashOf(token), endpoints, rate, added: new Date().toISOString()}]);
  return {token};
}

/** Removes a client (its token stops working as soon as the server re-reads the file); false when there was none. */
export function revokeClient(file: string, name: string): boolean {
  const clients = readClients(file);
  const kept = clients.filter((c) => c.name !== name);
  if (kept.length === clients.length) return false;
  writeClients(file, kept);
  return true;
}

/** The client an Authorization header names (`Bearer <token>`), or undefined. */
export function findClient(clients: Client[], authorization: string | undefined): Client | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? "");
  if (!m) return undefined;
  const presented = Buffer.from(hashOf(m[1]), "hex");
  return clients.find((c) => timingSafeEqual(Buffer.from(c.sha256, "hex"), presented));
}

/**
 * The token file re-read when it changes (checked at most once a second), so `token add` and
 * `revoke` take effect on a running server.
 */
export function watchedClients(file: string, intervalMs = 1000): () => Client[] {
  let clients = readClients(file);
  let stamp = fileStamp(file);
  let checked = Date.now();
  return () => {
    const now = Date.now();
    if (now - checked >= intervalMs) {
      checked = now;
      const s = fileStamp(file);
      if (s !== stamp) {
        clients = readClients(file);
        stamp = s;
      }
    }
    return clients;
  };
}

function fileStamp(file: string): string {
  try {
    return hashOf(readFileSync(file, "utf8"));
  } catch {
    return "none";
  }
}
