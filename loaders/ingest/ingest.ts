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
import {createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadDictionary, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows, withDuckDB} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {RefusedFile, utf8Path, type FileShape} from "./encoding.ts";
import {readHeader} from "./header.ts";
import {screenByContent, screenByName, screenValues, VALIDATED_TYPES, type Finding} from "./screen.ts";
import {columnSql, mapsSql, orderChecks, specialSql, UNKNOWN, type ColumnSql, type Rule} from "./validate.ts";

export interface IngestOptions {
  files: string[];
  dictionary: string;
  db: string;
  report: string;
  /** declared encoding of every file (default UTF-8) */
  encoding?: string;
  onStage?: (stage: string, done: number, total: number) => void;
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
 * The file's SHA-256 and the numbers of its empty lines (DuckDB skips those, so
 * row numbers after them must be shifted). A final line break is not an empty line.
 */
async function hashAndBlankLines(path: string): Promise<{sha256: string; blankLines: number[]}> {
  const hash = createHash("sha256");
  const blankLines: number[] = [];
  let line = 1;
  let pending = 0; // bytes of the current line seen in earlier chunks (capped at 2)
  let pendingCr = false; // and they were exactly one carriage return
  for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) {
    const buf = chunk as Buffer;
    hash.update(buf);
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
  return {sha256: hash.digest("hex"), blankLines};
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

/** Column name in the warehouse for the special code of an integer variable (e.g. age_years_code). */
export const specialColumn = (v: Variable) => `${v.name}_code`;

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
    const report = await withDuckDB(async (db) => {
      // Bounded memory: DuckDB spills to the temporary folder rather than take most of the machine.
      await db.run(`SET memory_limit = '1536MB'; SET temp_directory = ${literal(tmpDir)}`);
      const files: FileReport[] = [];
      const findings: Finding[] = [];
      const perFile: {columns: ColumnSql[]; header: Map<string, string>; raw: string}[] = [];
      const stages = options.files.length * 2 + 3;
      let step = 0;
      for (const [f, file] of options.files.entries()) {
        stage(`reading ${basename(file)}`, step++, stages);
        if (!existsSync(file)) throw new RefusedFile(file, "no such file");
        const hashing = hashAndBlankLines(file);
        const src = await utf8Path(file, options.encoding, join(tmpDir, `${f}.csv`));
        const header = readHeader(src.path, file);
        const map = headerMap(header, dict);
        const missing = dict.variables.filter((v) => v.required && !map.has(v.name)).map((v) => v.name);
        if (missing.length) throw new RefusedFile(file, `required column${missing.length > 1 ? "s" : ""} missing from the header: ${missing.join(", ")}`);
        const ignoredColumns = header.filter((h) => !dict.variables.some((v) => v.name === h.toLowerCase()));
        findings.push(...screenByName(header, dict).map((x) => ({...x, file: basename(file)})));
        const raw = `raw_${f}`;
        const columns = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(", ")}}`;
        // Explicit dialect and columns: no sniffing, so no silent guess about the file.
        await db.run(`CREATE TABLE ${raw} AS SELECT * FROM read_csv(${literal(src.path)}, header = true, auto_detect = false,
          columns = ${columns}, delim = ',', quote = '"', escape = '"', null_padding = false,
          store_rejects = true, rejects_table = 'rej_${f}', rejects_scan = 'scan_${f}')`);
        stage(`screening ${basename(file)}`, step++, stages);
        // Ids, numbers and undeclared columns are screened whole; categorical and date columns only
        // where a value fails validation (a value that is a dictionary code cannot identify anyone).
        const screened = header.filter((h) => !VALIDATED_TYPES.has(dict.variables.find((v) => v.name === h.toLowerCase())?.type ?? ""));
        findings.push(...(await screenByContent(db, raw, screened, dict)).map((x) => ({...x, file: basename(file)})));
        const cols = dict.variables.filter((v) => map.has(v.name)).map((v) => columnSql(dict, v, ident(map.get(v.name)!)));
        perFile.push({columns: cols, header: map, raw});
        const {sha256, blankLines} = await hashing;
        await db.run(`CREATE TEMP TABLE blank_${f} AS SELECT unnest([${blankLines.join(", ")}]::BIGINT[]) AS line`);
        files.push({file, sha256, encoding: src.encoding, ...src.shape, read: 0, accepted: 0, rejected: 0, duplicates: 0, ignoredColumns});
      }
      if (findings.length) throw new IdentifierRefusal(findings);

      stage("validating", step++, stages);
      const allVars = dict.variables;
      // Stage 1 per file: row numbers, a content hash, and each column prepared once
      // (missing markers → NULL, spellings → codes). Parse rejects shift line numbers:
      // row k of the raw table sits after every rejected line before it.
      await db.run(`CREATE TEMP TABLE rowmap (_file INTEGER, _rid BIGINT, _row BIGINT)`);
      for (const [f, {columns, header, raw}] of perFile.entries()) {
        const rawCols = [...header.values()].map(ident);
        const preps = columns.map((c) => `${c.prep} AS ${ident(c.variable.name)}`);
        const raws = columns.filter((c) => c.code).map((c) => `${ident(header.get(c.variable.name)!)} AS ${ident("_raw_" + c.variable.name)}`);
        // Row numbers kept apart (joining the wide prepared table to them would carry every column through a sort).
        await db.run(`INSERT INTO rowmap SELECT ${f}, r.rowid, CAST(r.rowid AS BIGINT) + 2 + coalesce(p.shift, 0)
          FROM ${raw} r ASOF LEFT JOIN (
            SELECT line - 2 - (row_number() OVER (ORDER BY line) - 1) AS accepted_before, row_number() OVER (ORDER BY line) AS shift
            FROM (SELECT line FROM rej_${f} UNION SELECT line FROM blank_${f})
          ) p ON r.rowid >= p.accepted_before`);
        // A 64-bit hash of the raw row tells exact copies from conflicting rows with the same id.
        await db.run(`CREATE TEMP TABLE prep_${f} AS SELECT r.rowid AS _rid, hash(${rawCols.join(", ")}) AS _hash,
          ${[...preps, ...raws].join(",\n          ")}
          FROM ${raw} r CROSS JOIN ${mapsSql(dict.variables, dict.missing_markers)}`);
      }
      stage("checking rules", step, stages);
      // Stage 2: typed values and the rules each row breaks, for all files at once.
      const checkedSelects = perFile.map(({columns}, f) => {
        const typed = allVars.map((v) => {
          const c = columns.find((x) => x.variable === v);
          const sqlType = c?.sqlType ?? columnSql(dict, v, "NULL").sqlType;
          const parts = [`CAST(${c ? c.typed : "NULL"} AS ${sqlType}) AS ${ident(v.name)}`];
          if (v.special_codes?.length) parts.push(`${(c && specialSql(v, ident(v.name))) ?? "CAST(NULL AS VARCHAR)"} AS ${ident(specialColumn(v))}`);
          if (v.type === "category" || v.type === "boolean") {
            parts.push(`${c?.code ? ident("_raw_" + v.name) : "CAST(NULL AS VARCHAR)"} AS ${ident("_raw_" + v.name)}`);
            parts.push(`${c?.code ?? "CAST(NULL AS VARCHAR)"} AS ${ident("_code_" + v.name)}`);
          }
          return parts.join(", ");
        });
        const checks: string[] = [];
        const conds: string[] = [];
        for (const c of columns) for (const [rule, cond, detail] of c.checks) {
          checks.push(`CASE WHEN ${cond} THEN {'column': ${literal(c.variable.name)}, 'rule': ${literal(rule)}, 'detail': ${literal(detail)}} END`);
          conds.push(`coalesce(${cond}, false)`);
        }
        for (const [rule, cond, column, detail] of orderChecks(columns)) {
          checks.push(`CASE WHEN ${cond} THEN {'column': ${literal(column)}, 'rule': ${literal(rule)}, 'detail': ${literal(detail)}} END`);
          conds.push(`coalesce(${cond}, false)`);
        }
        const month = time && columns.some((c) => c.variable === time) ? `strftime(${columns.find((c) => c.variable === time)!.typed}, '%Y-%m')` : "NULL";
        return `SELECT ${f} AS _file, _rid, _hash, ${month} AS _month,
          -- The list of broken rules is only built for the few rows that break one.
          CASE WHEN ${conds.join(" OR ") || "false"} THEN list_filter([${checks.join(", ")}], x -> x IS NOT NULL) ELSE [] END AS _violations,
          ${typed.join(",\n          ")}
          FROM prep_${f}`;
      });
      await db.run(`CREATE TEMP TABLE checked AS ${checkedSelects.join("\nUNION ALL BY NAME\n")}`);

      const unknownSql = allVars
        .filter((v) => v.type === "category" || v.type === "boolean")
        .map((v) => `SELECT ${literal(v.name)} AS "column", ${ident("_raw_" + v.name)} AS v, _file FROM checked WHERE ${ident("_raw_" + v.name)} IS NOT NULL AND ${ident("_code_" + v.name)} IS NULL`);
      if (unknownSql.length) {
        const late = await screenValues(db, unknownSql.join(" UNION ALL "));
        if (late.length) throw new IdentifierRefusal(late);
      }
      stage("finding duplicates", step, stages);
      // Duplicates among valid rows: exact copies within a file are dropped; the same id with
      // different content within a file is a rejected duplicate_id; across files the later file wins.
      const idc = ident(id.name);
      await db.run(`CREATE TEMP TABLE ranked AS SELECT _file, _rid, _hash, ${idc},
          row_number() OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS in_file,
          first_value(_hash) OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS first_hash
        FROM checked WHERE len(_violations) = 0`);
      await db.run(`CREATE TEMP TABLE fate AS SELECT _file, _rid,
          CASE WHEN in_file > 1 AND _hash = first_hash THEN 'exact_copy'
               WHEN in_file > 1 THEN 'duplicate_id'
               WHEN row_number() OVER (PARTITION BY ${idc}, in_file = 1 ORDER BY _file DESC) > 1 THEN 'superseded'
               ELSE 'accepted' END AS fate
        FROM ranked`);

      stage("writing the warehouse", step++, stages);
      const outCols = allVars.flatMap((v) => [ident(v.name), ...(v.special_codes?.length ? [ident(specialColumn(v))] : [])]);
      await db.run(`ATTACH ${literal(tmpDb)} AS wh`);
      await db.run(`CREATE TABLE wh.contacts AS SELECT ${outCols.map((c) => `c.${c}`).join(", ")}, c._file AS source_file, m._row AS source_row
        FROM checked c JOIN fate USING (_file, _rid) JOIN rowmap m USING (_file, _rid) WHERE fate.fate = 'accepted'`);
      const fileNames = `[${options.files.map((f) => literal(basename(f))).join(", ")}]`;
      await db.run(`CREATE TABLE wh.rejects AS
        SELECT ${fileNames}[_file + 1] AS file, m._row AS "row", _month AS month, v.column AS "column", v.rule AS rule, v.detail AS detail
          FROM (SELECT _file, _rid, _month, unnest(_violations) AS v FROM checked WHERE len(_violations) > 0) JOIN rowmap m USING (_file, _rid)
        UNION ALL
        SELECT ${fileNames}[_file + 1], m._row, _month, ${literal(id.name)}, 'duplicate_id', 'the same ${id.name} appears earlier in this file with different content'
          FROM fate JOIN checked USING (_file, _rid) JOIN rowmap m USING (_file, _rid) WHERE fate = 'duplicate_id'
        ${perFile.map((_, f) => `UNION ALL SELECT ${fileNames}[${f + 1}], line, NULL, NULL, 'row_shape', ${caseDetail("error_type")} FROM (SELECT line, min(error_type) AS error_type FROM rej_${f} GROUP BY line)`).join("\n")}
        ORDER BY file, "row"`);
      for (const v of allVars.filter((x) => x.type === "multi-category")) {
        await db.run(`CREATE TABLE wh.${ident(`contact_${v.name}`)} AS SELECT ${idc}, unnest(${ident(v.name)}) AS ${ident(singular(v.name))} FROM wh.contacts`);
      }
      // Terminology: every spelling mapped to a code, by month (synonym, case or whitespace).
      const cats = allVars.filter((v) => (v.type === "category" || v.type === "boolean") && v.sensitivity === "none");
      const monthExpr = time ? `strftime(c.${ident(time.name)}, '%Y-%m')` : "NULL";
      const mappingSelects = cats.map((v) => `SELECT ${literal(v.name)} AS variable, ${monthExpr} AS month, c.${ident("_raw_" + v.name)} AS raw,
          trim(c.${ident("_raw_" + v.name)}) AS spelling, c.${ident("_code_" + v.name)} AS code FROM checked c WHERE c.${ident("_raw_" + v.name)} IS NOT NULL`);
      const spellingsSql = mappingSelects.length ? mappingSelects.join(" UNION ALL ") : "SELECT NULL AS variable, NULL AS month, NULL AS raw, NULL AS spelling, NULL AS code WHERE false";
      await db.run(`CREATE TABLE wh.code_mappings AS SELECT variable, month, spelling, code,
          CASE WHEN spelling = code THEN 'whitespace' WHEN lower(spelling) = lower(code) THEN 'case' ELSE 'synonym' END AS kind,
          count(*) AS n
        FROM (${spellingsSql}) WHERE code IS NOT NULL AND raw <> code
        GROUP BY ALL ORDER BY variable, month, n DESC`);
      // Spellings no code matches (values of non-sensitive categorical variables only; identifiers were screened first).
      await db.run(`CREATE TABLE wh.unknown_codes AS SELECT variable, left(spelling, 40) AS spelling, count(*) AS n
        FROM (${spellingsSql}) WHERE code IS NULL AND lower(spelling) NOT IN (${dict.missing_markers.map((m) => literal(m.toLowerCase())).join(", ")})
        GROUP BY ALL ORDER BY n DESC`);

      // Accounting, per file and in total; the command refuses to finish if it does not add up.
      const perFileCounts = await queryRows(db, `SELECT f._file, count(*) FILTER (WHERE len(c._violations) = 0 AND fate.fate = 'accepted') AS accepted,
          count(*) FILTER (WHERE len(c._violations) > 0 OR fate.fate = 'duplicate_id') AS rejected,
          count(*) FILTER (WHERE fate.fate IN ('exact_copy', 'superseded')) AS duplicates,
          count(*) AS parsed
        FROM (SELECT DISTINCT _file FROM checked) f JOIN checked c USING (_file) LEFT JOIN fate USING (_file, _rid) GROUP BY f._file ORDER BY f._file`);
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
      const byRule = await queryRows(db, `SELECT rule, count(DISTINCT (file, "row")) AS n FROM wh.rejects GROUP BY rule ORDER BY n DESC`);
      const fates = await queryRows(db, `SELECT fate, count(*) AS n FROM fate GROUP BY fate`);
      const fateN = (k: string) => Number(fates.find((r) => r.fate === k)?.n ?? 0);
      const mapped = await queryRows(db, `SELECT variable, kind, spelling, code, sum(n) AS n FROM wh.code_mappings GROUP BY ALL ORDER BY n DESC`);
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
      await writeRunTables(db, rep, dbPath);
      await db.run("DETACH wh");
      return rep;
    });
    renameSync(tmpDb, dbPath);
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

const singular = (name: string) => (name.endsWith("s") ? name.slice(0, -1) : name);

function caseDetail(col: string): string {
  return `CASE ${Object.entries(PARSE_DETAIL).map(([k, v]) => `WHEN ${col} = ${literal(k)} THEN ${literal(v)}`).join(" ")} ELSE 'the row cannot be parsed as CSV' END`;
}

/** The ingest history (kept across ingests) and this run's files. */
async function writeRunTables(db: DuckDBConnection, rep: IngestReport, previousDb: string): Promise<void> {
  await db.run(`CREATE TABLE wh.ingest_runs (ingest_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, dictionary_version VARCHAR,
    dictionary_sha256 VARCHAR, files INTEGER, "read" BIGINT, accepted BIGINT, rejected BIGINT, duplicates BIGINT)`);
  if (existsSync(previousDb)) {
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

export {UNKNOWN};
export type {Rule};
