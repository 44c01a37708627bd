/**
 * Ingest: anonymised extracts → validated, typed DuckDB warehouse.
 *
 * Every record read is accounted for: accepted, rejected (quarantined with file,
 * row, column, rule and a detail that prints no value) or a duplicate (an exact
 * copy, or a contact superseded by a later file). The command checks
 * accepted + rejected + duplicates = read itself. The warehouse is built in a
 * temporary file and swapped in at the end: a failed or refused ingest leaves the
 * previous warehouse untouched.
 */
import {createHash} from "node:crypto";
import {open} from "node:fs/promises";
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadDictionary, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows, withDuckDB} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {RefusedFile, utf8Path, type FileShape} from "./encoding.ts";
import {readHeader} from "./header.ts";
import {screenByContent, screenByName, screenValues, type Finding} from "./screen.ts";
import {checkedQuery, codesTypeSql, commonColumns, extrasOf, isCategorical, isCoded, specialColumn} from "./checked.ts";
import {fastLookups} from "./lookup.ts";
import {columnSql, mapsSql, UNKNOWN, type Rule} from "./validate.ts";

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
  dictionary: {path: string; version: string; sha256: string};
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

/** Thrown when an extract holds direct identifiers: exit code 2, nothing ingested. */
export class IdentifierRefusal extends Error {
  constructor(readonly findings: Finding[]) {
    super(
      "refused: the extract holds direct identifiers, so nothing was ingested. " +
        findings.map((f) => `${f.file ? f.file + ": " : ""}column "${f.column}" — ${f.kind.replace(/_/g, " ")} (by ${f.by}${f.count ? `, ${f.count} values` : ""})`).join("; "),
    );
  }
}
declare module "./screen.ts" {
  interface Finding {
    file?: string;
  }
}

const PARSE_DETAIL: Record<string, string> = {
  "MISSING COLUMNS": "the row has fewer fields than the header",
  "TOO MANY COLUMNS": "the row has more fields than the header",
  "UNQUOTED VALUE": "a field has a stray quote",
  "INVALID UNICODE": "the row is not valid UTF-8",
  "LINE SIZE OVER MAXIMUM": "the row is longer than 2 MB",
};

/**
 * The file's SHA-256, the numbers of its empty lines (DuckDB skips those, so
 * row numbers after them must be shifted) and its number of lines (a last line
 * without a line break counts; a final line break starts no line).
 * One read hashes the file, counts its line feeds and looks for an empty line with a native search
 * ("\n\n" or "\n\r\n", also across chunk edges); only a file that has one is read again, line by line.
 */
export async function hashAndBlankLines(path: string, {hash: hashing = true} = {}): Promise<{sha256: string; blankLines: number[]; lines: number}> {
  const hash = hashing ? createHash("sha256") : null;
  let tail = Buffer.from("\n"); // as if a line ended just before the file: a blank first line is found too
  let blank = false;
  let feeds = 0;
  let last = 10; // the file's last byte (a line feed before the file: an empty file has no line)
  for await (const buf of chunksOf(path)) {
    hash?.update(buf);
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) feeds++;
    if (buf.length) last = buf[buf.length - 1];
    if (!blank) {
      const edge = Buffer.concat([tail, buf.subarray(0, 2)]);
      blank = edge.includes("\n\n") || edge.includes("\n\r\n") || buf.includes("\n\n") || buf.includes("\n\r\n");
      tail = Buffer.from(buf.subarray(Math.max(0, buf.length - 2)));
    }
  }
  return {sha256: hash ? hash.digest("hex") : "", blankLines: blank ? await blankLineNumbers(path) : [], lines: feeds + (last === 10 ? 0 : 1)};
}

/**
 * A file's bytes, a MiB at a time, in one buffer read into again and again (each chunk is valid
 * until the next is asked for): a stream's fresh buffer per chunk made the million-contact file
 * cost ~0.5 s of CPU, mostly first touches of new memory, while DuckDB needs both cores.
 */
async function* chunksOf(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = (await file.read(buf, 0, buf.length, null)).bytesRead) > 0; ) yield buf.subarray(0, n);
  } finally {
    await file.close();
  }
}

/** The numbers of a file's empty lines (a line holding nothing, or only a carriage return). */
async function blankLineNumbers(path: string): Promise<number[]> {
  const blankLines: number[] = [];
  let line = 1;
  let pending = 0; // bytes of the current line seen in earlier chunks (capped at 2)
  let pendingCr = false; // and they were exactly one carriage return
  for await (const buf of chunksOf(path)) {
    let from = 0;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, from)) {
      const length = pending + (i - from);
      if (length === 0 || (length === 1 && (pending ? pendingCr : buf[from] === 13))) blankLines.push(line);
      line++;
      from = i + 1;
      pending = 0;
      pendingCr = false;
    }
    const rest = buf.length - from;
    if (rest > 0) {
      pendingCr = pending === 0 && rest === 1 && buf[from] === 13;
      pending = Math.min(2, pending + rest);
    }
  }
  return blankLines;
}

/**
 * DuckDB's CSV read buffer for a file: 2 MiB when every line is shorter than 128 KiB (checked
 * cheaply, see `linesShorterThan`), else DuckDB's default (undefined), 16 times the longest line
 * it reads (2,000,000 bytes; longer rows are rejected as row_shape, see PARSE_DETAIL). DuckDB
 * misreads lines that are long against its buffer (measured: rows of ~2 MB in 2 or 4 MiB buffers
 * gave a stray-quote reject and lost the rows' own rejects), so the small buffer keeps DuckDB's own
 * ratio of 16. Why smaller buffers: on the million-contact extract, half the page faults of the scan
 * and validation ~0.7 s faster here (medians of 5 interleaved runs); the same rows and rejects.
 */
export function csvBufferSize(path: string): number | undefined {
  return linesShorterThan(path, SHORT_LINE) ? 16 * SHORT_LINE : undefined;
}
const SHORT_LINE = 128 * 1024;

/**
 * True when every line of the file is surely shorter than `limit` bytes: each window of limit/2
 * bytes holds a line feed (so no two line feeds, or the file's ends, are limit or more apart).
 * Reads a few KiB per window, not the file. False is conservative: a line of limit/2 or more
 * may be there (or the file ends lines with a bare carriage return).
 */
export function linesShorterThan(path: string, limit: number): boolean {
  const half = Math.floor(limit / 2);
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const probe = Buffer.allocUnsafe(Math.min(half, 4096));
    const rest = half > probe.length ? Buffer.allocUnsafe(half - probe.length) : null;
    // The last, partial window needs no line feed: its line began at most half - 1 bytes before it.
    for (let start = 0; start + half <= size; start += half) {
      if (probe.subarray(0, readSync(fd, probe, 0, probe.length, start)).includes(10)) continue;
      if (!rest || !rest.subarray(0, readSync(fd, rest, 0, rest.length, start + probe.length)).includes(10)) return false;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The column of the header that holds a variable (names match case-insensitively). */
function headerMap(header: string[], dict: Dictionary): Map<string, string> {
  const map = new Map<string, string>();
  for (const h of header) {
    const v = dict.variables.find((x) => x.name === h.toLowerCase());
    if (v) map.set(v.name, h);
  }
  return map;
}

const idVariable = (dict: Dictionary): Variable => {
  const v = dict.variables.find((x) => x.role === "id");
  if (!v) throw new Error("the dictionary has no variable with role id: ingest needs one to count duplicates");
  return v;
};
const timeVariable = (dict: Dictionary): Variable | undefined => dict.variables.find((x) => x.role === "time");


export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const startedAt = new Date().toISOString();
  if (!options.files.length) throw new Error("no extract to ingest");
  const dictText = readFileSync(options.dictionary, "utf8");
  const dict = loadDictionary(options.dictionary);
  const dictHash = createHash("sha256").update(dictText).digest("hex");
  const id = idVariable(dict);
  const time = timeVariable(dict);
  const dbPath = resolve(options.db);
  mkdirSync(dirname(dbPath), {recursive: true});
  const tmpDb = `${dbPath}.tmp-${process.pid}`;
  const tmpDir = `${dbPath}.files-${process.pid}`;
  rmSync(tmpDb, {force: true});
  mkdirSync(tmpDir, {recursive: true});
  const stage = options.onStage ?? (() => {});
  try {
    const report = await withDuckDB(async (db, instance) => {
      // Bounded memory: DuckDB spills to the temporary folder rather than take most of the machine.
      await db.run(`SET memory_limit = '1536MB'; SET temp_directory = ${literal(tmpDir)}`);
      const files: FileReport[] = [];
      const checkedSelects: string[] = [];
      const screens: Screen[] = [];
      const findings: Finding[] = [];
      const allVars = dict.variables;
      const stages = options.files.length * 2 + 3;
      let step = 0;
      const commonCols = commonColumns(dict);
      // The warehouse is built from the start: the checked tables keep codes in its ENUM types.
      await db.run(`ATTACH ${options.onWarehouse ? "':memory:'" : literal(tmpDb)} AS wh`);
      for (const sql of codesTypeSql(dict)) await db.run(sql);
      for (const [f, file] of options.files.entries()) {
        stage(`reading ${basename(file)}`, step++, stages);
        if (!existsSync(file)) throw new RefusedFile(file, "no such file");
        const src = await utf8Path(file, options.encoding, join(tmpDir, `${f}.csv`));
        const header = readHeader(src.path, file);
        const map = headerMap(header, dict);
        const missing = dict.variables.filter((v) => v.required && !map.has(v.name)).map((v) => v.name);
        if (missing.length) throw new RefusedFile(file, `required column${missing.length > 1 ? "s" : ""} missing from the header: ${missing.join(", ")}`);
        const ignoredColumns = header.filter((h) => !dict.variables.some((v) => v.name === h.toLowerCase()));
        findings.push(...screenByName(header, dict).map((x) => ({...x, file: basename(file)})));
        const columnTypes = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(", ")}}`;
        // Explicit dialect and columns: no sniffing, so no silent guess about the file. Small read buffers
        // for a file of short lines (see csvBufferSize), checked below.
        const small = src.path === file ? csvBufferSize(src.path) : undefined;
        const csv = (buffer: number | undefined) => `read_csv(${literal(src.path)}, header = true, auto_detect = false,
          columns = ${columnTypes}, delim = ',', quote = '"', escape = '"', null_padding = false, ${buffer ? `buffer_size = ${buffer}, ` : ""}
          store_rejects = true, rejects_table = 'rej_${f}', rejects_scan = 'scan_${f}')`;
        const lookups = await fastLookups(db, dict, src.path, header, map, `_fast_${f}`);
        const checked = (buffer: number | undefined) => checkedQuery(dict, header, map, lookups, csv(buffer));
        const {sql: checkedSql, screened, screenSources, failedValues} = checked(small);
        // The file is hashed while DuckDB validates it (the JS thread is idle then).
        // A warehouse handed to onWarehouse (scoring) is not kept, so its files need no SHA-256: hashing
        // a million contacts costs ~0.5 s of CPU while DuckDB needs both cores.
        const hashing = hashAndBlankLines(file, {hash: !options.onWarehouse});
        hashing.catch(() => {}); // awaited below; no unhandled rejection if validation fails first
        await createKeepingFileOrder(db, `checked_${f}`, checkedSql, join(tmpDir, `plan-${f}.json`));
        const {sha256, blankLines, lines} = await hashing;
        let rejected = await queryRows(db, `SELECT DISTINCT line FROM rej_${f}`);
        if (small) {
          // Every line must be the header, a row, a rejected row or a blank line. When not, some value spans
          // lines (a quoted line break), and DuckDB reads a record much longer than its buffer differently
          // (measured: a 6 MB value split into thousands of rejects instead of one): read again with its defaults.
          const [{rows}] = await queryRows(db, `SELECT count(*) AS rows FROM checked_${f}`);
          if (1 + Number(rows) + rejected.length + blankLines.length !== lines) {
            await db.run(`DROP TABLE checked_${f}; DROP TABLE rej_${f}; DROP TABLE scan_${f}`);
            await createKeepingFileOrder(db, `checked_${f}`, checked(undefined).sql, join(tmpDir, `plan-${f}.json`));
            rejected = await queryRows(db, `SELECT DISTINCT line FROM rej_${f}`);
          }
        }
        screens.push({file, screened, sources: screenSources(`checked_${f}`), failed: failedValues(`checked_${f}`)});
        // Row numbers: DuckDB skips rows it cannot parse and blank lines; row k of the table sits after
        // every skipped line before it.
        const skipped = [...new Set([...rejected.map((r) => Number(r.line)), ...blankLines])].sort((a, b) => a - b);
        files.push({file, sha256, encoding: src.encoding, ...src.shape, read: 0, accepted: 0, rejected: 0, duplicates: 0, ignoredColumns});
        const rowSql = await rowNumbers(db, f, skipped);
        checkedSelects.push(`SELECT ${f} AS _file, c.rowid AS _rid, CAST(${rowSql.expr} AS BIGINT) AS _row, ${commonCols.join(", ")} FROM checked_${f} c ${rowSql.join}`);
      }
      await db.run(`CREATE VIEW checked AS ${checkedSelects.join("\nUNION ALL\n")}`);
      const cats = allVars.filter(isCategorical);
      const monthOf = (c: string) => (time ? `strftime(${c}.${ident(time.name)}, '%Y-%m')` : "NULL");
      // Identifier screening and the spellings run on a second connection while this one finds
      // duplicates and writes the warehouse (whose writing leaves a core mostly idle). The warehouse is a
      // temporary file until everything has passed: on a refusal it is deleted, never swapped in.
      const screening = instance.connect().then((other) => screenAndSpell(other, dict, options.files, screens, monthOf, (file) => stage(`screening ${basename(file)}`, step++, stages)));
      screening.catch(() => {}); // awaited below
      try {
        // Nothing more is worth doing once a column is refused by its name.
        if (findings.length) throw new IdentifierRefusal([...findings, ...(await screening)]);
        stage("validating", step++, stages);
        stage("finding duplicates", step, stages);
        // Duplicates among valid rows: exact copies within a file are dropped; the same id with
        // different content within a file is a rejected duplicate_id; across files the later file wins.
        // Only ids seen more than once can be duplicates, so only their rows are ranked.
        const idc = ident(id.name);
        await db.run(`CREATE TEMP TABLE ranked AS SELECT _file, _rid, _row, ${monthOf("c")} AS _month, _hash, ${idc},
            row_number() OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS in_file,
            first_value(_hash) OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS first_hash
          FROM checked c SEMI JOIN (SELECT ${idc} FROM checked WHERE _violations IS NULL GROUP BY ${idc} HAVING count(*) > 1) d ON c.${idc} IS NOT DISTINCT FROM d.${idc}
          WHERE _violations IS NULL`);
        await db.run(`CREATE TEMP TABLE fate AS SELECT _file, _rid, _row, _month,
            CASE WHEN in_file > 1 AND _hash = first_hash THEN 'exact_copy'
                 WHEN in_file > 1 THEN 'duplicate_id'
                 WHEN row_number() OVER (PARTITION BY ${idc}, in_file = 1 ORDER BY _file DESC) > 1 THEN 'superseded'
                 ELSE 'accepted' END AS fate
          FROM ranked`);

        stage("writing the warehouse", step++, stages);
        const outCols = allVars.flatMap((v) => [ident(v.name), ...(v.special_codes?.length ? [ident(specialColumn(v))] : [])]);
        // Duplicates are flagged in place, so the warehouse is written by a plain scan and filter of the
        // checked rows (a join here would make DuckDB write the table on one thread).
        for (const f of options.files.keys()) {
          await db.run(`UPDATE checked_${f} SET _dup = true WHERE rowid IN (SELECT _rid FROM fate WHERE _file = ${f} AND fate <> 'accepted')`);
        }
        const accepted = "c._violations IS NULL AND c._dup IS NULL";
        // Codes are stored as the dictionary's ENUMs (contacts_coded); the `contacts` view reads them as
        // text, so every reader sees plain VARCHAR codes (sorting, comparing, coalescing as text).
        // Texts (the ids) are stored without dictionary or FSST compression: analysing a million distinct
        // ids for them costs about as much as writing everything else (measured 1.6 s → 0.8 s), for a
        // file a few tens of MB larger.
        const acceptedRows = `SELECT ${outCols.map((c) => `c.${c}`).join(", ")}, c._file AS source_file, c._row AS source_row FROM memory.main.checked c WHERE ${accepted}`;
        if (options.onWarehouse) {
          // Nothing is kept: the accepted rows are read where they already are (no copy).
          await db.run(`CREATE VIEW wh.contacts_coded AS ${acceptedRows}`);
        } else {
          await db.run("SET disabled_compression_methods = 'dictionary,fsst'");
          await db.run(`CREATE TABLE wh.contacts_coded AS ${acceptedRows}`);
          await db.run("RESET disabled_compression_methods");
        }
        const asText = allVars.filter(isCoded).map((v) => `CAST(${ident(v.name)} AS VARCHAR${v.type === "multi-category" ? "[]" : ""}) AS ${ident(v.name)}`);
        // Unqualified names in a view bind in its own database, however the warehouse is attached later.
        await inWarehouse(db, async () => {
          await db.run(`CREATE VIEW contacts AS SELECT * ${asText.length ? `REPLACE (${asText.join(", ")})` : ""} FROM contacts_coded`);
          // The long table of each multi-category variable: one row per contact and item, in the contacts' order.
          for (const v of allVars.filter((x) => x.type === "multi-category")) {
            await db.run(`CREATE VIEW ${ident(`contact_${v.name}`)} AS SELECT ${idc}, CAST(unnest(${ident(v.name)}) AS VARCHAR) AS ${ident(singular(v.name))} FROM contacts_coded`);
          }
        });
        const fileNames = `[${options.files.map((f) => literal(basename(f))).join(", ")}]`;
        await db.run(`CREATE TABLE wh.rejects AS
          SELECT ${fileNames}[_file + 1] AS file, _row AS "row", _month AS month, v.column AS "column", v.rule AS rule, v.detail AS detail
            FROM (SELECT _file, _row, ${monthOf("c")} AS _month, unnest(_violations) AS v FROM checked c WHERE _violations IS NOT NULL)
          UNION ALL
          SELECT ${fileNames}[_file + 1], _row, _month, ${literal(id.name)}, 'duplicate_id', 'the same ${id.name} appears earlier in this file with different content'
            FROM fate WHERE fate = 'duplicate_id'
          ${options.files.map((_, f) => `UNION ALL SELECT ${fileNames}[${f + 1}], line, NULL, NULL, 'row_shape', ${caseDetail("error_type")} FROM (SELECT line, min(error_type) AS error_type FROM rej_${f} GROUP BY line)`).join("\n")}
          ORDER BY file, "row", "column", rule, detail`);
        findings.push(...(await screening));
        if (findings.length) throw new IdentifierRefusal(findings);
        // Every ORDER BY below is total (ties broken by every column): same extract, same tables, row for row.
        // Terminology: every spelling mapped to a code, by month (synonym, case or whitespace), for
        // non-sensitive categorical variables; and spellings no code matches (identifiers were screened first).
        const described = `variable IN (${["", ...cats.filter((v) => v.sensitivity === "none").map((v) => v.name)].map(literal).join(", ")})`;
        await db.run(`CREATE TABLE wh.code_mappings AS SELECT variable, month, spelling, code,
            CASE WHEN spelling = code THEN 'whitespace' WHEN lower(spelling) = lower(code) THEN 'case' ELSE 'synonym' END AS kind,
            count(*) AS n
          FROM spellings WHERE ${described} AND code IS NOT NULL AND raw <> code
          GROUP BY ALL ORDER BY variable, month, n DESC, spelling, code, kind`);
        await db.run(`CREATE TABLE wh.unknown_codes AS SELECT variable, left(spelling, 40) AS spelling, count(*) AS n
          FROM spellings WHERE ${described} AND code IS NULL AND lower(spelling) NOT IN (${dict.missing_markers.map((m) => literal(m.toLowerCase())).join(", ")})
          GROUP BY ALL ORDER BY n DESC, variable, spelling`);

        // Accounting, per file and in total; the command refuses to finish if it does not add up.
        const perFileCounts = await queryRows(db, `SELECT c._file, count(*) FILTER (WHERE ${accepted}) AS accepted,
            count(*) FILTER (WHERE c._violations IS NOT NULL OR fate.fate = 'duplicate_id') AS rejected,
            count(*) FILTER (WHERE fate.fate IN ('exact_copy', 'superseded')) AS duplicates,
            count(*) AS parsed
          FROM checked c LEFT JOIN fate USING (_file, _rid) GROUP BY c._file ORDER BY c._file`);
        for (const [f, fr] of files.entries()) {
          const row = perFileCounts.find((r) => Number(r._file) === f);
          const [{n}] = await queryRows(db, `SELECT count(DISTINCT line) AS n FROM rej_${f}`);
          fr.accepted = Number(row?.accepted ?? 0);
          fr.rejected = Number(row?.rejected ?? 0) + Number(n);
          fr.duplicates = Number(row?.duplicates ?? 0);
          fr.read = Number(row?.parsed ?? 0) + Number(n);
          if (fr.accepted + fr.rejected + fr.duplicates !== fr.read) {
            throw new Error(`accounting does not add up for ${basename(fr.file)}: ${fr.accepted} accepted + ${fr.rejected} rejected + ${fr.duplicates} duplicates ≠ ${fr.read} read`);
          }
        }
        const [{contacts}] = await queryRows(db, `SELECT count(*) AS contacts FROM wh.contacts`);
        const sum = (k: "read" | "accepted" | "rejected" | "duplicates") => files.reduce((a, x) => a + x[k], 0);
        if (Number(contacts) !== sum("accepted")) throw new Error(`the warehouse holds ${contacts} contacts but ${sum("accepted")} were accepted`);
        const byRule = await queryRows(db, `SELECT rule, count(DISTINCT (file, "row")) AS n FROM wh.rejects GROUP BY rule ORDER BY n DESC, rule`);
        const fates = await queryRows(db, `SELECT fate, count(*) AS n FROM fate GROUP BY fate`);
        const fateN = (k: string) => Number(fates.find((r) => r.fate === k)?.n ?? 0);
        const mapped = await queryRows(db, `SELECT variable, kind, spelling, code, sum(n) AS n FROM wh.code_mappings GROUP BY ALL ORDER BY n DESC, variable, kind, spelling, code`);
        const unknown = await queryRows(db, `SELECT * FROM wh.unknown_codes`);

        const finishedAt = new Date().toISOString();
        const ingestId = createHash("sha256").update(files.map((x) => x.sha256).join() + dictHash + startedAt).digest("hex").slice(0, 12);
        const rep: IngestReport = {
          ingestId, startedAt, finishedAt,
          dictionary: {path: options.dictionary, version: dict.version, sha256: dictHash},
          files: files.map((x) => ({...x, file: basename(x.file)})),
          read: sum("read"), accepted: sum("accepted"), rejected: sum("rejected"),
          duplicates: {total: sum("duplicates"), exactCopies: fateN("exact_copy"), superseded: fateN("superseded")},
          rejectedByRule: Object.fromEntries(byRule.map((r) => [String(r.rule), Number(r.n)])),
          mappedCodes: mapped as IngestReport["mappedCodes"],
          unknownCodes: unknown as IngestReport["unknownCodes"],
          refusal: null,
        };
        await writeRunTables(db, rep, options.onWarehouse ? null : dbPath);
        const onWarehouse = options.onWarehouse;
        if (onWarehouse) await inWarehouse(db, () => onWarehouse(db));
        // The checked tables use the warehouse's ENUM types: dropped before the warehouse is detached.
        for (const f of options.files.keys()) await db.run(`DROP TABLE checked_${f}`);
        await db.run("DETACH wh");
        return rep;
      } finally {
        await screening.catch(() => {}); // never close the database under a running screen
      }
    });
    if (!options.onWarehouse) renameSync(tmpDb, dbPath);
    writeFileSync(options.report, JSON.stringify(report, null, 2) + "\n");
    stage("done", 1, 1);
    return report;
  } catch (error) {
    rmSync(tmpDb, {force: true});
    if (error instanceof IdentifierRefusal) {
      const refusal: IngestReport = {
        ingestId: "", startedAt, finishedAt: new Date().toISOString(),
        dictionary: {path: options.dictionary, version: dict.version, sha256: dictHash},
        files: [], read: 0, accepted: 0, rejected: 0, duplicates: {total: 0, exactCopies: 0, superseded: 0},
        rejectedByRule: {}, mappedCodes: [], unknownCodes: [],
        refusal: {reason: "direct identifiers", findings: error.findings},
      };
      writeFileSync(options.report, JSON.stringify(refusal, null, 2) + "\n");
    }
    throw error;
  } finally {
    rmSync(tmpDir, {recursive: true, force: true});
    rmSync(`${tmpDb}.wal`, {force: true});
  }
}

/** Runs `work` with the warehouse (alias wh) as the connection's current database. */
async function inWarehouse(db: DuckDBConnection, work: () => Promise<void>): Promise<void> {
  await db.run("USE wh");
  try {
    await work();
  } finally {
    await db.run("USE memory");
  }
}

/**
 * On its own connection `db` (the checked tables are plain in-memory tables, so it sees them):
 * screens each file's checked rows for identifiers by content, then collects the raw spellings that
 * are not exactly a code with their code (table `spellings`) and screens those that match none.
 * Returns the findings; `step` is called as each file's screening starts. Closes `db`.
 */
async function screenAndSpell(db: DuckDBConnection, dict: Dictionary, files: string[], screens: Screen[], monthOf: (alias: string) => string, step: (file: string) => void): Promise<Finding[]> {
  const findings: Finding[] = [];
  try {
    for (const s of screens) {
      step(s.file);
      const f = files.indexOf(s.file);
      findings.push(...(await screenByContent(db, `checked_${f}`, s.screened, dict, s.sources)).map((x) => ({...x, file: basename(s.file)})));
      if (s.failed) findings.push(...(await screenValues(db, s.failed, dict)).map((x) => ({...x, file: basename(s.file)})));
    }
    const cats = dict.variables.filter(isCategorical);
    await db.run(`CREATE TABLE raw_spellings AS SELECT month, "key", v FROM ${extrasOf("checked c", `${monthOf("c")} AS month, `)} WHERE starts_with("key", '_raw_')`);
    const spellingSelects = cats.map((v) => `SELECT ${literal(v.name)} AS variable, month, c.v AS raw,
        trim(c.v) AS spelling, NULLIF(${columnSql(dict, v, "c.v").prep}, ${literal(UNKNOWN)}) AS code
        FROM raw_spellings c CROSS JOIN ${mapsSql([v], dict.missing_markers)} WHERE c."key" = ${literal("_raw_" + v.name)}`);
    await db.run(`CREATE TABLE spellings AS ${spellingSelects.length ? spellingSelects.join(" UNION ALL ") : "SELECT NULL::VARCHAR AS variable, NULL::VARCHAR AS month, NULL::VARCHAR AS raw, NULL::VARCHAR AS spelling, NULL::VARCHAR AS code WHERE false"}`);
    // Spellings that matched no code are screened for identifiers (those that matched a code are safe).
    if (cats.length) findings.push(...(await screenValues(db, `SELECT variable AS "column", raw AS v FROM spellings WHERE code IS NULL`)));
    return findings;
  } finally {
    db.closeSync();
  }
}

/** What `screenAndSpell` screens in one file's checked table. */
interface Screen {
  file: string;
  screened: string[];
  sources: Record<string, string>;
  failed: string | null;
}

/**
 * Row numbers come from the order DuckDB stores the rows in (the file's order, as it keeps insertion
 * order): only scans, projections and the cross join with the one-row look-up table keep it. A join
 * (e.g. DuckDB's rewrite of a long IN list) would not, and would put wrong row numbers on rejects.
 * So the checked table is created with profiling on, and the plan that actually ran is checked
 * (one planning of a long query, not two as with EXPLAIN first); a table from a plan that could
 * reorder rows is dropped and ingest stops.
 */
const ORDER_KEEPING = new Set(["READ_CSV", "TABLE_SCAN", "PROJECTION", "CROSS_PRODUCT", "DUMMY_SCAN", "CREATE_TABLE_AS", "BATCH_CREATE_TABLE_AS"]);
async function createKeepingFileOrder(db: DuckDBConnection, table: string, sql: string, profile: string): Promise<void> {
  type Op = {operator_type?: string; children?: Op[]};
  await db.run(`SET enable_profiling = 'json'; SET profiling_output = ${literal(profile)}`);
  try {
    await db.run(`CREATE TABLE ${table} AS ${sql}`);
  } finally {
    await db.run(`SET enable_profiling = 'no_output'; PRAGMA disable_profiling`);
  }
  const others = new Set<string>();
  let operators = 0;
  const walk = (op: Op) => {
    if (op.operator_type !== undefined) {
      operators++;
      if (!ORDER_KEEPING.has(op.operator_type)) others.add(op.operator_type);
    }
    op.children?.forEach(walk);
  };
  walk(JSON.parse(readFileSync(profile, "utf8")) as Op);
  if (!operators || others.size) {
    await db.run(`DROP TABLE ${table}`);
    throw new Error(`internal error: the validation query would not keep the file's row order (${others.size ? [...others].join(", ") : "no plan profiled"})`);
  }
}

/** Above this many skipped lines, row numbers come from a join rather than a search tree in SQL. */
const MAX_TREE = 4096;

/**
 * SQL for the line number of each row of `checked_<f>` (alias c): a parsed row
 * sits after the header and every line skipped before it (rejected rows, blank
 * lines). `skipped` is sorted. Row k follows skipped line i when k >= (the rows
 * parsed before that line) = line - 2 - (i - 1), so its line is k + 2 + (the
 * number of such i).
 */
async function rowNumbers(db: DuckDBConnection, f: number, skipped: number[]): Promise<{expr: string; join: string}> {
  const before = skipped.map((line, i) => line - 2 - i);
  if (before.length <= MAX_TREE) {
    // A balanced search: depth log2(skipped lines), no join.
    const count = (lo: number, hi: number): string => {
      if (lo === hi) return String(lo);
      const mid = (lo + hi) >> 1;
      return `CASE WHEN c.rowid >= ${before[mid]} THEN ${count(mid + 1, hi)} ELSE ${count(lo, mid)} END`;
    };
    return {expr: `c.rowid + 2 + ${count(0, before.length)}`, join: ""};
  }
  // Several skipped lines in a row share one threshold: the row after them follows all of them.
  const n = new Map<number, number>();
  before.forEach((b, i) => n.set(b, i + 1));
  await db.run(`CREATE TABLE skipped_${f} AS SELECT unnest([${[...n.keys()].join(", ")}]::BIGINT[]) AS b, unnest([${[...n.values()].join(", ")}]::BIGINT[]) AS n`);
  // Row numbers kept apart (joining the wide checked table to them would carry every column through a sort).
  await db.run(`CREATE TABLE rowmap_${f} AS SELECT c.rowid AS _rid, c.rowid + 2 + coalesce(s.n, 0) AS _row
    FROM checked_${f} c ASOF LEFT JOIN skipped_${f} s ON c.rowid >= s.b`);
  return {expr: "m._row", join: `JOIN rowmap_${f} m ON m._rid = c.rowid`};
}

const singular = (name: string) => (name.endsWith("s") ? name.slice(0, -1) : name);

function caseDetail(col: string): string {
  return `CASE ${Object.entries(PARSE_DETAIL).map(([k, v]) => `WHEN ${col} = ${literal(k)} THEN ${literal(v)}`).join(" ")} ELSE 'the row cannot be parsed as CSV' END`;
}

/** The ingest history (kept across ingests) and this run's files. */
async function writeRunTables(db: DuckDBConnection, rep: IngestReport, previousDb: string | null): Promise<void> {
  await db.run(`CREATE TABLE wh.ingest_runs (ingest_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, dictionary_version VARCHAR,
    dictionary_sha256 VARCHAR, files INTEGER, "read" BIGINT, accepted BIGINT, rejected BIGINT, duplicates BIGINT)`);
  if (previousDb && existsSync(previousDb)) {
    try {
      await db.run(`ATTACH ${literal(previousDb)} AS prev (READ_ONLY)`);
      await db.run(`INSERT INTO wh.ingest_runs SELECT * FROM prev.ingest_runs`);
      await db.run(`DETACH prev`);
    } catch {
      // An older warehouse without history: start a new one.
    }
  }
  await db.run(`INSERT INTO wh.ingest_runs VALUES (${literal(rep.ingestId)}, ${literal(rep.startedAt)}, ${literal(rep.finishedAt)},
    ${literal(rep.dictionary.version)}, ${literal(rep.dictionary.sha256)}, ${rep.files.length}, ${rep.read}, ${rep.accepted}, ${rep.rejected}, ${rep.duplicates.total})`);
  await db.run(`CREATE TABLE wh.ingest_files AS SELECT * FROM (VALUES ${rep.files
    .map((f) => `(${literal(rep.ingestId)}, ${literal(f.file)}, ${literal(f.sha256)}, ${f.bytes}, ${literal(f.encoding)}, ${f.bom ? literal(f.bom) : "NULL"}, ${f.crlf}, ${f.read}, ${f.accepted}, ${f.rejected}, ${f.duplicates})`)
    .join(", ")}) t(ingest_id, file, sha256, bytes, encoding, bom, crlf, "read", accepted, rejected, duplicates)`);
  await db.run(`CREATE TABLE wh.meta AS SELECT ${literal(rep.ingestId)} AS ingest_id, ${literal(rep.dictionary.version)} AS dictionary_version, ${literal(rep.dictionary.sha256)} AS dictionary_sha256`);
}

export {UNKNOWN, specialColumn};
export type {Rule};
