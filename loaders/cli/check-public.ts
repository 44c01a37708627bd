/**
 * `workbench check-public DIR`: the scan of a built public site (loaders/public/scan.ts).
 * Exit 0 when clean; exit 1 listing each finding as file, rule and a description
 * (never the value of an id).
 */
import {Command} from "commander";
import {existsSync} from "node:fs";
import {scanPublicSite} from "../public/scan.ts";
import {publicDisclosure} from "../public/settings.ts";
import {DICTIONARY, WAREHOUSE} from "../paths.ts";
import {loadDictionary} from "../dictionary.ts";

export function checkPublicCommand(): Command {
  return new Command("check-public")
    .description("scan a built public site: no warehouse id, no record-level file, no count of 1..threshold, no DuckDB-wasm")
    .argument("<dir>", "the built site, e.g. dist-public")
    .option("--threshold <n>", "smallest published count allowed is threshold + 1 (default WORKBENCH_DISCLOSURE_THRESHOLD or 5)")
    .option("--db <file>", "the warehouse whose ids are searched for", WAREHOUSE)
    .option("--dictionary <file>", "the dictionary naming the identifier columns (default: the one workbench.yaml names)", DICTIONARY)
    .action(async (dir: string, o: {threshold?: string; db: string; dictionary: string}) => {
      if (!existsSync(dir)) throw new Error(`check-public: no folder ${dir}`);
      const threshold =
        o.threshold === undefined
          ? publicDisclosure().threshold
          : publicDisclosure({WORKBENCH_DISCLOSURE_THRESHOLD: o.threshold}).threshold;
      const scan = await scanPublicSite(dir, {threshold, dbPath: o.db, dict: loadDictionary(o.dictionary)});
      for (const f of scan.findings) process.stderr.write(`check-public: ${f.rule}: ${f.file}: ${f.detail}\n`);
      if (scan.findings.length) {
        process.stderr.write(`check-public: FAILED, ${scan.findings.length} finding(s) in ${scan.files} files\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(
          `check-public: passed, ${scan.files} files checked against ${scan.ids} warehouse ids, threshold ${threshold}\n`,
        );
      }
    });
}
