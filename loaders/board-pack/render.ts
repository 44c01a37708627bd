/**
 * The board pack: one printable A4 page (two at most) for the MASH strategic board, in plain
 * English. Each headline states the pre-registered comparison, then the estimate with its 95%
 * interval and n, then what it means, and whether it holds after the Holm correction. Counts
 * pass the public site's disclosure control (1..threshold shows as "c") and carry `data-count`,
 * so the public scan checks the file. The HTML is self-contained: no script, no font, no link out.
 *
 * @example renderBoardPack(figures, {threshold: 5}) // "<!doctype html>…"
 */
import {escapeHtml} from "../../src/components/public-table.ts";
import {suppressCount} from "../../src/lib/disclosure.ts";
import type {Result} from "../../src/lib/impact/result.ts";

/** How a headline's value reads: a ratio (1 = no change), a difference in percentage points, or a share. */
export type HeadlineKind = "ratio" | "points";

/** One answer to a board question. */
export interface BoardHeadline {
  /** the board's question, e.g. "Are decisions quicker?" */
  question: string;
  /** the comparison fixed before the figures, in a sentence */
  comparison: string;
  result: Result;
  kind: HeadlineKind;
  /** what a value below / above "no change" means, e.g. ["less time to a decision", "more time to a decision"] */
  meaning: [string, string];
  /** whether the claim holds at 5% after Holm's correction for the page's several claims */
  claimed: boolean;
}

/** Everything the board pack shows: aggregates only. */
export interface BoardPackFigures {
  /** the pilot's window and how many teams ran it */
  pilot: {start: string; end: string; teams: number; otherTeams: number};
  /** the registered model the pilot used */
  modelId: string;
  /** true while the figures come from the synthetic extract */
  synthetic: boolean;
  /** the day the figures were computed */
  computedOn: string;
  headlines: BoardHeadline[];
  /** counts the reader needs for scale, e.g. contacts in pilot teams during the pilot */
  counts: {label: string; n: number}[];
}

const pct = (x: number) => `${Math.abs(100 * x).toFixed(0)}%`;
const pts = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} points`;

/** A headline's estimate in plain words: "24% less time to a decision (95% interval 18% to 30% less; …)". */
export function plainEstimate(h: BoardHeadline, threshold: number): string {
  const r = h.result;
  const n = count(r.n, threshold);
  if (r.status === "too few") return `Too few to tell yet: ${escapeHtml(r.reason)} (n = ${n} ${escapeHtml(r.unit)}).`;
  const [below, above] = h.meaning;
  if (h.kind === "ratio") {
    const side = (x: number) => (x < 1 ? `${pct(1 - x)} ${below.split(" ")[0]}` : `${pct(x - 1)} ${above.split(" ")[0]}`);
    const word = r.value < 1 ? below : above;
    return `${pct(Math.abs(1 - r.value))} ${escapeHtml(word)} (95% interval from ${escapeHtml(side(r.lo))} to ${escapeHtml(side(r.hi))}; n = ${n} ${escapeHtml(r.unit)}).`;
  }
  return `${pts(r.value)}, ${escapeHtml(r.value < 0 ? below : above)} (95% interval ${pts(r.lo)} to ${pts(r.hi)}; n = ${n} ${escapeHtml(r.unit)}).`;
}

/** A count as published: "c" for 1..threshold, marked for the scan. */
function count(n: number, threshold: number): string {
  const v = suppressCount(Math.round(n), {threshold});
  return `<span data-count>${v === "c" ? "c" : v.toLocaleString("en-GB")}</span>`;
}

function verdict(h: BoardHeadline): string {
  if (h.result.status === "too few") return "Not yet answerable.";
  return h.claimed
    ? "A change the data support (it holds after allowing for the several questions asked)."
    : "No change the data can confirm: the interval includes no change, or the result does not hold once the several questions asked are allowed for.";
}

const STYLE = `
@page { size: A4; margin: 14mm 15mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 4mm 0 1mm; }
p { margin: 0 0 1.5mm; }
.synthetic { border: 1.5px solid #8a4b00; color: #5c3200; padding: 1.5mm 3mm; margin: 0 0 3mm; font-weight: 600; }
.meta { color: #333; font-size: 9pt; }
.headline { break-inside: avoid; border-top: 1px solid #bbb; padding-top: 1.5mm; }
.comparison { color: #333; font-size: 9.5pt; }
.estimate { font-weight: 600; }
.method { color: #444; font-size: 8.5pt; }
.recommendation { border: 1px solid #555; padding: 2mm 3mm; margin-top: 3mm; break-inside: avoid; }
.line { border-bottom: 1px solid #777; height: 6mm; }
table { border-collapse: collapse; font-size: 9.5pt; }
td, th { padding: 0.5mm 3mm 0.5mm 0; text-align: left; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
`;

/** The board pack as one HTML document. */
export function renderBoardPack(f: BoardPackFigures, {threshold}: {threshold: number}): string {
  const headlines = f.headlines
    .map(
      (h) => `<section class="headline">
<h2>${escapeHtml(h.question)}</h2>
<p class="comparison">What we compared (fixed before looking): ${escapeHtml(h.comparison.replace(/^Pre-registered:\s*/i, ""))}</p>
<p class="estimate">${plainEstimate(h, threshold)}</p>
<p>${verdict(h)}</p>
<p class="method">How: ${escapeHtml(h.result.method)}</p>
</section>`,
    )
    .join("\n");
  const counts = f.counts.map((c) => `<tr><th scope="row">${escapeHtml(c.label)}</th><td>${count(c.n, threshold)}</td></tr>`).join("");
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Model pilot: impact evaluation for the MASH strategic board</title><style>${STYLE}</style></head>
<body>
${f.synthetic ? `<p class="synthetic">Synthetic data: every figure here comes from generated test data, not from real contacts.</p>` : ""}
<h1>Model pilot: what changed, for the MASH strategic board</h1>
<p class="meta">Pilot ${escapeHtml(f.pilot.start)} to ${escapeHtml(f.pilot.end)} in ${f.pilot.teams} of ${f.pilot.teams + f.pilot.otherTeams} teams; model ${escapeHtml(f.modelId)}; figures computed ${escapeHtml(f.computedOn)}. The model supports screeners' judgement and never overrides it. Every figure is an aggregate; counts of 1 to ${threshold} show as "c".</p>
<table>${counts}</table>
${headlines}
<section class="recommendation">
<h2>Recommendation (to be completed by the MASH manager)</h2>
<p>Having read the figures above, we recommend that the board: ☐ keeps the model in the pilot teams ☐ extends it to every team ☐ stops it ☐ extends the pilot to collect more evidence, because:</p>
<div class="line"></div><div class="line"></div>
<p class="meta">A result marked "no change the data can confirm" is not proof of no change: the pilot may be too short or too small to show one.</p>
</section>
</body>
</html>
`;
}
