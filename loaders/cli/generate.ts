/** `workbench generate`: writes a synthetic MASH extract (see docs/synthetic-data.md). */
import {Command, InvalidArgumentError, Option} from "commander";
import {generateExtract, type GenerateOptions} from "../synth/write.ts";
import {defaults, pilot} from "../synth/params.ts";
import {DEFAULT_PROFILE, PROFILES, type ProfileName} from "../synth/profiles.ts";
import {choosePilotTeams, teamCodes} from "../synth/pilot.ts";
import {progressBar} from "../progress.ts";
import {SAMPLE_DIR} from "../paths.ts";

const wholeNumber = (name: string, min: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got "${text}"`);
  return n;
};
const multiplier = (text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`must be a number ≥ 0 (1 as planted, 0 off), got "${text}"`);
  return n;
};
const level = (text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 10) throw new InvalidArgumentError(`must be a number from 0 (clean) to 10, got "${text}"`);
  return n;
};
/** `--pilot-teams`: "all", or team codes separated by commas (checked against the generator's teams). */
export const pilotTeamList = (text: string): string[] | "all" => {
  if (text.trim().toLowerCase() === "all") return "all";
  const teams = text.split(",").map((t) => t.trim());
  try {
    choosePilotTeams(teams, 1);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return teams;
};

/** Runs the generator with a progress bar and a one-line summary on stderr. */
export async function runGenerate(options: GenerateOptions): Promise<void> {
  const bar = progressBar("generating");
  const started = performance.now();
  const manifest = await generateExtract(options, (done, total) => bar.update(done, total));
  bar.stop();
  const c = manifest.counts;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `wrote ${options.out}: ${c.contacts} contacts (${c.rows} rows, ${c.malformed} malformed, ${c.duplicates} duplicated), ` +
      `${c.children} children, ${c.households} households in ${seconds} s\n` +
      `pilot ${manifest.parameters.pilotStart} to ${manifest.parameters.pilotEnd} in teams ${manifest.parameters.pilotTeams.join(", ")}` +
      `${manifest.parameters.pilotEffects === false ? " (its effects not planted)" : ""}\n` +
      `profile ${manifest.parameters.profile}: ingest it with --dictionary ${manifest.dictionary}\n`,
  );
}

export function generateCommand(): Command {
  return new Command("generate")
    .description("write a synthetic anonymised MASH contact extract, its ground truth and a manifest")
    .addOption(new Option("--contacts <n>", "total contacts (default: about 2,500 a month)").argParser(wholeNumber("--contacts", 1)))
    .option("--months <m>", "months covered, from --start", wholeNumber("--months", 1), defaults.months)
    .option("--start <date>", "first day (YYYY-MM-DD)", defaults.start)
    .option("--seed <s>", "random seed: the same seed gives byte-identical files", wholeNumber("--seed", 1), defaults.seed)
    .option("--out <dir>", "output folder", SAMPLE_DIR)
    .option(
      "--messiness <level>",
      "0 = clean; 1 = realistic (variants, whitespace, malformed and duplicate rows); up to 10",
      level,
      defaults.messiness,
    )
    .option("--pilot-start <date>", "first day of the pilot window", pilot.start)
    .option("--pilot-end <date>", "last day of the pilot window", pilot.end)
    .option(
      "--pilot-teams <teams>",
      `teams that run the pilot: "all" or team codes separated by commas (${teamCodes().join(", ")}); default: half the teams, chosen by --seed`,
      pilotTeamList,
    )
    .option(
      "--no-pilot-effects",
      "record the pilot's band and response but plant none of its effects (decision time, screener bias): the impact evaluation's null run",
    )
    .addOption(
      new Option("--profile <name>", "how the extract is written: suffolk (our own columns and codes) or essex (another council's export)")
        .choices(Object.keys(PROFILES))
        .default(DEFAULT_PROFILE),
    )
    .option(
      "--label-bias <multiplier>",
      "multiplier of the planted label bias (+0.5 log-odds for mixed and black children): 1 as planted, 0 off",
      multiplier,
      1,
    )
    .option("--no-label-bias", "switch the planted label bias off (the same as --label-bias 0)")
    .action(async (o) => {
      await runGenerate({
        seed: o.seed,
        start: o.start,
        months: o.months,
        contacts: o.contacts,
        messiness: o.messiness,
        pilotStart: o.pilotStart,
        pilotEnd: o.pilotEnd,
        out: o.out,
        profile: o.profile as ProfileName,
        labelBias: o.labelBias === false ? 0 : o.labelBias,
        pilotTeams: o.pilotTeams,
        pilotEffects: o.pilotEffects,
      });
    });
}
