// 10,000 requests mixing valid, malformed, identifier-bearing and unauthenticated ones: every valid
// one answered and logged, every other refused with its status, and no value of a refused request
// in any answer, in the audit log or in the service's messages.
import {afterAll, beforeAll, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {auditDir} from "../../../loaders/serve/paths.ts";
import {auditFiles, readAuditLog, type ScoreRecord} from "../../../loaders/serve/audit-log.ts";
import {drive, type RequestSpec} from "./driver.ts";
import {servedProject, startTestService, type ServedProject, type ServedScore, type TestService} from "./fixture.ts";

/** A number as lower-case letters (a made-up surname that no list holds): 0 → "a", 27 → "bb". */
const letters = (n: number): string => (n < 26 ? "" : letters(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));

let p: ServedProject;
let s: TestService;
const said: string[] = [];
beforeAll(async () => {
  p = await servedProject("serve-mix", {contacts: 2500, fresh: 800});
  s = await startTestService(p, {say: (l) => said.push(l)});
}, 120_000);
afterAll(async () => {
  await s?.close();
  p?.remove();
});

it("answers and logs every valid request and refuses every other with the right status, echoing no refused value", async () => {
  const N = 10_000;
  const secrets: string[] = [];
  const specs: (RequestSpec & {want: number})[] = [];
  const record = p.dict.roles.record;
  for (let i = 0; i < N; i++) {
    const c = p.contacts[i % p.contacts.length];
    const token = s.tokens.platform;
    // Every refused value is unique, so finding it anywhere proves a leak.
    const secret = `${(1000 + i).toString(36)}`;
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        specs.push({path: "/v1/score", token, body: i % 7 ? c : {contacts: [c, p.contacts[(i + 1) % p.contacts.length]]}, want: 200});
        break;
      case 4: // a value ingest refuses: unknown code, bad number, bad date
        secrets.push(`zq${secret}`);
        specs.push({
          path: "/v1/score",
          token,
          body: {...c, [["referral_source", "age_years", "contact_datetime"][i % 3]]: `zq${secret}`},
          want: 400,
        });
        break;
      case 5: // malformed: an unknown field, a wrong type, or not JSON at all
        secrets.push(`qz${secret}`);
        specs.push({
          path: "/v1/score",
          token,
          body:
            i % 3 === 0 ? `{"${record}": "qz${secret}"` : i % 3 === 1 ? {...c, qfield: `qz${secret}`} : {...c, age_years: [`qz${secret}`]},
          want: 400,
        });
        break;
      case 6: // a phone number or an e-mail address in a field
        secrets.push(`07700 9${String(i).padStart(5, "0")}`, `k${secret}@example.org`);
        specs.push({
          path: "/v1/score",
          token,
          body: i % 2 ? {...c, household_id: `07700 9${String(i).padStart(5, "0")}`} : {...c, child_id: `k${secret}@example.org`},
          want: 422,
        });
        break;
      case 7:
        {
          // a person's name (a first name and a made-up surname, letters only), in a batch
          const name = `Olivia Q${letters(i)}`;
          secrets.push(name);
          specs.push({path: "/v1/score", token, body: {contacts: [c, {...c, [record]: name}]}, want: 422});
          break;
        }
        break;
      default: // no token, or a wrong one
        specs.push({path: "/v1/score", token: i % 2 ? `mash_${secret}x` : undefined, body: {...c, team: `tq${secret}`}, want: 401});
        secrets.push(`tq${secret}`);
    }
  }
  const t = performance.now();
  const answers = await drive(s.port, specs, 32);
  const seconds = (performance.now() - t) / 1000;
  const wrong = answers.flatMap((a, k) => (a.status !== specs[k].want ? [`${k}: ${specs[k].want} wanted, ${a.status} sent`] : []));
  expect(wrong.slice(0, 5)).toEqual([]);
  // Every valid one answered with a band, and logged (contact, band, the model that scored it).
  await s.service.log.flushed(); // refusals are logged without holding up the answer
  const scored = answers.filter((a) => a.status === 200).flatMap((a) => JSON.parse(a.text).results as ServedScore[]);
  const logged = readAuditLog(auditDir(s.dir)).records.filter((r): r is ScoreRecord => r.kind === "score");
  expect(logged.length).toBe(scored.length);
  const count = new Map<string, number>();
  for (const l of logged) count.set(`${l.contact}|${l.band}`, (count.get(`${l.contact}|${l.band}`) ?? 0) + 1);
  for (const r of scored) count.set(`${r.id}|${r.band}`, (count.get(`${r.id}|${r.band}`) ?? 0) - 1);
  expect([...count.values()].every((n) => n === 0)).toBe(true);
  // No refused value anywhere.
  const everything = [
    ...answers.filter((a) => a.status !== 200).map((a) => a.text),
    ...auditFiles(auditDir(s.dir)).map((f) => readFileSync(join(auditDir(s.dir), f), "utf8")),
    ...said,
  ].join("\n");
  const leaked = secrets.filter((v) => everything.includes(v));
  expect(leaked).toEqual([]);
  process.stderr.write(`mix: ${N} requests in ${seconds.toFixed(1)} s; ${scored.length} contacts scored and logged\n`);
}, 120_000);
