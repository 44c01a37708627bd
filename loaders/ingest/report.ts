/**
 * What an ingest reports (the JSON written beside the warehouse, and what `ingest` returns): per
 * file and in total, every row read accepted, rejected or a duplicate; the codes mapped and the
 * spellings no code matched; or, for a refused extract, the identifiers found and nothing else.
 */
import {createHash} from "node:crypto";
import {writeFileSync} from "node:fs";
import type {Dictionary} from "../dictionary.ts";
import type {FileShape} from "./encoding.ts";
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
  refusal: null | {reason: string; findings: Finding[]};
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

/** The report of an ingest refused for identifiers: nothing read, the findings. */
export function refusalReport(dictionary: DictionaryReport, startedAt: string, findings: Finding[]): IngestReport {
  return {
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
    refusal: {reason: "direct identifiers", findings},
  };
}

export function writeReport(path: string, report: IngestReport): void {
  writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
}
