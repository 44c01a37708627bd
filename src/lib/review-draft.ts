/**
 * Verdicts recorded in the Cross-check page before they are exported: kept in
 * browser storage (localStorage in the page, any Storage-like object in tests)
 * so a reload or a closed tab loses nothing. Recording a contact again replaces
 * its earlier verdict; export turns the draft into one session file.
 *
 * @example const draft = new ReviewDraft(localStorage); draft.record({...}); draft.csv()
 */
import {ROLES, toCsv, type Reason, type ReviewRow, type Verdict} from "./reviews.js";

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const DRAFT_KEY = "mash-workbench:review-draft:v1";

interface DraftState {
  session_date: string;
  roles: string[];
  verdicts: ReviewRow[];
}

export class ReviewDraft {
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
    this.storage.setItem(DRAFT_KEY, JSON.stringify(s));
  }

  /** Sets the session's date and the roles present (no names). */
  setSession(session_date: string, roles: string[]) {
    const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
    if (bad !== undefined) throw new Error(`unknown role; known: ${ROLES.join(", ")}`);
    const s = this.state;
    this.save({...s, session_date, roles, verdicts: s.verdicts.map((v) => ({...v, session_date, reviewer_roles: roles}))});
  }

  /** Records (or replaces) the verdict on one contact. */
  record(v: {record_id: string; verdict: Verdict; reason: Reason; variable?: string; note?: string}, now = new Date().toISOString()) {
    const s = this.state;
    if (!s.roles.length) throw new Error("say which roles are in the session before recording a verdict");
    if (v.verdict === "terminology_problem" && !v.variable) throw new Error("a terminology problem must name the variable");
    const row: ReviewRow = {
      session_date: s.session_date,
      reviewer_roles: s.roles,
      record_id: v.record_id,
      verdict: v.verdict,
      reason: v.reason,
      variable: v.variable ?? "",
      note: (v.note ?? "").trim(),
      recorded_at: now,
    };
    this.save({...s, verdicts: [...s.verdicts.filter((x) => x.record_id !== v.record_id), row]});
  }

  remove(record_id: string) {
    const s = this.state;
    this.save({...s, verdicts: s.verdicts.filter((x) => x.record_id !== record_id)});
  }

  /** The session file's name and text. */
  exportFile(suffix: string): {name: string; text: string} {
    const s = this.state;
    return {name: `${s.session_date}-${suffix}.csv`, text: toCsv(s.verdicts)};
  }

  /** Forget the draft (after the exported file is safely in data/reviews/). */
  clear() {
    this.storage.removeItem(DRAFT_KEY);
  }
}
