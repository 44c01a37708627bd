/**
 * A small load driver on loopback (node:http, keep-alive): `concurrency` clients, each sending its
 * next request as soon as its last is answered, until the requests run out. Records each answer's
 * status, body and latency. Used by the service's tests and by `npm run bench -- --only serve`.
 *
 * @example const answers = await drive(port, specs, 50); percentile(answers.map((a) => a.ms), 0.99)
 */
import {Agent, request} from "node:http";

export interface RequestSpec {
  method?: "GET" | "POST";
  path: string;
  token?: string;
  /** sent as it is when a string (so malformed JSON can be sent), else as JSON */
  body?: unknown;
}

export interface Received {
  spec: RequestSpec;
  status: number;
  text: string;
  ms: number;
}

/** One request on `agent`. */
export function send(port: number, spec: RequestSpec, agent?: Agent): Promise<Received> {
  const body = spec.body === undefined ? undefined : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
  const headers: Record<string, string> = {};
  if (spec.token) headers.authorization = `Bearer ${spec.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {host: "127.0.0.1", port, method: spec.method ?? (body === undefined ? "GET" : "POST"), path: spec.path, headers, agent},
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({spec, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started}),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends every spec with `concurrency` clients at once; answers in the specs' order. */
export async function drive(port: number, specs: RequestSpec[], concurrency: number): Promise<Received[]> {
  const agent = new Agent({keepAlive: true, maxSockets: concurrency});
  const out: Received[] = new Array(specs.length);
  let next = 0;
  const client = async () => {
    while (next < specs.length) {
      const k = next++;
      out[k] = await send(port, specs[k], agent);
    }
  };
  try {
    await Promise.all(Array.from({length: Math.min(concurrency, specs.length)}, client));
  } finally {
    agent.destroy();
  }
  return out;
}

/** The q-quantile (nearest rank) of some numbers. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
