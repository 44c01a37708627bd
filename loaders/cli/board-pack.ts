/** `workbench board-pack`: the printable board pack (HTML and PDF) from the Impact page's data. */
import {Command} from "commander";
import {resolve} from "node:path";
import {loadDictionary} from "../dictionary.ts";
import {computeImpact} from "../pages/impact.ts";
import {warehouseIsSynthetic} from "../public/provenance.ts";
import {identifierVariables, warehouseIds} from "../public/scan.ts";
import {publicDisclosure} from "../public/settings.ts";
import {BoardPackRefused, buildBoardPack} from "../board-pack/build.ts";
import {boardFigures} from "../board-pack/figures.ts";
import {withRefusals} from "./refusals.ts";

export function boardPackCommand(): Command {
  return new Command("board-pack")
    .description(
      "the board pack for the MASH strategic board: the pilot's headline estimates with their intervals and the safety check, in plain English, on at most two A4 pages (HTML and a PDF printed by Chromium), through the public site's disclosure control and scan",
    )
    .option("--out <dir>", "where to write board-pack.html and board-pack.pdf", "dist-board")
    .action(async (o: {out: string}) => {
      await withRefusals("board-pack", async () => {
        const dict = loadDictionary();
        const impact = await computeImpact(dict);
        if (!impact.available) throw new Error(`board-pack: the impact evaluation needs ${impact.needs.join(", ")}: ${impact.reason}`);
        const {threshold} = publicDisclosure();
        const figures = boardFigures(impact, {synthetic: await warehouseIsSynthetic(), computedOn: new Date().toISOString().slice(0, 10)});
        try {
          const built = await buildBoardPack(figures, {
            dir: resolve(o.out),
            threshold,
            ids: await warehouseIds(dict),
            idNames: new Set(identifierVariables(dict).map((v) => v.name)),
          });
          process.stderr.write(`board-pack: ${built.pages} page(s), scan passed (threshold ${threshold}) → ${built.pdf}\n`);
        } catch (e) {
          if (e instanceof BoardPackRefused) for (const f of e.findings) process.stderr.write(`board-pack: ${f.rule}: ${f.detail}\n`);
          throw e;
        }
      });
    });
}
