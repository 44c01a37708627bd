/**
 * What an ingest reports (the JSON written beside the warehouse, and what `ingest` returns): per
 * file and in total, every row read accepted, rejected or a duplicate; the codes mapped and the
 * spellings no code matched; or, for a refused extract (or a run that failed), why, in the words
 * the command printed, and nothing read. Every run writes one, so the report always describes the
 * last run; the warehouse keeps its own copy of the report of the ingest that built it (runs.ts).
 */
import {createHash} from "node:crypto";
import {mkdirSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname} from "node:path";
import type {Dictionary} from "../dictionary.ts";
import {RefusedFile, type FileShape} from "./encoding.ts";
import type {Finding} from "./screen.ts";

export interface FileReport extends FileShape {
  file: string;
  sha256: string;
  encoding: string;
  read: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  ignoredColumns: string[];
}

export interface IngestReport {
  /**
   * accepted: the warehouse was built from these files; refused: the extract was refused (exit 1 for
   * a file that cannot be ingested, 2 for identifiers) and nothing was ingested; failed: the run
   * stopped with an error. Absent in reports written before it existed: read it with `reportStatus`.
   */
  status?: ReportStatus;
  ingestId: string;
  startedAt: string;
  finishedAt: string;
  dictionary: DictionaryReport;
  files: FileReport[];
  read: number;
  accepted: number;
  rejected: number;
  duplicates: {total: number; exactCopies: number; superseded: number};
  rejectedByRule: Record<string, number>;
  mappedCodes: {variable: string; kind: string; spelling: string; code: string; n: number}[];
  unknownCodes: {variable: string; spelling: string; n: number}[];
  refusal: null | Refusal;
}

export type ReportStatus = "accepted" | "refused" | "failed";

/** Why a run ingested nothing: never a value from the data, only file, column, line and rule. */
export interface Refusal {
  /** the rule broken, in words: "direct identifiers", or the check a file failed (e.g. "the file is empty (not even a header row)") */
  reason: string;
  /** what the command printed */
  message: string;
  /** the command's exit code: 2 for identifiers, 1 otherwise */
  exitCode: 1 | 2;
  /** the file refused, by name; null when the refusal is of the whole extract (identifiers) or the run failed */
  file: string | null;
  /** every file the run was given, by name */
  files: string[];
  /** the identifiers found (a refusal for identifiers only) */
  findings: Finding[];
}

/** A report's status; a report written before `status` existed is accepted unless it holds a refusal. */
export function reportStatus(report: Pick<IngestReport, "status" | "refusal">): ReportStatus {
  return report.status ?? (report.refusal ? "refused" : "accepted");
}

/** The dictionary an ingest validated against. */
export interface DictionaryReport {
  path: string;
  version: string;
  sha256: string;
}

/** Thrown when an extract holds direct identifiers: exit code 2, nothing ingested. */
export class IdentifierRefusal extends Error {
  constructor(readonly findings: Finding[]) {
    super("refused: the extract holds direct identifiers, so nothing was ingested. " + findings.map(describeFinding).join("; "));
  }
}

/**
 * A finding in words: file, column (by name, and by position when screened as raw text), kind,
 * how it was found, how many values and the line of the first — never a value.
 * @example describeFinding({file: "x.csv", column: "dob", position: 4, kind: "date_of_birth", by: "content", count: 3, row: 2})
 * // x.csv: column 4 "dob" — date of birth (by content, 3 values, the first on line 2)
 */
export function describeFinding(f: Finding): string {
  const column = [f.position ? String(f.position) : "", f.column ? `"${f.column}"` : ""].filter(Boolean).join(" ");
  const found = [`by ${f.by}`, f.count ? `${f.count} value${f.count === 1 ? "" : "s"}` : "", f.row ? `the first on line ${f.row}` : ""]
    .filter(Boolean)
    .join(", ");
  return `${f.file ? f.file + ": " : ""}column ${column} — ${f.kind.replace(/_/g, " ")} (${found})`;
}
declare module "./screen.ts" {
  interface Finding {
    file?: string;
  }
}

/** The dictionary's part of the report: its path, version and the SHA-256 of its text. */
export function dictionaryReport(path: string, text: string, dict: Dictionary): DictionaryReport {
  return {path, version: dict.version, sha256: createHash("sha256").update(text).digest("hex")};
}

/** A file's report before its rows are counted. */
export function newFileReport(file: string, sha256: string, encoding: string, shape: FileShape, ignoredColumns: string[]): FileReport {
  return {file, sha256, encoding, ...shape, read: 0, accepted: 0, rejected: 0, duplicates: 0, ignoredColumns};
}

/** An ingest's id: its files, dictionary and start time, hashed. */
export function ingestIdOf(files: FileReport[], dictionary: DictionaryReport, startedAt: string): string {
  return createHash("sha256")
    .update(files.map((x) => x.sha256).join() + dictionary.sha256 + startedAt)
    .digest("hex")
    .slice(0, 12);
}

/**
 * A refusal as the command prints it and exits: identifiers → exit 2, a file that cannot be ingested
 * → exit 1; null for any other error (not a refusal).
 * @example refusalOf(new RefusedFile("/x/contacts.csv", "the file is empty (not even a header row)"))
 * // {reason: "the file is empty (not even a header row)", message: "refused contacts.csv: the file is empty (not even a header row)", exitCode: 1, file: "contacts.csv", findings: []}
 */
export function refusalOf(error: unknown): Omit<Refusal, "files"> | null {
  if (error instanceof IdentifierRefusal)
    return {reason: "direct identifiers", message: error.message, exitCode: 2, file: null, findings: error.findings};
  if (error instanceof RefusedFile) {
    const file = basename(error.file);
    const reason = error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message;
    return {reason, message: `refused ${error.message}`, exitCode: 1, file, findings: []};
  }
  return null;
}

/** Why a run that failed with an error other than a refusal stopped; its message is not repeated (it may quote the data). */
export const FAILED = "the ingest stopped with an error before it finished (the command printed it)";

/**
 * The report of a run that ingested nothing: refused (a refusal, see `refusalOf`) or failed (any other
 * error, whose message is left out), with the files it was given, its dictionary and its times.
 */
export function stoppedReport(dictionary: DictionaryReport, startedAt: string, files: string[], error: unknown): IngestReport {
  const refusal = refusalOf(error);
  return {
    status: refusal ? "refused" : "failed",
    ingestId: "",
    startedAt,
    finishedAt: new Date().toISOString(),
    dictionary,
    files: [],
    read: 0,
    accepted: 0,
    rejected: 0,
    duplicates: {total: 0, exactCopies: 0, superseded: 0},
    rejectedByRule: {},
    mappedCodes: [],
    unknownCodes: [],
    refusal: {
      ...(refusal ?? {reason: FAILED, message: FAILED, exitCode: 1, file: null, findings: []}),
      files: files.map((f) => basename(f)),
    },
  };
}

/** The report of an ingest refused for identifiers: nothing read, the findings. */
export function refusalReport(dictionary: DictionaryReport, startedAt: string, findings: Finding[], files: string[] = []): IngestReport {
  return stoppedReport(dictionary, startedAt, files, new IdentifierRefusal(findings));
}

/** Writes the report atomically (a temporary file renamed over it): a crash never leaves half a report. */
export function writeReport(path: string, report: IngestReport): void {
  mkdirSync(dirname(path), {recursive: true});
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, JSON.stringify(report, null, 2) + "\n");
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, {force: true});
  }
}
