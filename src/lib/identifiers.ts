/**
 * The identifier screen: whether a text holds something that could identify a person —
 * a name (in any case), an e-mail address, a phone number, an NHS number with a valid check
 * digit, a postcode, a date of birth, a national insurance number or a street address.
 * Pure and shared: ingest screens extracts with it (loaders/ingest/screen.ts), the build
 * screens review notes, and the Cross-check page screens a note as it is typed. It says
 * which kinds it found and never returns the text it matched.
 *
 * Names are judged by context, not by a word alone (a name list holds "Will", "Grace" and
 * "Brown"): a first name followed by a surname or another first name, a first name followed
 * by a capitalised word, a name after a word such as "mum" or "called", and — for a whole
 * column — many single values that are names (see `screenColumn`).
 *
 * @example identifiersIn("Mum Jane Smith rang on 07700 900123") // ["person_name", "phone"]
 */
import {FIRST_NAMES, SURNAMES} from "./name-lists.js";

export type IdentifierKind = "person_name" | "nhs_number" | "postcode" | "email" | "phone" | "date_of_birth" | "ni_number" | "address";

/** Each kind in words, for messages ("a note holds a phone number"). */
export const KIND_LABELS: Record<IdentifierKind, string> = {
  person_name: "a person's name",
  nhs_number: "an NHS number",
  postcode: "a postcode",
  email: "an e-mail address",
  phone: "a phone number",
  date_of_birth: "a date of birth",
  ni_number: "a national insurance number",
  address: "a street address",
};

export const KINDS = Object.keys(KIND_LABELS) as IdentifierKind[];

const FIRST = new Set(FIRST_NAMES.split(" "));
const SURNAME = new Set(SURNAMES.split(" "));

/**
 * Names that are also everyday words, codes or place words: alone or beside another such word
 * they are no evidence of a name ("will", "mark", "grace", "brown", "summer", "hill"). Chosen by
 * hand from the names among the 5,000 most frequent English words (data/names/README.md).
 */
const COMMON = new Set(
  (
    "a an and the of to in on at by for from with as or but not no yes is was be are were has had have will may might can " +
    "mark grace hope faith joy rose summer autumn april june august may sky river amber ruby jade ivy holly daisy poppy " +
    "lily iris violet hazel pearl crystal storm rain dawn eve honey star angel precious destiny harmony melody liberty " +
    "justice unique royal king prince princess duke earl bill bob frank jack pat sue rob nick art gene guy ray rich sandy " +
    "brown white black green gray grey long young hill wood stone bell price cook baker page hall hunt ward rice fox lane " +
    "west north south east park banks hunter miller mason porter carter cooper turner fisher walker marshall bishop church " +
    "sharp strong little short good best early moss field fields wells ford bush burns mills holmes rivers woods love " +
    "just rich hale chance bay lake cliff dale glen heath brook brooke forest marsh shore bank cross rock sterling " +
    "page major miles power powers golden gold silver penny sunny happy ace bear wolf hawk robin jay wren lark finch " +
    "drew chase hunter sawyer archer mercy blessing gift august ocean mystery echo noble rowan ash aspen willow cedar oak " +
    "india china jordan kenya georgia virginia carolina florida paris london chelsea devon kent york lincoln bradford " +
    "police health school social care children child family early help none other unknown male female mixed asian " +
    "case team duty red green over under " +
    "can day best jan good said great link case house small light blue person baby short miles lake cash cross silver weeks sellers wednesday sunday glass kit wall flowers winter diamond saint branch snow dream soul queen ocean crystal junior moon phoenix alpha parks crew bond navy potter truly heaven marks journey honor era gross valentine waters walls rush wise clay nova dev mac max le li al rang says"
  ).split(" "),
);

/** Words after which the next word, if it could be a name, is one: kinship, titles, "called". */
const CONTEXT = new Set(
  (
    "mum mummy mother mam dad daddy father nan nanna nana gran granny grandma grandmother grandad grandpa grandfather " +
    "aunt auntie aunty uncle brother sister sibling cousin stepdad stepmum stepfather stepmother stepbrother stepsister " +
    "partner boyfriend girlfriend husband wife ex son daughter niece nephew carer foster mr mrs ms miss mx dr called named aka"
  ).split(" "),
);

const WORD = /^[A-Za-z][A-Za-z'’-]*$/;
const isTitle = (w: string) => /^[A-Z][a-z'’-]+$/.test(w);
const isCaps = (w: string) => /^[A-Z][A-Z'’-]+$/.test(w);
const nameLike = (w: string) => FIRST.has(w) || SURNAME.has(w);

/** Whether a text holds a person's name, judged by the pairs of words in it (see the module's comment). */
function holdsName(text: string): boolean {
  // Words are split at spaces, underscores and punctuation; a token holding a digit is no word
  // and separates the words around it ("C9A3CECE0BACF" holds no name).
  const tokens = text.split(/[\s,;:.!?()"/_]+/);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i], tokens[i + 1]];
    if (!WORD.test(a) || !WORD.test(b)) continue;
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (COMMON.has(y) && !SURNAME.has(y) && !FIRST.has(y)) continue;
    // A first name then a surname or first name, unless both are everyday words.
    if (FIRST.has(x) && nameLike(y) && !(COMMON.has(x) && COMMON.has(y))) return true;
    // A first name that is no everyday word, then a capitalised word: "Olivia Xyzzy", "JACK XYZZY".
    if (FIRST.has(x) && !COMMON.has(x) && ((isTitle(a) && isTitle(b)) || (isCaps(a) && isCaps(b))) && !COMMON.has(y)) return true;
    // A kinship word or title, then a name or a capitalised word: "mum jane", "Mr Xyzzy".
    if (CONTEXT.has(x) && !COMMON.has(y) && (nameLike(y) || isTitle(b) || isCaps(b))) return true;
  }
  return false;
}

/** Whether ten digits (spaces and hyphens removed) are an NHS number: the modulus-11 check digit is valid. */
export function validNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += Number(digits[k]) * (10 - k);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(digits[9]);
}

const EMAIL = /[^@\s]+@[^@\s]+\.[A-Za-z]{2,}/;
const PHONE = /(?<![\d+])(?:\+44[\s-]?\(?0?\)?|\(?0)[\s()-]*[1-9](?:[\s()-]*\d){8,9}(?!\d)/g;
const NHS = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;
const POSTCODE_WHOLE = /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/;
const POSTCODE_UPPER = /(?<![A-Za-z\d])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![A-Za-z\d])/;
const POSTCODE_SPACED = /(?<![A-Za-z\d])[A-Za-z]{1,2}\d[A-Za-z\d]? \d[A-Za-z]{2}(?![A-Za-z\d])/;
const DATE = /(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2})(?!\d)/;
const DATE_WHOLE = /^(?:\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})$/;
const DOB_CONTEXT =
  /\b(?:d\.?\s?o\.?\s?b\.?|born|date of birth|birth ?date|birthday)\b[\s:,-]*(?:on\s+)?(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{4})/i;
const NI = /(?<![A-Za-z\d])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z\d])/i;
const STREET =
  /(?<![\w/])\d{1,4}[a-z]?,?\s+(?:[A-Za-z'’-]+\s+){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|close|drive|way|court|crescent|cres|place|gardens|gdns|terrace|grove|square|walk|mews|parade|row)\b/i;
const FLAT = /\bflat\s+\d+[a-z]?\b/i;

export interface ScreenOptions {
  /** the text is a value of a date column, where a date is expected, not a date of birth */
  dateColumn?: boolean;
}

/** The kinds of identifier in one text (each kind once), in the order of KINDS. */
export function identifiersIn(text: string, {dateColumn = false}: ScreenOptions = {}): IdentifierKind[] {
  const s = text.trim();
  if (!s) return [];
  const found = new Set<IdentifierKind>();
  if (s.includes("@") && EMAIL.test(s)) found.add("email");
  if (/\d/.test(s)) {
    for (const m of s.matchAll(NHS)) if (validNhsNumber(m[0].replace(/[ -]/g, ""))) found.add("nhs_number");
    for (const m of s.matchAll(PHONE))
      if (/^(?:\+44|0)[1-9]\d{8,9}$/.test(m[0].replace(/[\s()-]/g, "").replace(/^\+440/, "+44"))) found.add("phone");
    if (POSTCODE_WHOLE.test(s) || POSTCODE_UPPER.test(s) || POSTCODE_SPACED.test(s)) found.add("postcode");
    if (!dateColumn && (DATE_WHOLE.test(s) || DOB_CONTEXT.test(s))) found.add("date_of_birth");
    else if (dateColumn && DOB_CONTEXT.test(s)) found.add("date_of_birth");
    // An unspaced NI-shaped token alone is also the shape of many record ids: only in free text, or spaced.
    const ni = NI.exec(s);
    if (ni && (/\s/.test(ni[0]) || /\s/.test(s))) found.add("ni_number");
    if (STREET.test(s) || FLAT.test(s)) found.add("address");
  }
  if (/[A-Za-z]/.test(s) && /[^A-Za-z]/.test(s) && holdsName(s)) found.add("person_name");
  return KINDS.filter((k) => found.has(k));
}

/** Whether a single word is a name that is no everyday word ("olivia", "SMITH", not "will"). */
export function isLoneName(text: string): boolean {
  const w = text.trim().toLowerCase();
  return /^[a-z'’-]{2,}$/.test(w) && nameLike(w) && !COMMON.has(w);
}

/** A column's values screened whole: at least this many distinct lone names… */
export const NAME_COLUMN_MIN = 5;
/** …making up at least this share of its distinct values, and the column holds names. */
export const NAME_COLUMN_SHARE = 0.5;

/** Counts per kind, with the least row each kind was found on (when rows are given). */
export type KindCounts = Map<IdentifierKind, {count: number; row?: number}>;

/**
 * Screens a column's distinct values, each with the rows it stands for (`n`) and the least row
 * it is on (`row`): counts per kind of the rows whose value holds an identifier, plus — when many
 * distinct values are lone names (a `given` or `family` column) — every lone-name row as a name.
 */
export function screenColumn(values: Iterable<{text: string; n: number; row?: number}>, options: ScreenOptions = {}): KindCounts {
  const out: KindCounts = new Map();
  const add = (kind: IdentifierKind, n: number, row?: number) => {
    const c = out.get(kind) ?? {count: 0};
    c.count += n;
    if (row !== undefined && (c.row === undefined || row < c.row)) c.row = row;
    out.set(kind, c);
  };
  let distinct = 0;
  const lone: {n: number; row?: number}[] = [];
  for (const {text, n, row} of values) {
    if (!text.trim()) continue;
    distinct++;
    for (const kind of identifiersIn(text, options)) add(kind, n, row);
    if (isLoneName(text)) lone.push({n, row});
  }
  if (lone.length >= NAME_COLUMN_MIN && lone.length >= NAME_COLUMN_SHARE * distinct)
    for (const {n, row} of lone) add("person_name", n, row);
  return out;
}

/** The longest text shown as an unknown spelling; anything longer is free text. */
export const MAX_SHOWN = 40;

/**
 * Whether a spelling that matched no code may be stored and shown as it is: it holds no
 * identifier, is no lone name, is short (at most MAX_SHOWN characters and five words) and has
 * no run of six digits. Anything else is free text, shown only as `maskedSpelling`.
 */
export function mayShow(text: string): boolean {
  const s = text.trim();
  return s.length <= MAX_SHOWN && s.split(/\s+/).length <= 5 && !/\d{6}/.test(s) && !isLoneName(s) && identifiersIn(s).length === 0;
}

/** What is shown for a spelling that may not be: its length only. */
export const maskedSpelling = (text: string): string => `(free text, ${text.trim().length} characters)`;

/** The kinds found, in words with counts and no values: "a person's name (2), a phone number (1)". */
export function describeKinds(counts: Iterable<[IdentifierKind, number]>): string {
  return [...counts].map(([k, n]) => `${KIND_LABELS[k]} (${n})`).join(", ");
}
