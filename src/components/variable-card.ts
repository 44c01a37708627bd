import {html} from "npm:htl";
import {CodeBars, codeBarRows} from "./code-bars.js";
import {Downloadable} from "./downloads.js";

export interface VariableCardData {
  name: string;
  label: string;
  group: string;
  definition: string;
  type: string;
  role: string;
  sensitivity: string;
  required?: boolean;
  format?: string;
  range?: [number, number];
  codes?: {code: string; label: string; definition?: string; synonyms?: string[]}[];
  special_codes?: {code: string; label: string; definition?: string}[];
  n: number;
  missing: number;
  distribution: {value: string; n: number}[];
}

/**
 * One variable for a working session: plain words first (label and definition),
 * then its codes with labels and synonyms, a small distribution and missingness.
 * @example VariableCard(v, {width: 320, groupLabel: "About the child"})
 */
export function VariableCard(
  v: VariableCardData,
  {width = 320, groupLabel = v.group, problems = []}: {width?: number; groupLabel?: string; problems?: {note: string; n: number}[]} = {},
) {
  const labels = Object.fromEntries([...(v.codes ?? []), ...(v.special_codes ?? [])].map((c) => [c.code, c.label]));
  const share = v.n ? ((100 * v.missing) / v.n).toFixed(1) : "–";
  return html`<div class="card variable" id=${`var-${v.name}`}>
    <h2>${v.label} <code>${v.name}</code></h2>
    <h3>${groupLabel} · ${v.type}${v.required ? " · required" : ""} · role: ${v.role} · ${v.sensitivity === "none" ? "not identifying" : v.sensitivity.replace("-", " ")}</h3>
    <p>${v.definition}</p>
    ${v.format ? html`<p>Format: <code>${v.format}</code></p>` : ""}
    ${v.range ? html`<p>Allowed range: ${v.range[0]}–${v.range[1]}</p>` : ""}
    ${v.codes?.length ? html`<table><thead><tr><th>code</th><th>label</th><th>also written as</th></tr></thead><tbody>${v.codes.map((c) => html`<tr><td><code>${c.code}</code></td><td>${c.label}${c.definition ? html`<br><small>${c.definition}</small>` : ""}</td><td>${(c.synonyms ?? []).join(", ")}</td></tr>`)}</tbody></table>` : ""}
    <p><strong>${v.missing.toLocaleString("en-GB")}</strong> of ${v.n.toLocaleString("en-GB")} contacts empty (${share}%)</p>
    ${
      v.distribution.length && v.type !== "id"
        ? Downloadable(CodeBars(v.distribution, {width, labels, ariaLabel: `Distribution of ${v.label}`}), {
            // the file (and the buttons' label) named in words: "distribution-of-who-made-the-contact"
            name: `distribution-of-${v.label
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, "-")
              .replace(/^-|-$/g, "")}`,
            rows: codeBarRows(v.distribution, {labels}),
          })
        : ""
    }
    ${problems.length ? html`<p class="warning">Terminology problems raised in working sessions: ${problems.map((p) => `${p.note} (${p.n})`).join("; ")}</p>` : ""}
  </div>`;
}
