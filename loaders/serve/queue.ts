/**
 * Scoring requests in groups: the requests that arrive while a group is being checked are checked
 * together next (one DuckDB pass, one `predict`), with the model in use when their group starts.
 * A request's answer is released only after its audit lines are fsynced (the log's group commit),
 * so every answer a client receives is in the log. Checking the next group overlaps the sync.
 *
 * @example const queue = new ScoringQueue(checker, models, log);
 *          const answer = await queue.submit({contacts, client: "platform", received: performance.now()});
 */
import type {AuditLog, ScoreRecord} from "./audit-log.ts";
import type {ContactChecker, ContactInput, Failure} from "./contacts.ts";
import type {ModelSlot} from "./models.ts";

/** The most contacts checked in one group (a group holds whole requests, so one of up to 1,000 may pass it). */
const GROUP_CONTACTS = 2000;

export interface ScoreRequest {
  contacts: ContactInput[];
  client: string;
  /** performance.now() when the request arrived, for the latency logged */
  received: number;
}

export interface ScoredAnswer {
  model: {id: string; version: string};
  results: {id: string; probability: number; band: number; factors: {feature: string; label: string; contribution: number}[]}[];
}

export type Answer = {status: 200; body: ScoredAnswer} | {status: 400; failures: Failure[]};

interface Pending {
  request: ScoreRequest;
  resolve: (a: Answer) => void;
  reject: (e: unknown) => void;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export class ScoringQueue {
  private pending: Pending[] = [];
  private running = false;

  constructor(
    private readonly checker: ContactChecker,
    private readonly models: ModelSlot,
    private readonly log: AuditLog,
    /** where the lines come from in the audit log */
    private readonly source = "serve",
  ) {}

  submit(request: ScoreRequest): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending.push({request, resolve, reject});
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        let n = 0;
        let take = 0;
        while (take < this.pending.length && (take === 0 || n + this.pending[take].request.contacts.length <= GROUP_CONTACTS))
          n += this.pending[take++].request.contacts.length;
        await this.group(this.pending.splice(0, take));
      }
    } finally {
      this.running = false;
    }
  }

  /** Checks, scores and logs one group; answers each request once its lines are synced. */
  private async group(group: Pending[]): Promise<void> {
    const model = this.models.acquire();
    let answers: Answer[];
    let records: ScoreRecord[][];
    try {
      const checked = await this.checker.check(
        group.map((p) => p.request.contacts),
        model.variables,
      );
      const rows = checked.flatMap((c) => ("rows" in c ? c.rows : []));
      const scored = model.scorer.score(rows);
      const ref = {id: model.scorer.id, version: String(model.scorer.card.trainedAt)};
      const time = new Date().toISOString();
      const now = performance.now();
      let at = 0;
      answers = [];
      records = [];
      checked.forEach((c, g) => {
        if ("failures" in c) {
          answers.push({status: 400, failures: c.failures});
          records.push([]);
          return;
        }
        const mine = scored.slice(at, (at += c.rows.length));
        const latency = round(now - group[g].request.received, 1);
        answers.push({
          status: 200,
          body: {
            model: ref,
            results: mine.map((s) => ({
              id: s.id,
              probability: round(s.probability, 6),
              band: s.band,
              factors: s.factors.map((f) => ({feature: f.name, label: f.label, contribution: round(f.contribution, 4)})),
            })),
          },
        });
        records.push(
          mine.map((s) => ({
            kind: "score",
            time,
            source: this.source,
            client: group[g].request.client,
            model: model.scorer.id,
            contact: s.id,
            band: s.band,
            latency_ms: latency,
          })),
        );
      });
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    } finally {
      this.models.release(model);
    }
    // Answers go out only once their lines are on disk; the next group is checked meanwhile.
    void this.log.append(records.flat()).then(
      () => group.forEach((p, g) => p.resolve(answers[g])),
      (error: unknown) => group.forEach((p) => p.reject(error)),
    );
  }
}
