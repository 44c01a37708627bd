/** `workbench pilot`: the pilot's daily run — score the day's contacts and append them to the pilot log. */
import {Command} from "commander";
import {join, resolve} from "node:path";
import {DICTIONARY, PROJECT} from "../paths.ts";
import {newestModel} from "../registry.ts";
import {expandExtracts} from "../extracts.ts";
import {progressBar} from "../progress.ts";
import {runPilotDay} from "../pilot/pilot.ts";
import {auditDir, ensurePrivateDir, serveDir} from "../serve/paths.ts";
import {withRefusals} from "./refusals.ts";
import {rejectsBeside} from "./score.ts";

export function pilotCommand(): Command {
  return new Command("pilot")
    .description(
      "the pilot's daily run: score the day's new contacts with a registered model (as `score` does) and append contact key, model, band and time to the pilot log (the scoring service's audit log)",
    )
    .requiredOption("--extract <path...>", "the day's extract files or folders")
    .option("--model <id>", "a registered model's id or folder (default: the newest model of --target)")
    .option("--target <name>", "the target whose newest model scores (default: workbench.yaml's target)", PROJECT.target)
    .option("--out <file>", "where to write the day's scores (default: data/pilot/<day>-<model>.csv, kept out of git)")
    .option("--log <dir>", "the pilot log's folder (default: the scoring service's audit log, data/serve/audit)")
    .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
    .option("--encoding <label>", "declared encoding of the extracts (default UTF-8)")
    .action(async (o) => {
      await withRefusals("pilot", async () => {
        const model: string = o.model ?? newestModel(o.target)?.id;
        if (!model)
          throw new Error(`pilot: no registered model of target ${o.target}: train one first (npx workbench train --target ${o.target})`);
        const day = new Date().toISOString().slice(0, 10);
        const out: string = o.out ?? join(ensurePrivateDir(resolve("data/pilot")), `${day}-${model.split(/[\\/]/).pop()}.csv`);
        const logDir: string = o.log ?? (ensurePrivateDir(serveDir()), auditDir());
        const validating = progressBar("validate");
        const scoring = progressBar("score");
        let s;
        try {
          s = await runPilotDay({
            model,
            extract: expandExtracts(o.extract.map((p: string) => resolve(p))),
            out,
            rejects: rejectsBeside(out),
            logDir,
            dictionary: o.dictionary,
            encoding: o.encoding,
            onStage: (_s, d, t) => validating.update(d, t),
            onScored: (d, t) => (validating.stop(), scoring.update(d, t)),
          });
        } finally {
          validating.stop();
          scoring.stop();
        }
        process.stderr.write(
          `pilot: scored ${s.scored} contacts with ${s.model} (${s.rejected} rejected, ${s.duplicates} duplicates) → ${out}\n` +
            `  logged ${s.logged} to ${logDir}${s.alreadyLogged ? `; ${s.alreadyLogged} already in the log for this model, not logged again` : ""}\n`,
        );
      });
    });
}
