/**
 * What real extracts carry, added on top of a clean row: coding variants, stray
 * whitespace, malformed rows and duplicated rows. Uses its own random stream, so
 * the clean content is the same at every messiness level. Every malformed and
 * duplicated line is logged in the ground truth, so validators can be checked.
 *
 * Every draw depends on the clean row only, never on how a profile writes it
 * (profiles.ts): the same seed spoils the same rows the same way in every profile,
 * so two profiles' extracts accept, reject and drop the same contacts.
 */
import {Rng} from "./random.ts";
import {messinessRates} from "./params.ts";
import {COLUMNS, CONTACT_COLUMNS, csvLine, renderRow, VARIANTS, type Profile} from "./profiles.ts";

export {COLUMNS, VARIANTS};
const col = (name: string) => (COLUMNS as readonly string[]).indexOf(name);

export const MALFORMED_KINDS = [
  "truncated",
  "bad_datetime",
  "age_out_of_range",
  "unknown_code",
  "decision_before_contact",
  "missing_id",
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export interface MessLog {
  codeVariants: number;
  whitespace: number;
  /** `column` names the column as the file's header does */
  malformed: {line: number; kind: MalformedKind; column: string}[];
  duplicates: {line: number; ofLine: number}[];
}

const WHITESPACE_COLUMNS = ["referral_source", "gender", "ethnicity", "district", "mash_decision", "team", "consent"] as const;

export class Messer {
  private readonly rng: Rng;
  readonly log: MessLog = {codeVariants: 0, whitespace: 0, malformed: [], duplicates: []};
  private readonly rates: typeof messinessRates;

  constructor(
    seed: number,
    readonly level: number,
    /** how the rows are written (header, order, spellings, dates) */
    readonly profile: Profile,
  ) {
    if (!(level >= 0 && level <= 10)) throw new Error(`--messiness must be a number from 0 (clean) to 10, got ${level}`);
    this.rng = Rng.stream(seed, 7);
    this.rates = {
      codeVariant: Math.min(1, messinessRates.codeVariant * level),
      whitespace: Math.min(1, messinessRates.whitespace * level),
      malformed: Math.min(1, messinessRates.malformed * level),
      duplicate: Math.min(1, messinessRates.duplicate * level),
    };
  }

  /**
   * Turns one clean row (fields in COLUMNS order) into the lines written for it, starting at
   * file line `line` (1 = header). Returns one line, or two when the row is duplicated.
   */
  apply(fields: string[], line: number): string[] {
    const p = this.profile;
    // f: the row as the profile writes it, still in COLUMNS order; `fields` stays clean.
    const f = renderRow(p, fields);
    if (this.level === 0) return [csvLine(inFileOrder(p, f))];
    const rng = this.rng;
    if (rng.uniform() < this.rates.codeVariant) {
      const names = Object.keys(VARIANTS);
      const name = names[rng.int(names.length)];
      const i = col(name);
      const options = p.variants[name]?.[fields[i]];
      if (options) {
        f[i] = options[rng.int(options.length)];
        this.log.codeVariants++;
      }
    }
    if (rng.uniform() < this.rates.whitespace) {
      const i = col(WHITESPACE_COLUMNS[rng.int(WHITESPACE_COLUMNS.length)]);
      if (fields[i] !== "") {
        f[i] = rng.bernoulli(0.5) ? ` ${f[i]}` : `${f[i]}  `;
        this.log.whitespace++;
      }
    }
    let keep = f.length;
    if (rng.uniform() < this.rates.malformed) {
      const kind = MALFORMED_KINDS[rng.int(MALFORMED_KINDS.length)];
      let column = "";
      switch (kind) {
        case "truncated": {
          // The line stops after `keep` fields of the file's own order, within the contact's own
          // columns (the pilot's come last in every profile): the same draw as before they existed.
          keep = 3 + rng.int(CONTACT_COLUMNS.length - 5);
          column = p.order[keep];
          break;
        }
        case "bad_datetime":
          column = "contact_datetime";
          // 30 February never exists; "not recorded" is free text where a date belongs.
          f[col(column)] = rng.bernoulli(0.5) ? p.impossibleDate(f[col(column)]) : p.notRecorded;
          break;
        case "age_out_of_range":
          column = "age_years";
          f[col(column)] = String(rng.bernoulli(0.5) ? 19 + rng.int(60) : -1 - rng.int(5));
          break;
        case "unknown_code":
          column = "referral_source";
          f[col(column)] = p.typos[rng.int(4)];
          break;
        case "decision_before_contact": {
          column = "decision_datetime";
          const c = fields[col("contact_datetime")];
          const t = Date.parse(c.replace(" ", "T") + "Z") - (1 + rng.int(3)) * 86_400_000;
          const iso = new Date(t).toISOString().slice(0, 19).replace("T", " ");
          f[col(column)] = p.write.decision_datetime?.(iso) ?? iso;
          break;
        }
        case "missing_id":
          column = "contact_id";
          f[col(column)] = "";
          break;
      }
      this.log.malformed.push({line, kind, column: p.header[column as (typeof COLUMNS)[number]]});
    }
    const written = inFileOrder(p, f);
    written.length = keep;
    const text = csvLine(written);
    if (rng.uniform() < this.rates.duplicate) {
      this.log.duplicates.push({line: line + 1, ofLine: line});
      return [text, text];
    }
    return [text];
  }
}

/** A row in COLUMNS order → the file's column order. */
function inFileOrder(p: Profile, f: string[]): string[] {
  return p.order === COLUMNS ? f : p.order.map((c) => f[col(c)]);
}
