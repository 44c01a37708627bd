/**
 * `workbench serve`: the authenticated, audited HTTP scoring service (loaders/serve/), and
 * `workbench serve token add|list|revoke`, which manage the clients' tokens.
 */
import {Command, Option} from "commander";
import {DICTIONARY} from "../paths.ts";
import {defaultTarget, loadDictionary} from "../dictionary.ts";
import {startService} from "../serve/server.ts";
import {serveDir, tokensFile} from "../serve/paths.ts";
import {openApiDocument} from "../serve/schema.ts";
import {addClient, ENDPOINTS, readClients, revokeClient, type Endpoint} from "../serve/tokens.ts";
import type {ModelChoice} from "../serve/models.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export function serveCommand(): Command {
  const serve = new Command("serve")
    .description(
      "score contacts over HTTP (POST /v1/score) with a registered model: bearer tokens per client, validation as ingest, an audit log; loopback only by default",
    )
    .addOption(new Option("--model <id>", "a registered model's id or folder").conflicts("target"))
    .option("--target <name>", "serve the newest registered model of this target (default: the project's target)")
    .option("--port <n>", "port to listen on", "8787")
    .option("--host <address>", "address to bind (anything but loopback belongs behind a TLS proxy: see docs/integration.md)", "127.0.0.1")
    .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
    .option("--dir <folder>", "where tokens.json and the audit log are (default: data/serve, or MASH_SERVE_DIR)")
    .action(async (o) => {
      const dict = loadDictionary(o.dictionary);
      const choice: ModelChoice = o.model ? {model: o.model} : {target: o.target ?? defaultTarget(dict)};
      const dir = o.dir ?? serveDir();
      if (!readClients(tokensFile(dir)).length)
        process.stderr.write(`workbench serve: no client tokens yet: add one with \`npx workbench serve token add NAME\`\n`);
      const service = await startService({dict, dictionaryPath: o.dictionary, choice, dir});
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port}: not a port number`);
      const address = await service.app.listen({host: o.host, port});
      if (!LOOPBACK.has(o.host))
        process.stderr.write(
          `workbench serve: bound to ${o.host}, not loopback: tokens and contacts travel in clear unless a TLS proxy fronts it\n`,
        );
      process.stderr.write(`workbench serve: listening on ${address} (SIGHUP reloads the model; SIGTERM stops)\n`);
      // SIGHUP: the same choice again (for --target, the registry's newest model now), swapped in without downtime.
      process.on("SIGHUP", () => {
        service.models
          .switchTo(choice)
          .then((m) => process.stderr.write(`workbench serve: now scoring with ${m.scorer.id}\n`))
          .catch((e: unknown) => process.stderr.write(`workbench serve: model not switched: ${e instanceof Error ? e.message : e}\n`));
      });
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
  serve.addCommand(tokenCommand());
  serve.addCommand(
    new Command("openapi")
      .description("print the service's OpenAPI document (docs/openapi.json is this, committed: regenerate it when the dictionary changes)")
      .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
      .action((o) => {
        process.stdout.write(JSON.stringify(openApiDocument(loadDictionary(o.dictionary)), null, 2) + "\n");
      }),
  );
  return serve;
}

function tokenCommand(): Command {
  const token = new Command("token").description("manage the clients' bearer tokens (stored as SHA-256 hashes in <dir>/tokens.json)");
  const dirOption = () => new Option("--dir <folder>", "the service's folder (default: data/serve, or MASH_SERVE_DIR)");
  token
    .command("add")
    .description("add a client and print its new token once (on stdout); only its hash is kept")
    .argument("<name>", "the client's name, as the audit log records it (letters, digits, . - _)")
    .option("--endpoints <list>", `what it may call, comma-separated: ${ENDPOINTS.join(", ")}`, "score,model")
    .option("--rate <n>", "requests a second it may make (a burst of as many is allowed)", "50")
    .addOption(dirOption())
    .action((name: string, o) => {
      const endpoints = String(o.endpoints)
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean) as Endpoint[];
      const {token: secret} = addClient(tokensFile(o.dir ?? serveDir()), name, {endpoints, rate: Number(o.rate)});
      process.stdout.write(`${secret}\n`);
      process.stderr.write(`added ${name} (${endpoints.join(", ")}; ${o.rate} a second): keep the token above, it is not stored\n`);
    });
  token
    .command("list")
    .description("list the clients: name, endpoints, rate, when added (never a token)")
    .addOption(dirOption())
    .action((o) => {
      for (const c of readClients(tokensFile(o.dir ?? serveDir())))
        process.stdout.write(`${c.name}\t${c.endpoints.join(",")}\t${c.rate}/s\t${c.added}\n`);
    });
  token
    .command("revoke")
    .description("remove a client; a running server stops accepting its token within a second")
    .argument("<name>", "the client's name")
    .addOption(dirOption())
    .action((name: string, o) => {
      if (!revokeClient(tokensFile(o.dir ?? serveDir()), name)) throw new Error(`no client named ${name.slice(0, 64)}`);
      process.stderr.write(`revoked ${name}\n`);
    });
  return token;
}
