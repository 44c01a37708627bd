/**
 * The pilot's daily run: score the day's new contacts with a registered model (exactly as
 * `workbench score` does: validated as ingest validates, the one scorer) and append each
 * contact's key, the model's id, its band and the time to the pilot log — the scoring service's
 * audit log (loaders/serve/audit-log.ts, source "pilot"), so one log holds every score the MASH
 * saw. No other field of a contact is logged. A contact already in the log for the same model is
 * not logged twice (a day re-run after a failure). `pilotLogSummary` reads the log back.
 *
 * @example await runPilotDay({model: "info_sharing-logistic-…", extract: ["today.csv"], out: "today-scores.csv", logDir: auditDir()})
 */
import {readFileSync} from "node:fs";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";
import {openModelDir} from "../registry.ts";
import {scoreExtract, type ScoreOptions} from "../score/score.ts";
import {AuditLog, readAuditLog, type ScoreRecord} from "../serve/audit-log.ts";

/** The source name pilot lines carry in the log. */
export const PILOT_SOURCE = "pilot";

export interface PilotDayOptions {
  /** a registered model's id or folder */
  model: string;
  extract: string[];
  /** the day's scores (CSV, as `workbench score` writes them) */
  out: string;
  rejects?: string;
  /** the log's folder (default: the scoring service's audit log) */
  logDir: string;
  dictionary?: string;
  encoding?: string;
  /** the time written on each line (default now) */
  now?: Date;
  onStage?: ScoreOptions["onStage"];
  onScored?: ScoreOptions["onScored"];
}

export interface PilotDaySummary {
  model: string;
  scored: number;
  rejected: number;
  duplicates: number;
  /** lines appended to the log */
  logged: number;
  /** contacts already in the log for this model, not logged again */
  alreadyLogged: number;
}

/** The record key and band of each row of a scores file. */
function keysAndBands(csv: string): {contact: string; band: number}[] {
  const [header, ...rows] = csvRecords(csv).map((r) => r.fields.map(unescapeCsvCell));
  const band = header.indexOf("band");
  if (band < 1) throw new Error("pilot: the scores file has no band column after the record key");
  return rows.map((r) => ({contact: r[0], band: Number(r[band])}));
}

export async function runPilotDay(o: PilotDayOptions): Promise<PilotDaySummary> {
  const model = openModelDir(o.model).id;
  const s = await scoreExtract({
    model: o.model,
    extract: o.extract,
    out: o.out,
    rejects: o.rejects,
    dictionary: o.dictionary,
    encoding: o.encoding,
    onStage: o.onStage,
    onScored: o.onScored,
  });
  const seen = new Set(
    readAuditLog(o.logDir)
      .records.filter((r): r is ScoreRecord => r.kind === "score" && r.source === PILOT_SOURCE && r.model === model)
      .map((r) => r.contact),
  );
  const time = (o.now ?? new Date()).toISOString();
  const fresh = keysAndBands(readFileSync(o.out, "utf8")).filter((r) => !seen.has(r.contact));
  const log = await AuditLog.open(o.logDir);
  try {
    await log.append(fresh.map((r) => ({kind: "score", time, source: PILOT_SOURCE, model, contact: r.contact, band: r.band})));
  } finally {
    await log.close();
  }
  return {
    model,
    scored: s.scored,
    rejected: s.rejected,
    duplicates: s.duplicates,
    logged: fresh.length,
    alreadyLogged: s.scored - fresh.length,
  };
}

/** What the pilot log holds, in counts: contacts scored per day and per model, and by whom (the pilot run, the service's clients). */
export interface PilotLogSummary {
  scores: number;
  contacts: number;
  torn: number;
  byDay: {day: string; n: number}[];
  byModel: {model: string; n: number}[];
  bySource: {source: string; n: number}[];
  /** bands logged, 1..20, for comparing with the bands staff saw */
  bands: {band: number; n: number}[];
}

export function pilotLogSummary(logDir: string): PilotLogSummary {
  const {records, torn} = readAuditLog(logDir);
  const scores = records.filter((r): r is ScoreRecord => r.kind === "score");
  const count = <K>(key: (r: ScoreRecord) => K) => {
    const m = new Map<K, number>();
    for (const r of scores) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    scores: scores.length,
    contacts: new Set(scores.map((r) => r.contact)).size,
    torn,
    byDay: count((r) => r.time.slice(0, 10)).map(([day, n]) => ({day, n})),
    byModel: count((r) => r.model).map(([model, n]) => ({model, n})),
    bySource: count((r) => (r.source === PILOT_SOURCE ? PILOT_SOURCE : `${r.source}${r.client ? ` (${r.client})` : ""}`)).map(
      ([source, n]) => ({source, n}),
    ),
    bands: count((r) => r.band).map(([band, n]) => ({band, n})),
  };
}
