/**
 * Prints an HTML file to PDF with the machine's Chromium (headless, its network features off,
 * a throw-away profile), and counts the PDF's pages. No library: Chromium's own --print-to-pdf.
 *
 * @example await printToPdf("board-pack.html", "board-pack.pdf"); pdfPages(readFileSync("board-pack.pdf")) // 1
 */
import {spawn} from "node:child_process";
import {existsSync, mkdtempSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {pathToFileURL} from "node:url";

/** Where Chromium is: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Chromium's switches for a print that never reaches the network or leaves a profile behind. */
function switches(profile: string, out: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-pdf-header-footer",
    `--user-data-dir=${profile}`,
    `--print-to-pdf=${out}`,
  ];
}

/** Prints `html` (a file) to `pdf`; rejects with Chromium's last lines of output when it fails. */
export async function printToPdf(html: string, pdf: string, {timeoutMs = 60_000} = {}): Promise<void> {
  const browser = chromiumPath();
  if (!existsSync(browser))
    throw new Error(`board pack: Chromium not found at ${browser} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), "board-pack-chromium-"));
  const out = resolve(pdf);
  rmSync(out, {force: true});
  try {
    await new Promise<void>((done, fail) => {
      const child = spawn(browser, [...switches(profile, out), pathToFileURL(resolve(html)).href], {stdio: ["ignore", "ignore", "pipe"]});
      let log = "";
      child.stderr.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-2000)));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", fail);
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(out) && statSync(out).size > 0) done();
        else
          fail(new Error(`board pack: Chromium could not print the PDF (exit ${code}): ${log.trim().split("\n").slice(-3).join(" | ")}`));
      });
    });
  } finally {
    rmSync(profile, {recursive: true, force: true});
  }
}

/** The number of pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
export function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
