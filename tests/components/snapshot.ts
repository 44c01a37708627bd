// Shared by the component snapshot tests (after Plot's test/plots and its snapshot
// cleaner): a rendered chart or panel becomes stable text, compared with a committed
// file under __snapshots__ (`await expect(clean(el)).toMatchFileSnapshot(...)`).

/**
 * The element's HTML with what varies between runs taken out: numbers rounded to
 * 0.1 (px), Plot's class hash dropped, Plot's counter-based ids (clip paths,
 * markers, patterns) renumbered from 1 within this element (so a snapshot does not
 * depend on which charts were drawn before it), one tag per line for readable diffs.
 * @example await expect(clean(RocCurves(rows, {width: 400}))).toMatchFileSnapshot("__snapshots__/roc-curves.svg.html")
 */
export function clean(el: Element): string {
  const ids = new Map<string, string>();
  const counts = new Map<string, number>();
  return el.outerHTML
    .replace(/(\d+\.\d+)/g, (m) => String(Math.round(Number(m) * 10) / 10))
    .replace(/plot-[0-9a-f]{6}/g, "plot")
    .replace(/plot-(clip|marker|pattern)-\d+/g, (m, kind: string) => {
      if (!ids.has(m)) {
        const k = (counts.get(kind) ?? 0) + 1;
        counts.set(kind, k);
        ids.set(m, `plot-${kind}-${k}`);
      }
      return ids.get(m)!;
    })
    .replace(/></g, ">\n<");
}

/** What an `html` template (htl) returned, checked to be one element: htl types it as a Node or null. */
export function asElement(node: Node | null): Element {
  if (!node || node.nodeType !== 1) throw new Error(`expected an element, got ${node === null ? "null" : node.nodeName}`);
  return node as Element;
}

/** The chart's own SVG: the element itself, or the last svg in a figure (the first ones are legend swatches). */
export function plotSvg(el: Element): SVGSVGElement {
  const svg = el.tagName.toLowerCase() === "svg" ? el : [...el.querySelectorAll("svg")].pop();
  if (!svg) throw new Error(`no svg in <${el.tagName.toLowerCase()}>`);
  return svg as SVGSVGElement;
}

/** The shapes a Plot mark drew, e.g. marks(el, "bar", "rect"), marks(el, "dot", "circle"). */
export function marks(el: Element, mark: string, shape: string): Element[] {
  return [...el.querySelectorAll(`g[aria-label="${mark}"] ${shape}`)];
}

/** The text of every shape a text mark drew. */
export function texts(el: Element, mark = "text"): string[] {
  return marks(el, mark, "text").map((t) => t.textContent ?? "");
}

/** The labels of a chart's colour legend (Plot's swatches), in order. */
export function swatches(el: Element): string[] {
  return [...el.querySelectorAll("[class$='-swatch']")].map((s) => s.textContent ?? "");
}

/** The tick labels of an axis ("x", "y" or "fx"), in order. */
export function ticks(el: Element, axis: "x" | "y" | "fx"): string[] {
  return marks(el, `${axis}-axis tick label`, "text").map((t) => t.textContent ?? "");
}

/**
 * Runs `render` with a stand-in for the 2D canvas jsdom lacks, for charts with a
 * continuous colour legend (Plot paints its ramp pixel by pixel on a canvas and embeds
 * `toDataURL()`). The stand-in records the colours painted; its data URL names the
 * first and last of them and the count, so the snapshot still shows the ramp's colours.
 * Plot's own tests install node-canvas instead; this project does not depend on it.
 */
export function withCanvas<T>(render: () => T): T {
  const proto = HTMLCanvasElement.prototype;
  const saved = {getContext: proto.getContext, toDataURL: proto.toDataURL};
  const painted = new WeakMap<HTMLCanvasElement, string[]>();
  Object.assign(proto, {
    getContext(this: HTMLCanvasElement) {
      const pixels: string[] = [];
      painted.set(this, pixels);
      return {
        fillStyle: "",
        fillRect() {
          pixels.push(String(this.fillStyle));
        },
      };
    },
    toDataURL(this: HTMLCanvasElement) {
      const p = painted.get(this) ?? [];
      return `data:text/plain,${encodeURIComponent(`${p.length} px from ${p[0]} to ${p[p.length - 1]}`)}`;
    },
  });
  try {
    return render();
  } finally {
    Object.assign(proto, saved);
  }
}
