// Child process of the benchmark: the scoring service (`workbench serve`, its own process) on
// loopback with a small trained model, driven from this process: a day's contacts (200) in one
// batch request, then single-contact requests from 50 concurrent clients. Checks that every answer
// equals `workbench score` on the same rows, and reports (JSON) the batch's milliseconds, the
// single requests' p50/p99 and requests a second.
import {spawn} from "node:child_process";
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {scoreExtract} from "../../loaders/score/score.ts";
import {addClient} from "../../loaders/serve/tokens.ts";
import {tokensFile} from "../../loaders/serve/paths.ts";
import {drive, percentile, send} from "../loaders/serve/driver.ts";
import {csvScores, scoreFields, servedProject, type ServedScore} from "../loaders/serve/fixture.ts";

const singles = Number(process.argv[2] ?? 3000);
const p = await servedProject("bench-serve");
const server = spawn(
  process.execPath,
  ["--import", "tsx", "loaders/cli.ts", "serve", "--model", join(p.modelsDir, p.models[0]), "--port", "0", "--dir", join(p.dir, "serve")],
  {stdio: ["ignore", "ignore", "pipe"]},
);
try {
  const token = addClient(tokensFile(join(p.dir, "serve")), "bench", {rate: 1e6}).token;
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    server.stderr!.on("data", (c: Buffer) => {
      text += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    server.on("exit", (code) => reject(new Error(`the server stopped (exit ${code}): ${text}`)));
  });
  // What `workbench score` says of the same rows: the first 200 (the batch), and the whole extract.
  const lines = readFileSync(p.newCsv, "utf8").trimEnd().split("\n");
  const day = join(p.dir, "day.csv");
  writeFileSync(day, lines.slice(0, 201).join("\n") + "\n");
  const expected = async (file: string) => {
    const out = join(p.dir, `scores-${Math.random().toString(36).slice(2)}.csv`);
    await scoreExtract({model: join(p.modelsDir, p.models[0]), extract: [file], out});
    return csvScores(out);
  };
  const same = (want: Map<string, string>, r: ServedScore) => want.get(r.id) === scoreFields(r);
  const dayScores = await expected(day);
  const batch = {path: "/v1/score", token, body: {contacts: p.contacts.slice(0, 200)}};
  for (let i = 0; i < 3; i++) await send(port, batch); // warm-up
  const batchMs: number[] = [];
  let batchSame = true;
  for (let i = 0; i < 10; i++) {
    const a = await send(port, batch);
    batchMs.push(a.ms);
    const results = JSON.parse(a.text).results as ServedScore[];
    batchSame &&= a.status === 200 && results.length === 200 && results.every((r) => same(dayScores, r));
  }
  // Singles: contacts whose child and household appear once in the extract, so a row alone has the
  // history it has in the whole extract, and `workbench score` on the extract is the reference.
  const count = (k: string) => {
    const m = new Map<string, number>();
    for (const c of p.contacts) m.set(String(c[k]), (m.get(String(c[k])) ?? 0) + 1);
    return m;
  };
  const {person, group} = p.dict.roles;
  const persons = count(person!),
    groups = count(group!);
  const alone = p.contacts.filter((c) => persons.get(String(c[person!])) === 1 && groups.get(String(c[group!])) === 1);
  const allScores = await expected(p.newCsv);
  const specs = Array.from({length: singles}, (_, i) => ({path: "/v1/score", token, body: alone[i % alone.length]}));
  await drive(port, specs.slice(0, 300), 50); // warm-up
  // One client at a time: how the platform calls it at a MASH's pace (about 200 contacts a day).
  const oneAtATime = (await drive(port, specs.slice(0, 300), 1)).map((a) => a.ms);
  const t = performance.now();
  const answers = await drive(port, specs, 50);
  const seconds = (performance.now() - t) / 1000;
  const singlesSame = answers.every((a) => a.status === 200 && same(allScores, JSON.parse(a.text).results[0]));
  const ms = answers.map((a) => a.ms);
  process.stdout.write(
    JSON.stringify({
      batchMs: percentile(batchMs, 0.5),
      batchSame,
      singles: answers.length,
      distinctSingles: alone.length,
      p50one: percentile(oneAtATime, 0.5),
      p99one: percentile(oneAtATime, 0.99),
      p50: percentile(ms, 0.5),
      p99: percentile(ms, 0.99),
      rps: answers.length / seconds,
      singlesSame,
    }),
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  p.remove();
}
