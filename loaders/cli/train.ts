/** `workbench train`: trains a model on the warehouse and registers it in models/<id>/. */
import {Command, Option} from "commander";
import {readFileSync} from "node:fs";
import {parse} from "yaml";
import {DEFAULT_CONFIG, train, type SplitReport, type TrainConfig} from "../train/train.ts";
import {progressBar} from "../progress.ts";
import {DICTIONARY, PROJECT} from "../paths.ts";

/** The default config with a file's settings on top (YAML or JSON; mlp merges key by key; target and split default to the dictionary's). */
export function readConfig(path?: string): TrainConfig {
  // The project's model type is the default; --config and --model override it.
  const defaults: TrainConfig = {...structuredClone(DEFAULT_CONFIG), model: PROJECT.model};
  if (!path) return defaults;
  const file = parse(readFileSync(path, "utf8")) ?? {};
  if (typeof file !== "object") throw new Error(`${path}: expected a mapping of settings`);
  const known = new Set([...Object.keys(DEFAULT_CONFIG), "target", "split"]);
  for (const k of Object.keys(file)) if (!known.has(k)) throw new Error(`${path}: unknown setting "${k}"; known: ${[...known].join(", ")}`);
  return {
    ...defaults,
    ...file,
    mlp: {...defaults.mlp, ...(file.mlp ?? {})},
    ...(file.split ? {split: {...file.split}} : {}),
  };
}

/**
 * The split a model was trained with, in two lines: where it came from and why, then each
 * period's days and contacts (and those left out).
 *
 * @example splitLine(result.split) // "split (derived): …\n  training contacts to 2015-07-01 (n = 13,880), …\n"
 */
export function splitLine(s: SplitReport): string {
  const n = (k: string) => (s.counts[k] ?? 0).toLocaleString("en-GB");
  const p = s.periods;
  const window = s.plan.followUpDays
    ? `; ${n("censoredAtBoundary")} whose ${s.plan.followUpDays}-day follow-up reaches the next period`
    : "";
  return (
    `split (${s.source}): ${s.why}\n` +
    `  training contacts to ${p.train.to} (n = ${n("train")}), validation ${p.valid.from} to ${p.valid.to} (n = ${n("valid")}), ` +
    `test ${p.test.from} to ${p.test.to} (n = ${n("test")})${s.plan.pilotFrom ? `, pilot ${s.plan.pilotFrom} to ${s.plan.pilotTo} (n = ${n("pilot")})` : ""}; ` +
    `left out: ${n("excludedSeenChild")} of a child seen in an earlier period${window}, ${n("unlabelled")} without a label\n`
  );
}

export function trainCommand(): Command {
  return new Command("train")
    .description("train a model on the warehouse and write models/<id>/ (model.json, weights.bin, features.json, metrics.json, card.json)")
    .option("--config <file>", "YAML or JSON settings on top of the defaults")
    .option(
      "--target <name>",
      "what to predict: a target the dictionary defines (default: the project's, else the dictionary's default_target)",
    )
    .option("--dictionary <file>", "the variable dictionary (default: the one workbench.yaml names)", DICTIONARY)
    .addOption(new Option("--model <type>", "logistic or mlp (default: the project's, workbench.yaml)").choices(["logistic", "mlp"]))
    .option("--models <dir>", "the registry folder", "models")
    .option("--db <file>", "the warehouse (default data/processed/warehouse.duckdb)")
    .action(async (o) => {
      const config = readConfig(o.config);
      if (o.target) config.target = o.target;
      if (o.model) config.model = o.model;
      const bar = progressBar(`train ${config.model}`);
      const r = await train(config, {modelsDir: o.models, db: o.db, dictionary: o.dictionary, onProgress: (_w, d, t) => bar.update(d, t)});
      bar.stop();
      const m = r.metrics as {
        test: {auc: {value: number; lo: number; hi: number; n: number}};
        baselines: {oneVariable?: {auc: {value: number}; label: string}};
        split: {excludedDataErrors: number};
      };
      if (m.split.excludedDataErrors)
        process.stderr.write(
          `left out ${m.split.excludedDataErrors} contact${m.split.excludedDataErrors === 1 ? "" : "s"} marked as data errors in review files\n`,
        );
      process.stderr.write(splitLine(r.split));
      const a = m.test.auc;
      const one = m.baselines.oneVariable;
      process.stderr.write(
        `${r.id}: test AUC ${a.value.toFixed(3)} (95% CI ${a.lo.toFixed(3)}–${a.hi.toFixed(3)}, n = ${a.n}); ` +
          `${one ? `baseline on ${one.label} alone ${one.auc.value.toFixed(3)}; ` : ""}${r.seconds.toFixed(1)} s → ${r.dir}\n`,
      );
    });
}
