/**
 * Ingest: anonymised extracts → validated, typed DuckDB warehouse.
 *
 * Every record read is accounted for: accepted, rejected (quarantined with file,
 * row, column, rule and a detail that prints no value) or a duplicate (an exact
 * copy, or a contact superseded by a later file). The command checks
 * accepted + rejected + duplicates = read itself. The warehouse is built in a
 * temporary file and swapped in at the end: a failed or refused ingest leaves the
 * previous warehouse untouched, and writes a report saying why (report.ts).
 *
 * Direct identifiers are refused before anything else is: a file failing a check (header, encoding,
 * required columns) is refused only after every file's raw text has been screened (raw-screen.ts).
 *
 * The steps, each in its own module: check-file.ts (one file into its checked table, with file.ts,
 * header.ts, checked.ts and order.ts), screening.ts (identifiers, on a second connection),
 * duplicates.ts, warehouse.ts and runs.ts (the tables written), accounting.ts and report.ts.
 */
import {mkdirSync, readFileSync, renameSync, rmSync} from "node:fs";
import {basename, dirname, resolve} from "node:path";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {loadDictionary, variable, type Dictionary, type Variable} from "../dictionary.ts";
import {withDuckDB} from "../db.ts";
import {summarise} from "./accounting.ts";
import {checkFile} from "./check-file.ts";
import {specialColumn} from "./checked.ts";
import {findDuplicates, flagDuplicates} from "./duplicates.ts";
import {
  dictionaryReport,
  IdentifierRefusal,
  stoppedReport,
  writeReport,
  type DictionaryReport,
  type FileReport,
  type IngestReport,
} from "./report.ts";
import {screenRawFiles} from "./raw-screen.ts";
import {writeRunTables} from "./runs.ts";
import type {Finding} from "./screen.ts";
import {startScreening, type Screen} from "./screening.ts";
import {checkedViewSql, monthSql} from "./tables.ts";
import {UNKNOWN, type Rule} from "./validate.ts";
import {closeWarehouse, inWarehouse, openWarehouse, writeContacts, writeRejects, writeTerminology} from "./warehouse.ts";

export interface IngestOptions {
  files: string[];
  dictionary: string;
  db: string;
  report: string;
  /** declared encoding of every file (default UTF-8) */
  encoding?: string;
  onStage?: (stage: string, done: number, total: number) => void;
  /**
   * When given, the warehouse is built in memory and handed to this (as the connection's current
   * database) instead of being written to `db`: for scoring, which validates exactly as ingest does
   * but needs no warehouse file.
   */
  onWarehouse?: (db: DuckDBConnection) => Promise<void>;
}

/** What every step of one ingest needs. */
interface Run {
  options: IngestOptions;
  startedAt: string;
  dict: Dictionary;
  dictionary: DictionaryReport;
  /** the record key, to find duplicates */
  id: Variable;
  /** SQL for a checked row's month, on alias c */
  month: string;
  /** the warehouse path, and the temporary file and folder it is built in */
  dbPath: string;
  tmpDb: string;
  tmpDir: string;
  stages: Progress;
}

/**
 * Ingests the extracts and writes the report; a run that is refused or fails writes a report saying so
 * (`status`, `refusal`: why, in the words the command prints) and leaves the previous warehouse as it
 * was, so the report always describes the last run and the warehouse the last accepted one.
 */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const startedAt = new Date().toISOString();
  let run: Run | undefined;
  try {
    if (!options.files.length) throw new Error("no extract to ingest");
    run = prepare(options, startedAt);
    const report = await withDuckDB((db, instance) => build(db, instance, run!));
    if (!options.onWarehouse) renameSync(run.tmpDb, run.dbPath);
    writeReport(options.report, report);
    run.stages.done();
    return report;
  } catch (error) {
    if (run) rmSync(run.tmpDb, {force: true});
    reportStopped(options, run?.dictionary ?? unreadDictionary(options.dictionary), startedAt, error);
    throw error;
  } finally {
    if (run) {
      rmSync(run.tmpDir, {recursive: true, force: true});
      rmSync(`${run.tmpDb}.wal`, {force: true});
    }
  }
}

/** Writes the report of a run refused or failed; when even that fails, removes the older report rather than leave it standing. */
function reportStopped(options: IngestOptions, dictionary: DictionaryReport, startedAt: string, error: unknown): void {
  try {
    writeReport(options.report, stoppedReport(dictionary, startedAt, options.files, error));
  } catch {
    rmSync(options.report, {force: true});
  }
}

/** The dictionary's part of the report when the dictionary could not be read: its path only. */
const unreadDictionary = (path: string): DictionaryReport => ({path, version: "", sha256: ""});

/** Reads the dictionary and makes the temporary folder the warehouse is built beside. */
function prepare(options: IngestOptions, startedAt: string): Run {
  const text = readFileSync(options.dictionary, "utf8");
  const dict = loadDictionary(options.dictionary);
  const dictionary = dictionaryReport(options.dictionary, text, dict);
  // Duplicates are counted on the record key, months read from the event time: both roles.
  const id = variable(dict, dict.roles.record);
  const month = monthSql(variable(dict, dict.roles.event_time), "c");
  const dbPath = resolve(options.db);
  mkdirSync(dirname(dbPath), {recursive: true});
  const tmpDb = `${dbPath}.tmp-${process.pid}`;
  const tmpDir = `${dbPath}.files-${process.pid}`;
  rmSync(tmpDb, {force: true});
  mkdirSync(tmpDir, {recursive: true});
  return {options, startedAt, dict, dictionary, id, month, dbPath, tmpDb, tmpDir, stages: progress(options.onStage, options.files.length)};
}

/** The ingest proper, on an in-memory database: checked tables, screens, duplicates, warehouse, report. */
async function build(db: DuckDBConnection, instance: DuckDBInstance, run: Run): Promise<IngestReport> {
  const {options, dict, id, month, stages} = run;
  const onWarehouse = options.onWarehouse;
  await openWarehouse(db, dict, onWarehouse ? null : run.tmpDb, run.tmpDir);
  const {files, screens, findings} = await checkFiles(db, run).catch((error: unknown) => identifiersFirst(db, run, error));
  // Identifier screening and the spellings run on a second connection while this one finds
  // duplicates and writes the warehouse. The warehouse is a temporary file until everything has
  // passed: on a refusal it is deleted, never swapped in.
  const screening = startScreening(instance, dict, screens, month, (file) => stages.next(`screening ${basename(file)}`));
  try {
    // Nothing more is worth doing once a column is refused by its name.
    if (findings.length) throw new IdentifierRefusal([...findings, ...(await screening.catch(() => []))]);
    stages.next("validating");
    stages.at("finding duplicates");
    await findDuplicates(db, id, month);
    stages.next("writing the warehouse");
    await flagDuplicates(db, options.files.length);
    await writeContacts(db, dict, id, {keep: !onWarehouse});
    await writeRejects(
      db,
      options.files.map((f) => basename(f)),
      id,
      month,
    );
    const found = await screening;
    if (found.length) throw new IdentifierRefusal(found);
    await writeTerminology(db, dict);
    const report: IngestReport = {status: "accepted", ...(await summarise(db, files, run.dictionary, run.startedAt))};
    await writeRunTables(db, report, onWarehouse ? null : run.dbPath);
    if (onWarehouse) await inWarehouse(db, () => onWarehouse(db));
    await closeWarehouse(db, options.files.length);
    return report;
  } catch (error) {
    // A refusal for identifiers comes before any other error.
    const found = error instanceof IdentifierRefusal ? [] : await screening.catch(() => []);
    throw found.length ? new IdentifierRefusal(found) : error;
  } finally {
    await screening.catch(() => {}); // never close the database under a running screen
  }
}

/**
 * Identifiers are refused before anything else: when a file fails a check before the screens of
 * checked rows (a bad header, a missing required column, an encoding not declared…), every file's
 * raw text is screened first (raw-screen.ts), and the check's own error (`error`) is thrown only
 * when no identifier is found (or the text cannot be read even as raw text).
 */
async function identifiersFirst(db: DuckDBConnection, {options, dict, tmpDir}: Run, error: unknown): Promise<never> {
  let found: Finding[];
  try {
    found = await screenRawFiles(db, dict, options.files, {encoding: options.encoding, tmpDir});
  } catch {
    throw error;
  }
  throw found.length ? new IdentifierRefusal(found) : error;
}

/** Every file into its checked table, then the `checked` view over them all. */
async function checkFiles(
  db: DuckDBConnection,
  {options, dict, tmpDir, stages}: Run,
): Promise<{files: FileReport[]; screens: Screen[]; findings: Finding[]}> {
  const files: FileReport[] = [];
  const screens: Screen[] = [];
  const findings: Finding[] = [];
  const selects: string[] = [];
  for (const [f, file] of options.files.entries()) {
    stages.next(`reading ${basename(file)}`);
    // A warehouse handed to onWarehouse (scoring) is not kept, so its files need no SHA-256.
    const checked = await checkFile(db, dict, f, file, {encoding: options.encoding, tmpDir, hash: !options.onWarehouse});
    files.push(checked.report);
    screens.push(checked.screen);
    findings.push(...checked.findings);
    selects.push(checked.select);
  }
  await db.run(checkedViewSql(selects));
  return {files, screens, findings};
}

interface Progress {
  /** a stage starts, and counts as one step done */
  next(stage: string): void;
  /** a stage starts within the current step */
  at(stage: string): void;
  done(): void;
}

/** Progress through an ingest: reading and screening each file, then validating, finding duplicates and writing. */
function progress(onStage: IngestOptions["onStage"] = () => {}, files: number): Progress {
  const total = files * 2 + 3;
  let step = 0;
  return {
    next: (stage) => onStage(stage, step++, total),
    at: (stage) => onStage(stage, step, total),
    done: () => onStage("done", 1, 1),
  };
}

export {IdentifierRefusal, specialColumn, UNKNOWN};
export type {FileReport, IngestReport, Rule};
