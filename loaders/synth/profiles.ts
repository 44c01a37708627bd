/**
 * Extract profiles: how one council's export writes the simulated contacts. The engine makes
 * the same contacts (and the same truth) whatever the profile; a profile only decides the
 * header, the column order, how each code and date is spelled and what a missing value looks
 * like. `suffolk` is the workbench's own shape (data/dictionary.yaml); `essex` is another
 * council's export of the same contacts (data/dictionaries/essex.yaml), so a pipeline that
 * reads the dictionary, never a column name, gives the same tables and models on both.
 *
 * @example renderRow(PROFILES.essex, contactFields(c)) // ["C19573671", "01/01/2015 03:54", …]
 */

/** The contact's own columns: every contact has them (a value or a blank the dictionary allows). */
export const CONTACT_COLUMNS = [
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

/** The model pilot's columns: the band the screener saw and the screener's response; blank outside the pilot. */
export const PILOT_COLUMNS = ["pilot_band", "pilot_response"] as const;

/** The clean columns, in the order contactFields (write.ts) gives them and the suffolk profile writes them. */
export const COLUMNS = [...CONTACT_COLUMNS, ...PILOT_COLUMNS] as const;

/** Spellings real extracts use for our codes (the suffolk profile's): the dictionary's synonyms must cover them. */
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

export type Column = (typeof COLUMNS)[number];

export interface Profile {
  name: string;
  /** what the profile stands for, in one line */
  description: string;
  /** the dictionary that describes the extract this profile writes */
  dictionary: string;
  /** the header cell of each column */
  header: Record<Column, string>;
  /** the columns in the order the file holds them */
  order: readonly Column[];
  /** how a non-empty value is written, per column (as the clean extract holds it when absent) */
  write: Partial<Record<Column, (value: string) => string>>;
  /** what is written for an empty value, per column (empty when absent) */
  empty: Partial<Record<Column, string>>;
  /** coding variants the messiness adds, per column and clean code: the dictionary's synonyms must cover them */
  variants: Record<string, Record<string, string[]>>;
  /** the contact time with an impossible date (30 February), from the time as written */
  impossibleDate: (written: string) => string;
  /** free text written where a date belongs (a missing marker of the dictionary) */
  notRecorded: string;
  /** misspelled referral sources no code matches (four, as the messiness draws one of four) */
  typos: readonly [string, string, string, string];
}

/** The workbench's own extract: today's output, byte for byte. */
export const SUFFOLK: Profile = {
  name: "suffolk",
  description: "the workbench's own extract (data/dictionary.yaml): snake_case columns, dictionary codes, ISO times",
  dictionary: "data/dictionary.yaml",
  header: Object.fromEntries(COLUMNS.map((c) => [c, c])) as Record<Column, string>,
  order: COLUMNS,
  write: {},
  empty: {},
  variants: VARIANTS,
  impossibleDate: (written) => written.replace(/^(\d{4})-\d\d-\d\d/, "$1-02-30"),
  notRecorded: "not recorded",
  typos: ["POLCE", "Shcool", "Helth", "Councillor"],
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "2015-01-31 14:05:00" → "31/01/2015 14:05" (seconds are always :00 in the simulation). */
const ukTime = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
/** "2015-01-31 14:05:00" → "31-Jan-2015 14:05". */
const dayMonTime = (iso: string) => `${iso.slice(8, 10)}-${MONTHS[Number(iso.slice(5, 7)) - 1]}-${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
/** A code → spelling table as a writer; a code the table lacks is an error, never passed through. */
const spell =
  (column: string, table: Record<string, string>) =>
  (code: string): string => {
    const s = table[code];
    if (s === undefined) throw new Error(`profile essex: no spelling for code "${code}" of ${column}`);
    return s;
  };

const CONCERN_SPELLINGS: Record<string, string> = {
  domestic_abuse: "Domestic Abuse",
  mental_health: "Mental Health",
  drug_misuse: "Substance Misuse - Drugs",
  emotional_abuse: "Emotional Abuse",
  alcohol_misuse: "Substance Misuse - Alcohol",
  neglect: "Neglect",
  physical_abuse: "Physical Abuse",
  sexual_abuse: "Sexual Abuse",
  self_harm: "Self Harm",
  cse: "CSE",
  going_missing: "Missing From Home",
  gangs: "Criminal Exploitation",
};

/** How Essex writes the codes, per clean column. Exported for the dictionary test. */
export const ESSEX_SPELLINGS: Partial<Record<Column, Record<string, string>>> = {
  referral_source: {
    police: "Essex Police",
    school: "Education - School",
    health: "Health Services",
    la_services: "Local Authority",
    individual: "Member of Public/Family",
    other: "Other Source",
    other_legal: "Legal Agency",
    education_services: "Education - Other",
    anonymous: "Anonymous",
    unknown: "Source Not Known",
    housing: "Housing Provider",
  },
  gender: {male: "Male", female: "Female", unknown: "Not Stated"},
  ethnicity: {
    white: "White",
    mixed: "Mixed/Multiple",
    asian: "Asian/Asian British",
    black: "Black/African/Caribbean/Black British",
    other: "Other Ethnic Group",
  },
  disability: {yes: "Y", no: "N"},
  district: {
    babergh: "Babergh DC",
    forest_heath: "Forest Heath DC",
    ipswich: "Ipswich BC",
    mid_suffolk: "Mid Suffolk DC",
    st_edmundsbury: "St Edmundsbury BC",
    suffolk_coastal: "Suffolk Coastal DC",
    waveney: "Waveney DC",
  },
  concerns: CONCERN_SPELLINGS,
  primary_concern: CONCERN_SPELLINGS,
  da_risk_level: {standard: "Standard Risk", medium: "Medium Risk", high: "High Risk"},
  previous_cp_plan: {yes: "Y", no: "N"},
  open_case_status: {none: "Not Open", early_help: "Early Help", cin: "CIN", cp: "CP", lac: "CLA"},
  consent: {given: "Yes", not_sought: "Not Sought", refused: "No", not_required: "Not Required (DA)"},
  team: {T1: "Triage Team A", T2: "Triage Team B", T3: "Triage Team C", T4: "Triage Team D"},
  rag_rating: {red: "RED", amber: "AMBER", green: "GREEN"},
  mash_decision: {
    nfa: "NFA - No Further Action",
    advice_signposting: "NFA - Advice",
    early_help: "Early Help Referral",
    info_sharing: "MASH Strategy",
  },
  outcome_after_sharing: {
    nfa: "NFA",
    early_help: "Step Down to Early Help",
    cin_assessment: "C&F Assessment",
    s47_strategy: "Strategy Discussion",
  },
  pilot_response: {agreed: "Agreed With Tool", followed: "Changed To Tool", overrode: "Tool Overridden"},
};

/** Items of a multi-category value in the Essex export: comma and space (so the field is quoted). */
export const ESSEX_SEPARATOR = ", ";

/** The Essex file's column order: the reference and date first, the child, the contact, then the decision. */
const ESSEX_ORDER: readonly Column[] = [
  "contact_id",
  "contact_datetime",
  "child_id",
  "household_id",
  "age_years",
  "gender",
  "ethnicity",
  "disability",
  "district",
  "referral_source",
  "concerns",
  "primary_concern",
  "da_risk_level",
  "prior_contacts_12m",
  "previous_cp_plan",
  "open_case_status",
  "consent",
  "team",
  "screener_id",
  "decision_datetime",
  "mash_decision",
  "rag_rating",
  "outcome_after_sharing",
  "pilot_band",
  "pilot_response",
];

/** Writers of the Essex columns: codes spelled its way, UK contact times, another decision-time format. */
function essexWriters(): Profile["write"] {
  const write: Profile["write"] = {};
  for (const [column, table] of Object.entries(ESSEX_SPELLINGS) as [Column, Record<string, string>][]) {
    const one = spell(column, table);
    write[column] = column === "concerns" ? (value) => value.split(";").map(one).join(ESSEX_SEPARATOR) : one;
  }
  write.contact_datetime = ukTime;
  write.decision_datetime = dayMonTime;
  write.age_years = (age) => (age === "unborn" ? "Unborn" : age);
  return write;
}

/**
 * Another council's export of the same contacts: its own column names and order, codes spelled
 * its way, UK dates (dd/mm/yyyy HH:MM) and a decision time as 31-Jan-2015 14:05. Ids stay the
 * same pseudonyms, so the truth file joins on them as it does for suffolk.
 */
export const ESSEX: Profile = {
  name: "essex",
  description: "another council's export of the same contacts (data/dictionaries/essex.yaml): its own headers, spellings and UK dates",
  dictionary: "data/dictionaries/essex.yaml",
  header: {
    contact_id: "Contact Ref",
    child_id: "Child Ref",
    household_id: "Family Ref",
    contact_datetime: "Date Received",
    referral_source: "Source of Contact",
    age_years: "Age at Contact",
    gender: "Gender",
    ethnicity: "Ethnic Group",
    disability: "Disabled",
    district: "Locality",
    concerns: "Presenting Issues",
    primary_concern: "Primary Issue",
    da_risk_level: "DASH Risk",
    prior_contacts_12m: "Contacts Last 12 Months",
    previous_cp_plan: "Previous CP Plan",
    open_case_status: "Open Case Type",
    consent: "Consent",
    screener_id: "Worker",
    team: "Allocated Team",
    decision_datetime: "Decision Date",
    rag_rating: "RAG",
    mash_decision: "Outcome",
    outcome_after_sharing: "Onward Outcome",
    pilot_band: "Screening Tool Band",
    pilot_response: "Worker Response To Tool",
  },
  order: ESSEX_ORDER,
  write: essexWriters(),
  empty: {ethnicity: "Not Obtained"},
  variants: {
    referral_source: {
      police: ["ESSEX POLICE", "Police", "Essex Police (PPIU)"],
      school: ["School", "EDUCATION - SCHOOL", "Education-School"],
      health: ["Health", "NHS", "HEALTH SERVICES"],
      la_services: ["LA", "Local Authority Services"],
      individual: ["Member of Public", "Family/Friend"],
      other: ["Other"],
      other_legal: ["Probation/Courts"],
      education_services: ["Education Other"],
      anonymous: ["Anon", "ANONYMOUS"],
      unknown: ["Unknown", "Not Known"],
      housing: ["Housing"],
    },
    gender: {male: ["M", "MALE", "Boy"], female: ["F", "Girl"], unknown: ["U", "Not Known"]},
    district: {
      ipswich: ["Ipswich", "IPSWICH BC"],
      suffolk_coastal: ["Suffolk Coastal"],
      waveney: ["Waveney"],
      babergh: ["Babergh"],
      mid_suffolk: ["Mid Suffolk"],
      forest_heath: ["Forest Heath"],
      st_edmundsbury: ["St Edmundsbury", "St. Edmundsbury BC"],
    },
    mash_decision: {
      nfa: ["NFA", "No Further Action"],
      advice_signposting: ["NFA-Advice", "Advice Only"],
      early_help: ["Early Help"],
      info_sharing: ["MASH STRATEGY", "Strategy"],
    },
    rag_rating: {red: ["Red", "R"], amber: ["Amber", "A"], green: ["Green", "G"]},
  },
  impossibleDate: (written) => written.replace(/^\d\d\/\d\d\//, "30/02/"),
  notRecorded: "Not Recorded",
  typos: ["Essex Polce", "Shcool", "Helth", "Councillor"],
};

export const PROFILES = {suffolk: SUFFOLK, essex: ESSEX} as const;
export type ProfileName = keyof typeof PROFILES;
export const DEFAULT_PROFILE: ProfileName = "suffolk";

/** The profile called `name`, or an error listing the profiles. */
export function profile(name: string): Profile {
  const p = (PROFILES as Record<string, Profile>)[name];
  if (!p) throw new Error(`unknown profile "${name}"; known: ${Object.keys(PROFILES).join(", ")}`);
  return p;
}

/** A clean row (fields in COLUMNS order, as contactFields gives them) as the profile writes it, still in COLUMNS order. */
export function renderRow(p: Profile, fields: string[]): string[] {
  if (p === SUFFOLK) return fields.slice();
  return fields.map((value, i) => {
    const column = COLUMNS[i];
    if (value === "") return p.empty[column] ?? "";
    const write = p.write[column];
    return write ? write(value) : value;
  });
}

/** One CSV line: a field holding a comma, a quote or a line break is quoted (RFC 4180); others are written as they are. */
export function csvLine(fields: string[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (i) out += ",";
    out += /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
  }
  return out;
}
