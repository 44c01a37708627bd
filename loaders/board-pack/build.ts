/**
 * Builds the board pack into a folder: board-pack.html (print stylesheet, A4) and board-pack.pdf
 * printed from it by Chromium; refuses, removing both, when the PDF runs past two pages or the
 * public scan (loaders/public/scan.ts: no warehouse id, no count of 1..threshold) finds anything.
 *
 * @example await buildBoardPack(figures, {dir: "dist-board", threshold: 5, ids})
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {scanSite, type Finding} from "../public/scan.ts";
import {pdfPages, printToPdf} from "./pdf.ts";
import {renderBoardPack, type BoardPackFigures} from "./render.ts";

/** The most pages a board pack may run to. */
export const MAX_PAGES = 2;

export interface BoardPackBuild {
  html: string;
  pdf: string;
  pages: number;
}

export class BoardPackRefused extends Error {
  constructor(
    message: string,
    readonly findings: Finding[] = [],
  ) {
    super(message);
  }
}

export async function buildBoardPack(
  figures: BoardPackFigures,
  {dir, threshold, ids, idNames}: {dir: string; threshold: number; ids: Set<string>; idNames?: Set<string>},
): Promise<BoardPackBuild> {
  mkdirSync(dir, {recursive: true});
  const html = join(dir, "board-pack.html");
  const pdf = join(dir, "board-pack.pdf");
  const remove = () => [html, pdf].forEach((f) => rmSync(f, {force: true}));
  writeFileSync(html, renderBoardPack(figures, {threshold}));
  const findings = scanSite(dir, {ids, idNames, threshold}).filter((f) => f.file === "board-pack.html");
  if (findings.length) {
    remove();
    throw new BoardPackRefused(`board pack: the scan found ${findings.length} problem(s); nothing written`, findings);
  }
  await printToPdf(html, pdf);
  const pages = pdfPages(readFileSync(pdf));
  if (pages > MAX_PAGES) {
    remove();
    throw new BoardPackRefused(`board pack: ${pages} pages, more than ${MAX_PAGES}; nothing written`);
  }
  return {html, pdf, pages};
}
