/** `workbench score`: a registered model applied to new contacts, validated exactly as ingest does. */
import {Command} from "commander";
import {resolve} from "node:path";
import {scoreExtract} from "../score/score.ts";
import {IdentifierRefusal} from "../ingest/ingest.ts";
import {RefusedFile} from "../ingest/encoding.ts";
import {expandExtracts} from "./ingest.ts";

export function scoreCommand(): Command {
  return new Command("score")
    .description("score new contacts with a registered model: probability, 1–20 band and top contributing factors per contact")
    .requiredOption("--model <dir>", "a model folder, e.g. models/<id>")
    .requiredOption("--extract <path...>", "extract files or folders")
    .requiredOption("--out <file>", "where to write the scores (CSV)")
    .option("--dictionary <file>", "the variable dictionary", "data/dictionary.yaml")
    .option("--encoding <label>", "declared encoding of the extracts (default UTF-8)")
    .action(async (o) => {
      try {
        const s = await scoreExtract({model: o.model, extract: expandExtracts(o.extract.map((p: string) => resolve(p))), out: o.out, dictionary: o.dictionary, encoding: o.encoding});
        process.stderr.write(`scored ${s.scored} contacts (${s.read} rows read, ${s.rejected} rejected, ${s.duplicates} duplicates) in ${s.seconds.toFixed(1)} s → ${o.out}\n`);
      } catch (error) {
        if (error instanceof IdentifierRefusal) {
          process.stderr.write(`workbench score: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        if (error instanceof RefusedFile) {
          process.stderr.write(`workbench score: refused ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
