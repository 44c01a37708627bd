/**
 * Verdicts recorded in the Cross-check page before they are exported: kept in
 * browser storage (localStorage in the page, any Storage-like object in tests)
 * so a reload or a closed tab loses nothing. Recording a contact again replaces
 * its earlier verdict; a verdict can be deleted and the draft cleared; export
 * turns the draft into one session file. A note that holds what looks like an
 * identifier is refused (`noteProblem`), naming the kind, never the text.
 *
 * @example const draft = new ReviewDraft(localStorage); draft.record({...}); draft.exportFile("a1b2")
 */
import {identifiersIn, KIND_LABELS} from "./identifiers.js";
import {REASONS, ROLES, toCsv, VERDICTS, type Reason, type ReviewRow, type Verdict} from "./reviews.js";

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const DRAFT_KEY = "mash-workbench:review-draft:v1";

export interface DraftState {
  session_date: string;
  roles: string[];
  verdicts: ReviewRow[];
}

/** What a reviewer records on one contact; verdict and reason are "" until chosen. */
export interface VerdictInput {
  record_id: string;
  verdict: Verdict | "";
  reason: Reason | "";
  variable?: string;
  note?: string;
}

/** "a, b and c". */
const inWords = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/**
 * Why a note may not be kept, or null when it may: the kinds of identifier it seems to hold,
 * in words, never the text itself.
 * @example noteProblem("rang on 07700 900123") // "The note holds what looks like a phone number: remove it — notes must not identify anyone"
 */
export function noteProblem(note: string): string | null {
  const kinds = identifiersIn(note);
  if (!kinds.length) return null;
  return `The note holds what looks like ${inWords(kinds.map((k) => KIND_LABELS[k]))}: remove it — notes must not identify anyone`;
}

/**
 * The draft with one contact's verdict recorded (replacing an earlier one on the same contact);
 * throws, saying what is missing, when no role, verdict or reason is given, a terminology
 * problem names no variable, or the note holds an identifier.
 */
export function withVerdict(s: DraftState, v: VerdictInput, now: string): DraftState {
  if (!s.roles.length) throw new Error("say which roles are in the session before recording a verdict");
  if (!(v.verdict in VERDICTS)) throw new Error("choose a verdict before recording");
  if (!(v.reason in REASONS)) throw new Error("choose a reason before recording");
  if (v.verdict === "terminology_problem" && !v.variable) throw new Error("a terminology problem must name the variable");
  const note = (v.note ?? "").trim();
  const problem = noteProblem(note);
  if (problem) throw new Error(problem);
  const row: ReviewRow = {
    session_date: s.session_date,
    reviewer_roles: s.roles,
    record_id: v.record_id,
    verdict: v.verdict as Verdict,
    reason: v.reason as Reason,
    variable: v.variable ?? "",
    note,
    recorded_at: now,
  };
  return {...s, verdicts: [...s.verdicts.filter((x) => x.record_id !== v.record_id), row]};
}

/** The draft without the verdict on one contact (unchanged when it holds none). */
export const withoutVerdict = (s: DraftState, record_id: string): DraftState => ({
  ...s,
  verdicts: s.verdicts.filter((x) => x.record_id !== record_id),
});

/** The draft with no verdicts: the session's date and roles (which name no one) are kept. */
export const cleared = (s: DraftState): DraftState => ({...s, verdicts: []});

/**
 * Why the draft may not be exported, or null: a verdict kept before notes were screened whose
 * note holds an identifier (the build would refuse the file).
 */
export function exportProblem(s: DraftState): string | null {
  const bad = s.verdicts.filter((v) => noteProblem(v.note));
  if (!bad.length) return null;
  return `The note on ${inWords(bad.map((v) => v.record_id))} holds what looks like an identifier: delete ${bad.length === 1 ? "that verdict" : "those verdicts"} or record ${bad.length === 1 ? "it" : "them"} again before exporting`;
}

export class ReviewDraft {
  private readonly listeners = new Set<(s: DraftState) => void>();
  private before: DraftState | undefined;

  constructor(
    private readonly storage: StorageLike,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  get state(): DraftState {
    const raw = this.storage.getItem(DRAFT_KEY);
    if (raw) {
      try {
        const s = JSON.parse(raw) as DraftState;
        if (Array.isArray(s.verdicts)) return s;
      } catch {
        // a damaged draft is kept aside below rather than silently dropped
        this.storage.setItem(`${DRAFT_KEY}:damaged`, raw);
      }
    }
    return {session_date: this.today(), roles: [], verdicts: []};
  }

  private save(s: DraftState) {
    // The state before this change is kept in memory only (one step), so the last change can be
    // undone while a deleted verdict is gone from the browser's storage at once.
    this.before = this.state;
    this.storage.setItem(DRAFT_KEY, JSON.stringify(s));
    for (const listener of this.listeners) listener(s);
  }

  /** Whether a change can be undone (one step: the last verdict recorded, deleted or cleared, until a reload). */
  get canUndo(): boolean {
    return this.before !== undefined;
  }

  /** Puts the draft back as it was before the last change; a second undo does nothing. */
  undo() {
    const s = this.before;
    if (!s) return;
    this.before = undefined;
    this.storage.setItem(DRAFT_KEY, JSON.stringify(s));
    for (const listener of this.listeners) listener(s);
  }

  /**
   * Calls `listener` with the draft after every change made through this object; returns
   * the function that stops it. The page's list of verdicts and its export link follow it.
   */
  subscribe(listener: (s: DraftState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sets the session's date and the roles present (no names). */
  setSession(session_date: string, roles: string[]) {
    const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
    if (bad !== undefined) throw new Error(`unknown role; known: ${ROLES.join(", ")}`);
    const s = this.state;
    this.save({...s, session_date, roles, verdicts: s.verdicts.map((v) => ({...v, session_date, reviewer_roles: roles}))});
  }

  /** Records (or replaces) the verdict on one contact; throws as `withVerdict` does, storing nothing. */
  record(v: VerdictInput, now = new Date().toISOString()) {
    this.save(withVerdict(this.state, v, now));
  }

  /** Deletes the verdict on one contact from the draft. */
  remove(record_id: string) {
    this.save(withoutVerdict(this.state, record_id));
  }

  /**
   * The session file's name and text. The name says the session's date and, when given, the model
   * the session reviewed (its registry id): `2026-12-05-logistic-20261204-a1b2c3.csv`.
   */
  exportFile(suffix: string, model?: string): {name: string; text: string} {
    const s = this.state;
    const safe = model ? model.replace(/[^A-Za-z0-9_.-]+/g, "-") + "-" : "";
    return {name: `${s.session_date}-${safe}${suffix}.csv`, text: toCsv(s.verdicts)};
  }

  /** Forgets every verdict (after the exported file is safely in data/reviews/, or to start again). */
  clear() {
    this.save(cleared(this.state));
  }
}
