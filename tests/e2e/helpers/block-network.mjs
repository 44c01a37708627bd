// Network guard for offline builds: preload it into every Node process with
//   NODE_OPTIONS="--import=file:///…/tests/e2e/helpers/block-network.mjs"
// and any connection, DNS query, UDP datagram or fetch() to a host other than
// the loopback one fails immediately and is appended to the file named by
// NETWORK_GUARD_LOG (one line per attempt), and reported on stderr.
//
// Why: Observable Framework silently reaches for cdn.jsdelivr.net and
// registry.npmjs.org when its npm cache misses an entry. The offline build test
// runs `npm run build` with this guard (and inside `unshare --net` when
// available, which also covers non-Node programs) and fails if the log is not
// empty, even when the code that tried caught its own error.
//
// Plain JavaScript on purpose: it runs before tsx is loaded.
import {appendFileSync} from "node:fs";
import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";

const logFile = process.env.NETWORK_GUARD_LOG;

/** @param {unknown} host */
function isLoopback(host) {
  if (host === undefined || host === null || host === "") return true; // Node's default is localhost
  const h = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

/**
 * Records a blocked attempt and returns the error to hand to the caller.
 * @param {string} kind
 * @param {string} target
 */
function blocked(kind, target) {
  const line = `${kind} ${target} (pid ${process.pid}: ${process.argv.slice(1, 3).join(" ")})`;
  if (logFile) {
    try {
      appendFileSync(logFile, `${line}\n`);
    } catch {
      // the stderr line below still reports it
    }
  }
  process.stderr.write(`[network-guard] blocked ${line}\n`);
  const error = new Error(`network-guard: outbound ${kind} to ${target} blocked (this build must work offline)`);
  Object.assign(error, {code: "ENETWORKBLOCKED", hostname: target});
  return error;
}

// TCP (and TLS, HTTP, HTTPS, undici, which all end in Socket#connect).
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  /** @type {any} */
  let options = args[0];
  if (Array.isArray(options)) options = options[0]; // Node's internal normalized form
  if (typeof options === "number" || (typeof options === "string" && /^\d+$/.test(options))) {
    options = {port: options, host: typeof args[1] === "string" ? args[1] : undefined};
  } else if (typeof options === "string") {
    options = {path: options};
  }
  if (options && typeof options === "object" && !options.path && !isLoopback(options.host)) {
    const error = blocked("connect", `${options.host}:${options.port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

// DNS: callback, promise and Resolver APIs.
/** @param {string} name */
function wrapCallback(name) {
  const original = /** @type {any} */ (dns)[name];
  if (typeof original !== "function") return;
  /** @type {any} */ (dns)[name] = function (/** @type {any[]} */ ...args) {
    const host = args[0];
    if (!isLoopback(host)) {
      const error = blocked(`dns.${name}`, String(host));
      const callback = args.findLast((a) => typeof a === "function");
      if (callback) process.nextTick(() => callback(error));
      return undefined;
    }
    return original.apply(this, args);
  };
}
/** @param {string} name */
function wrapPromise(name) {
  const original = /** @type {any} */ (dns.promises)[name];
  if (typeof original !== "function") return;
  /** @type {any} */ (dns.promises)[name] = function (/** @type {any[]} */ ...args) {
    const host = args[0];
    if (!isLoopback(host)) return Promise.reject(blocked(`dns.promises.${name}`, String(host)));
    return original.apply(this, args);
  };
}
for (const name of [
  "lookup",
  "lookupService",
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCname",
  "resolveMx",
  "resolveNs",
  "resolveTxt",
  "resolveSrv",
  "resolveCaa",
  "resolveNaptr",
  "resolvePtr",
  "resolveSoa",
  "reverse",
]) {
  wrapCallback(name);
  wrapPromise(name);
}
for (const Resolver of [dns.Resolver, dns.promises.Resolver]) {
  const proto = /** @type {any} */ (Resolver.prototype);
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (!/^resolve|^reverse/.test(name) || typeof proto[name] !== "function") continue;
    const original = proto[name];
    proto[name] = function (/** @type {any[]} */ ...args) {
      const host = args[0];
      if (!isLoopback(host)) {
        const error = blocked(`dns.Resolver.${name}`, String(host));
        const callback = args.findLast((a) => typeof a === "function");
        if (callback) return void process.nextTick(() => callback(error));
        return Promise.reject(error);
      }
      return original.apply(this, args);
    };
  }
}

// UDP.
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (/** @type {any[]} */ ...args) {
  const address = args.find((a, i) => i > 0 && typeof a === "string");
  if (address !== undefined && !isLoopback(address)) {
    const error = blocked("udp", address);
    const callback = args.findLast((a) => typeof a === "function");
    if (callback) process.nextTick(() => callback(error));
    return;
  }
  return send.apply(this, args);
};

// fetch(): fails before undici starts, with the full URL in the log.
if (typeof globalThis.fetch === "function") {
  const fetch = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    let url;
    try {
      url = new URL(input instanceof Request ? input.url : String(input));
    } catch {
      return fetch(input, init);
    }
    if ((url.protocol === "http:" || url.protocol === "https:") && !isLoopback(url.hostname)) {
      return Promise.reject(new TypeError("fetch failed", {cause: blocked("fetch", url.href)}));
    }
    return fetch(input, init);
  };
}
