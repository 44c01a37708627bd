/**
 * A page's glossary: the terms it uses (src/lib/glossary.ts), closed by default so the
 * page starts with its answer, open for whoever needs the words explained.
 *
 * @example Glossary(["auc", "calibration"]) // <details class="glossary">…</details>
 */
import {html} from "npm:htl";
import {GLOSSARY, type GlossaryTerm} from "../lib/glossary.js";

export function Glossary(terms: GlossaryTerm[]): HTMLDetailsElement {
  return html`<details class="glossary">
    <summary>Terms used on this page</summary>
    <ul>
      ${terms.map((t) => html`<li>${GLOSSARY[t]}</li>`)}
    </ul>
  </details>` as HTMLDetailsElement;
}
