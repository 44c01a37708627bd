/**
 * What real extracts carry, added on top of a clean row: coding variants, stray
 * whitespace, malformed rows and duplicated rows. Uses its own random stream, so
 * the clean content is the same at every messiness level. Every malformed and
 * duplicated line is logged in the ground truth, so validators can be checked.
 */
import {Rng} from "./random.ts";
import {messinessRates} from "./params.ts";

export const COLUMNS = [
  "contact_id",
  "child_id",
  "household_id",
  "contact_datetime",
  "referral_source",
  "age_years",
  "gender",
  "ethnicity",
  "disability",
  "district",
  "concerns",
  "primary_concern",
  "da_risk_level",
  "prior_contacts_12m",
  "previous_cp_plan",
  "open_case_status",
  "consent",
  "screener_id",
  "team",
  "decision_datetime",
  "rag_rating",
  "mash_decision",
  "outcome_after_sharing",
] as const;
const col = (name: string) => (COLUMNS as readonly string[]).indexOf(name);

/** Spellings real extracts use for our codes: the dictionary's synonyms must cover them. */
export const VARIANTS: Record<string, Record<string, string[]>> = {
  referral_source: {
    police: ["Police", "POLICE", "Suffolk Constabulary"],
    school: ["School", "Schools", "SCHOOL"],
    health: ["Health", "NHS", "HEALTH"],
    la_services: ["LA services", "Local authority services"],
    individual: ["Individual", "Family member"],
    other: ["Other"],
    other_legal: ["Other legal agency"],
    education_services: ["Education services"],
    anonymous: ["Anonymous", "ANON"],
    unknown: ["Unknown", "Not known"],
    housing: ["Housing"],
  },
  gender: {male: ["M", "Male", "MALE"], female: ["F", "Female"], unknown: ["U", "Unknown"]},
  district: {
    ipswich: ["Ipswich Borough", "IPSWICH"],
    suffolk_coastal: ["Suffolk Coastal"],
    waveney: ["Waveney"],
    babergh: ["Babergh"],
    mid_suffolk: ["Mid Suffolk"],
    forest_heath: ["Forest Heath"],
    st_edmundsbury: ["St Edmundsbury", "St. Edmundsbury"],
  },
  mash_decision: {
    nfa: ["NFA", "No further action"],
    advice_signposting: ["Advice and signposting"],
    early_help: ["Early Help"],
    info_sharing: ["Multi-agency information sharing", "MAIS"],
  },
  rag_rating: {red: ["Red", "R"], amber: ["Amber", "A"], green: ["Green", "G"]},
};

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
   * Turns one clean row into the lines written for it, starting at file line
   * `line` (1 = header). Returns one line, or two when the row is duplicated.
   */
  apply(fields: string[], line: number): string[] {
    if (this.level === 0) return [fields.join(",")];
    const rng = this.rng;
    const f = fields.slice();
    if (rng.uniform() < this.rates.codeVariant) {
      const names = Object.keys(VARIANTS);
      const name = names[rng.int(names.length)];
      const i = COLUMNS.indexOf(name as (typeof COLUMNS)[number]);
      const options = VARIANTS[name][f[i]];
      if (options) {
        f[i] = options[rng.int(options.length)];
        this.log.codeVariants++;
      }
    }
    if (rng.uniform() < this.rates.whitespace) {
      const i = col(WHITESPACE_COLUMNS[rng.int(WHITESPACE_COLUMNS.length)]);
      if (f[i] !== "") {
        f[i] = rng.bernoulli(0.5) ? ` ${f[i]}` : `${f[i]}  `;
        this.log.whitespace++;
      }
    }
    let text: string;
    if (rng.uniform() < this.rates.malformed) {
      const kind = MALFORMED_KINDS[rng.int(MALFORMED_KINDS.length)];
      let column = "";
      switch (kind) {
        case "truncated": {
          const keep = 3 + rng.int(COLUMNS.length - 5);
          f.length = keep;
          column = COLUMNS[keep];
          break;
        }
        case "bad_datetime":
          column = "contact_datetime";
          // 30 February never exists; "not recorded" is free text where a date belongs.
          f[col(column)] = rng.bernoulli(0.5) ? f[col(column)].replace(/^(\d{4})-\d\d-\d\d/, "$1-02-30") : "not recorded";
          break;
        case "age_out_of_range":
          column = "age_years";
          f[col(column)] = String(rng.bernoulli(0.5) ? 19 + rng.int(60) : -1 - rng.int(5));
          break;
        case "unknown_code":
          column = "referral_source";
          f[col(column)] = ["POLCE", "Shcool", "Helth", "Councillor"][rng.int(4)];
          break;
        case "decision_before_contact": {
          column = "decision_datetime";
          const c = f[col("contact_datetime")];
          const t = Date.parse(c.replace(" ", "T") + "Z") - (1 + rng.int(3)) * 86_400_000;
          f[col(column)] = new Date(t).toISOString().slice(0, 19).replace("T", " ");
          break;
        }
        case "missing_id":
          column = "contact_id";
          f[col(column)] = "";
          break;
      }
      this.log.malformed.push({line, kind, column});
    }
    text = f.join(",");
    if (rng.uniform() < this.rates.duplicate) {
      this.log.duplicates.push({line: line + 1, ofLine: line});
      return [text, text];
    }
    return [text];
  }
}
