/**
 * The `workbench` command. Every sub-command has --help; output files go where
 * the options say, messages go to stderr, and a failure exits non-zero with a
 * message that names the bad thing but never prints a personal value.
 */
import {Command} from "commander";
import {generateCommand} from "./cli/generate.ts";
import {prepareCommand} from "./cli/prepare.ts";
import {ingestCommand} from "./cli/ingest.ts";
import {trainCommand} from "./cli/train.ts";
import {scoreCommand} from "./cli/score.ts";
import {checkPublicCommand} from "./cli/check-public.ts";
import {serveCommand} from "./cli/serve.ts";
import {pilotCommand} from "./cli/pilot.ts";
import {boardPackCommand} from "./cli/board-pack.ts";

const program = new Command("workbench")
  .description("MASH Workbench: build, check and publish a model that supports MASH contact triage")
  .showHelpAfterError()
  .addCommand(generateCommand())
  .addCommand(ingestCommand())
  .addCommand(trainCommand())
  .addCommand(scoreCommand())
  .addCommand(prepareCommand())
  .addCommand(checkPublicCommand())
  .addCommand(serveCommand())
  .addCommand(pilotCommand())
  .addCommand(boardPackCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`workbench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
