/**
 * Download buttons under a chart or table: the CSV of exactly the rows it draws, and for a
 * chart its SVG and a PNG at twice its size. The element is looked at when a button is
 * pressed, so a chart redrawn on resize downloads as it stands. Public pages pass only the
 * disclosure-controlled rows they draw.
 *
 * @example Downloadable(resize((width) => RocCurves(rows, {width})), {name: "roc-curves", rows})
 */
import {rowsToCsv} from "../lib/csv.js";

export interface DownloadOptions {
  /** the file name without extension */
  name: string;
  /** the rows drawn (for the CSV); none: no CSV button */
  rows?: readonly Record<string, unknown>[];
  /** CSV columns, in order (default: the first row's keys) */
  columns?: readonly string[];
}

function save(blob: Blob, file: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The chart's own SVG (the last one: the first are legend swatches), as standalone SVG text. */
export function svgText(root: Element): string | null {
  const svg = [...root.querySelectorAll("svg")].pop();
  if (!svg) return null;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  // Plot styles the chart through a <style> inside it and currentColor; a standalone file needs a colour.
  if (!copy.getAttribute("color")) copy.setAttribute("color", getComputedStyle(svg).color || "black");
  return new XMLSerializer().serializeToString(copy);
}

async function png(text: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width * 2;
  canvas.height = height * 2;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
}

export function Downloadable(content: Element, {name, rows, columns}: DownloadOptions): HTMLDivElement {
  const root = document.createElement("div");
  root.className = "downloadable";
  const bar = document.createElement("div");
  bar.className = "downloads";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", `Download ${name.replace(/-/g, " ")}`);
  bar.append("Download: ");
  const button = (label: string, title: string, act: () => void | Promise<void>) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.dataset.download = label.toLowerCase();
    b.addEventListener("click", () => void act());
    bar.append(b, " ");
  };
  if (rows) button("CSV", "the data drawn, as CSV", () => save(new Blob([rowsToCsv(rows, columns)], {type: "text/csv"}), `${name}.csv`));
  const isChart = () => content.querySelector("svg") !== null;
  button("SVG", "the chart as an SVG image", () => {
    const text = svgText(content);
    if (text) save(new Blob([text], {type: "image/svg+xml"}), `${name}.svg`);
  });
  button("PNG", "the chart as a PNG image", async () => {
    const svg = [...content.querySelectorAll("svg")].pop();
    const text = svgText(content);
    if (!svg || !text) return;
    const {width, height} = svg.getBoundingClientRect();
    save(await png(text, Math.max(1, width), Math.max(1, height)), `${name}.png`);
  });
  // A table (no SVG) offers its CSV only.
  const sync = () => {
    for (const b of bar.querySelectorAll<HTMLButtonElement>("button[data-download=svg], button[data-download=png]")) b.hidden = !isChart();
  };
  sync();
  new MutationObserver(sync).observe(content, {childList: true, subtree: true});
  root.append(content, bar);
  return root;
}
