// `kill -9` of the service mid-load: its audit log still parses line by line, and every answer a
// client received is in it (answers are released only after their lines are fsynced).
import {afterAll, beforeAll, expect, it} from "vitest";
import {spawn, type ChildProcess} from "node:child_process";
import {join} from "node:path";
import {readAuditLog, type ScoreRecord} from "../../../loaders/serve/audit-log.ts";
import {auditDir, tokensFile} from "../../../loaders/serve/paths.ts";
import {addClient} from "../../../loaders/serve/tokens.ts";
import {send, type Received} from "./driver.ts";
import {servedProject, type ServedProject, type ServedScore} from "./fixture.ts";

let p: ServedProject;
let server: ChildProcess | undefined;
beforeAll(async () => {
  p = await servedProject("serve-crash", {contacts: 2500, fresh: 600});
}, 120_000);
afterAll(() => {
  server?.kill("SIGKILL");
  p?.remove();
});

/** Starts `workbench serve` as its own process (node, not npx: the pid is the server's) and waits for its port. */
function startServer(dir: string): Promise<{child: ChildProcess; port: number}> {
  const model = join(p.modelsDir, p.models[0]);
  const child = spawn(process.execPath, ["--import", "tsx", "loaders/cli.ts", "serve", "--model", model, "--port", "0", "--dir", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let text = "";
    child.stderr!.on("data", (c: Buffer) => {
      text += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) resolve({child, port: Number(m[1])});
    });
    child.on("exit", (code) => reject(new Error(`the server stopped (exit ${code}): ${text}`)));
  });
}

it("keeps every answered contact in a log that parses line by line after kill -9 mid-load", async () => {
  const dir = join(p.dir, "serve");
  const {token} = addClient(tokensFile(dir), "platform", {rate: 1e6});
  const started = await startServer(dir);
  server = started.child;
  const received: Received[] = [];
  let stop = false;
  // 20 clients sending single contacts and batches of 5 until the server dies under them.
  const client = async (k: number) => {
    for (let i = k; !stop; i += 20) {
      const body = i % 3 ? p.contacts[i % p.contacts.length] : {contacts: p.contacts.slice(i % 500, (i % 500) + 5)};
      try {
        received.push(await send(started.port, {path: "/v1/score", token, body}));
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const clients = Array.from({length: 20}, (_, k) => client(k));
  await new Promise((r) => setTimeout(r, 1500));
  server.kill("SIGKILL");
  stop = true;
  await Promise.all(clients);
  const answered = received.filter((a) => a.status === 200).flatMap((a) => JSON.parse(a.text).results as ServedScore[]);
  expect(answered.length).toBeGreaterThan(50);
  const {records, torn} = readAuditLog(auditDir(dir));
  expect(torn).toBeLessThanOrEqual(1);
  const logged = new Set(records.filter((r): r is ScoreRecord => r.kind === "score").map((r) => `${r.contact}|${r.band}`));
  const missing = answered.filter((r) => !logged.has(`${r.id}|${r.band}`));
  expect(missing).toEqual([]);
  // The log is appended to again after the crash, with nothing earlier lost.
  const again = await startServer(dir);
  server = again.child;
  expect((await send(again.port, {path: "/v1/score", token, body: p.contacts[7]})).status).toBe(200);
  server.kill("SIGKILL");
  const after = readAuditLog(auditDir(dir));
  expect(after.records.length).toBeGreaterThan(records.length);
  expect(after.records.slice(0, records.length)).toEqual(records);
}, 60_000);
