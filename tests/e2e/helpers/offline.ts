/**
 * Runs a command with every outbound network connection blocked, to prove
 * that the build needs nothing but node_modules.
 *
 * Two layers:
 * 1. `unshare --net` (when the kernel lets us, e.g. as root with
 *    CAP_SYS_ADMIN): the command runs in a fresh network namespace that has
 *    only a loopback interface, so no program (Node or not) can reach out;
 * 2. always, a Node preload (block-network.mjs, via NODE_OPTIONS=--import)
 *    that makes non-loopback connect/DNS/UDP/fetch fail at once and logs each
 *    attempt. The log is what the tests assert on: an attempt counts even if
 *    the code that made it swallowed the error.
 *
 * Nothing here switches Observable Framework's telemetry off (it POSTs to
 * events.observablehq.com unless OBSERVABLE_TELEMETRY_DISABLE is set): the
 * project's own scripts must, so the caller's OBSERVABLE_TELEMETRY_* settings
 * are dropped and a telemetry event shows up in the log like any other
 * attempt. A bare `observable` command runs through tools/observable.mjs, the
 * launcher the npm scripts use, as the real build does.
 */
import {spawn, spawnSync} from "node:child_process";
import {createWriteStream, existsSync, mkdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

/** The project folder (holds package.json and node_modules). */
export const PROJECT_DIR = fileURLToPath(new URL("../../../", import.meta.url));
/** Where e2e runs keep logs and scratch projects (gitignored). */
export const E2E_TMP_DIR = join(PROJECT_DIR, ".tmp", "e2e");
/** The Node preload that blocks and logs outbound connections. */
export const NETWORK_GUARD = fileURLToPath(new URL("./block-network.mjs", import.meta.url));
/** The project's launcher of Framework's CLI (telemetry off); `npm run build`/`dev` use it. */
export const OBSERVABLE_LAUNCHER = join(PROJECT_DIR, "tools", "observable.mjs");
/** Framework's own CLI, without the launcher: telemetry on unless the environment says otherwise. */
export const FRAMEWORK_CLI = join(PROJECT_DIR, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");

/** The outcome of {@link runOffline}; plain data so vitest can pass it from globalSetup to tests. */
export interface OfflineRun {
  /** The command as run, for messages. */
  command: string;
  /** How the network was blocked: "unshare --net + node preload" or "node preload only (…why…)". */
  isolation: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** Outbound attempts recorded by the preload (empty when the command stayed offline). */
  blocked: string[];
  /** Combined stdout and stderr, last 6000 characters. */
  outputTail: string;
  /** The full output. */
  logFile: string;
}

/** Options of {@link runOffline}. */
export interface OfflineRunOptions {
  cwd?: string;
  /** Names the log files in .tmp/e2e. */
  label: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

let netnsProbe: {ok: boolean; reason: string} | undefined;

/** Whether `unshare --net` works here (root with CAP_SYS_ADMIN and util-linux's unshare). */
export function networkNamespaceAvailable(): {ok: boolean; reason: string} {
  if (!netnsProbe) {
    const probe = spawnSync("unshare", ["--net", "true"], {encoding: "utf-8"});
    netnsProbe =
      probe.error !== undefined
        ? {ok: false, reason: `unshare not available (${probe.error.message})`}
        : probe.status === 0
          ? {ok: true, reason: ""}
          : {ok: false, reason: `unshare --net failed: ${probe.stderr.trim() || `exit ${probe.status}`}`};
  }
  return netnsProbe;
}

/**
 * Runs `argv` with the network blocked (see module comment) and collects what
 * it tried to reach. Never throws for a failing command: the caller asserts.
 *
 * @example const run = await runOffline(["npm", "run", "build"], {label: "site-build"}); expect(run.blocked).toEqual([]);
 */
export async function runOffline(argv: readonly string[], options: OfflineRunOptions): Promise<OfflineRun> {
  const cwd = options.cwd ?? PROJECT_DIR;
  mkdirSync(E2E_TMP_DIR, {recursive: true});
  const logFile = join(E2E_TMP_DIR, `${options.label}.log`);
  const guardLog = join(E2E_TMP_DIR, `${options.label}.network.log`);
  rmSync(guardLog, {force: true});

  const env: NodeJS.ProcessEnv = {...process.env};
  // Run the build as a user would, not as a vitest worker.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "NODE_ENV") delete env[key];
  // Whether Framework's telemetry is off must not depend on the caller's shell
  // or CI: drop the switch, its debug mode (prints instead of sending) and any
  // origin that could point it at loopback, where the guard would not see it.
  for (const key of Object.keys(env)) if (key.startsWith("OBSERVABLE_TELEMETRY_") || key === "OBSERVABLE_ORIGIN") delete env[key];
  Object.assign(env, {
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import=${pathToFileURL(NETWORK_GUARD).href}`.trim(),
    NETWORK_GUARD_LOG: guardLog,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    PATH: `${join(PROJECT_DIR, "node_modules", ".bin")}:${env.PATH ?? ""}`,
    ...options.env,
  });

  // `observable …` the way the npm scripts run it (FRAMEWORK_CLI runs Framework bare).
  const resolved = argv[0] === "observable" ? [process.execPath, OBSERVABLE_LAUNCHER, ...argv.slice(1)] : argv;
  const netns = networkNamespaceAvailable();
  const [command, ...args] = netns.ok
    ? ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "offline", ...resolved]
    : resolved;
  const isolation = netns.ok ? "unshare --net + node preload" : `node preload only (${netns.reason})`;

  const start = performance.now();
  const log = createWriteStream(logFile);
  log.write(`$ ${argv.join(" ")}   [cwd ${cwd}; ${isolation}]\n`);
  let tail = "";
  const child = spawn(command, args, {cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true});
  const collect = (chunk: Buffer): void => {
    log.write(chunk);
    tail = (tail + chunk.toString("utf-8")).slice(-6000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL"); // the group we started
    },
    options.timeoutMs ?? 15 * 60_000,
  );
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolveExit) => {
    child.once("error", (error) => {
      collect(Buffer.from(`\n${error.message}\n`));
      resolveExit([null, null]);
    });
    child.once("close", (code, sig) => resolveExit([code, sig]));
  });
  clearTimeout(timer);
  await new Promise<void>((resolveEnd) => log.end(resolveEnd));
  const blocked = existsSync(guardLog)
    ? readFileSync(guardLog, "utf-8")
        .split("\n")
        .filter((line) => line.trim() !== "")
    : [];
  return {
    command: argv.join(" "),
    isolation,
    exitCode,
    signal,
    timedOut,
    durationMs: Math.round(performance.now() - start),
    blocked,
    outputTail: tail,
    logFile,
  };
}

/** A one-paragraph description of a run, for assertion messages. */
export function describeRun(run: OfflineRun): string {
  return [
    `\`${run.command}\` exited with ${run.timedOut ? "a timeout" : run.signal ? `signal ${run.signal}` : `code ${run.exitCode}`} after ${(run.durationMs / 1000).toFixed(1)} s [${run.isolation}]`,
    run.blocked.length ? `blocked outbound attempts:\n  ${run.blocked.join("\n  ")}` : "no outbound attempts",
    `full log: ${run.logFile}`,
    `last output:\n${run.outputTail}`,
  ].join("\n");
}
