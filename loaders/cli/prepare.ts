/** `workbench prepare`: what `npm run dev` and `npm run build` need first: the sample, generated once. */
import {Command} from "commander";
import {existsSync} from "node:fs";
import {join} from "node:path";
import {runGenerate} from "./generate.ts";
import {defaults, pilot} from "../synth/params.ts";
import {SAMPLE_DIR} from "../paths.ts";

export async function prepare(): Promise<void> {
  if (!existsSync(join(SAMPLE_DIR, "manifest.json"))) {
    process.stderr.write("first run: generating the synthetic sample in data/sample …\n");
    await runGenerate({...defaults, pilotStart: pilot.start, pilotEnd: pilot.end, out: SAMPLE_DIR});
  }
}

export function prepareCommand(): Command {
  return new Command("prepare")
    .description("make sure the sample extract exists (generated on first run) before dev or build")
    .action(prepare);
}
