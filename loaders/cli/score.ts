/** `workbench score`: a registered model applied to new contacts, validated exactly as ingest does. */
import {DICTIONARY} from "../paths.ts";
import {Command} from "commander";
import {withRefusals} from "./refusals.ts";
import {resolve} from "node:path";
import {scoreExtract} from "../score/score.ts";
import {expandExtracts} from "../extracts.ts";
import {progressBar} from "../progress.ts";

export function scoreCommand(): Command {
  return new Command("score")
    .description("score new contacts with a registered model: probability, 1–20 band and top contributing factors per contact")
    .requiredOption("--model <dir>", "a model folder, e.g. models/<id>, or its id")
    .requiredOption("--extract <path...>", "extract files or folders")
    .requiredOption(
      "--out <file>",
      "where to write the scores (CSV; a text cell starting with = + - @ tab or CR, such as an id, gets a leading ' against spreadsheet formulas)",
    )
    .option(
      "--rejects <file>",
      "where to write the rows not scored: file, row, column, rule, detail, no values (default: beside --out, <name>.rejects.csv)",
    )
    .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
    .option("--encoding <label>", "declared encoding of the extracts (default UTF-8)")
    .action(async (o) => {
      await withRefusals("score", async () => {
        // Two bars: validation (ingest's stages), then the contacts scored.
        const validating = progressBar("validate");
        const scoring = progressBar("score");
        const rejects: string = o.rejects ?? rejectsBeside(o.out);
        let s;
        let stages = 1;
        try {
          s = await scoreExtract({
            model: o.model,
            extract: expandExtracts(o.extract.map((p: string) => resolve(p))),
            out: o.out,
            rejects,
            dictionary: o.dictionary,
            encoding: o.encoding,
            onStage: (_s, d, t) => validating.update(d, (stages = t)),
            onScored: (d, t) => {
              validating.update(stages, stages); // validated: the rest of ingest's stages are not scoring's
              validating.stop();
              scoring.update(d, t);
            },
          });
        } finally {
          validating.stop();
          scoring.stop();
        }
        process.stderr.write(
          `scored ${s.scored} contacts (${s.read} rows read, ${s.rejected} rejected, ${s.duplicates} duplicates) in ${s.seconds.toFixed(1)} s → ${o.out}\n`,
        );
        const rules = Object.entries(s.rejectedByRule)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ");
        process.stderr.write(`  ${s.rejected} row${s.rejected === 1 ? "" : "s"} not scored${rules ? ` (${rules})` : ""} → ${rejects}\n`);
        const st = s.stages;
        process.stderr.write(
          `  validation ${s.validationSeconds.toFixed(1)} s; then reading ${st.read.toFixed(1)} s, scoring and factors ${st.score.toFixed(1)} s, writing ${st.write.toFixed(1)} s\n`,
        );
      });
    });
}

/** The default rejects file: scores.csv → scores.rejects.csv (any other name gets .rejects.csv added). */
export const rejectsBeside = (out: string): string => out.replace(/\.csv$/i, "") + ".rejects.csv";
