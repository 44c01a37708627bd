/**
 * Contacts sent to the service, validated exactly as ingest validates an extract and read exactly
 * as training reads the warehouse. The request's values are bound as a parameter (never written
 * into SQL text) and read as an extract whose header is the dictionary's variables; ingest's own
 * validation query (`checkedQuery`) types them and lists the rules each breaks; duplicates are
 * decided as ingest decides them within one file; the contacts of a request that breaks no rule
 * are read by the training table's query (`datasetSql`), history features included.
 *
 * Several requests go through together (each its own "file"): their record, person and group
 * keys are prefixed with the request's number, so no history feature counts another request's
 * contacts. The statements are prepared once (planning ingest's query costs far more than running
 * it on a few rows), and read only their parameter: a prepared plan over a table would keep the
 * statistics the table had when it was prepared.
 *
 * @example const checker = await ContactChecker.open(dict);
 *          const [answer] = await checker.check([[contact]], variables); // contact: {variable: value, …}
 *          // answer.failures (contact, column, rule, detail: never a value) or answer.rows (modelling rows)
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, LIST, listValue, VARCHAR, type DuckDBConnection, type DuckDBPreparedStatement} from "@duckdb/node-api";
import type {Dictionary, Variable} from "../dictionary.ts";
import {ident} from "../sql.ts";
import {checkedQuery, isCoded} from "../ingest/checked.ts";
import {openWarehouse} from "../ingest/warehouse.ts";
import {datasetSql} from "../train/dataset.ts";
import type {Row} from "../../src/lib/features.ts";

/** One contact as the request holds it: dictionary variable → value (a multi-category value may be a list). */
export type ContactInput = Record<string, string | number | boolean | null | string[] | undefined>;

/** A rule a contact breaks: which contact (from 0), the column (a variable's name), the rule and what it means; never a value. */
export interface Failure {
  contact: number;
  column: string;
  rule: string;
  detail: string;
}

/** The outcome for one request: its failures, or one modelling row per contact (an exact copy shares its first's row). */
export type CheckResult = {failures: Failure[]} | {rows: Row[]};

/** Separates a request's number from a key (no dictionary code or pseudonymised id holds it). */
const SEP = "\u0001";

/** A contact's value as the text an extract's cell would hold: NULL when absent, a list joined by the variable's separator. */
export function cellText(value: ContactInput[string], v: Variable): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(v.separator ?? ";");
  return String(value);
}

/** Rows of a prepared statement's result as plain JSON values (BIGINT as number). */
async function rowsOf(statement: DuckDBPreparedStatement, rows: (string | null)[][]): Promise<Row[]> {
  statement.bindList(1, listValue(rows.map((r) => listValue(r))), LIST(LIST(VARCHAR)));
  const reader = await statement.runAndReadAll();
  return reader.getRowObjectsJS().map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === "bigint" ? Number(v) : (v as Row[string]);
    return out;
  });
}

export class ContactChecker {
  private queue: Promise<unknown> = Promise.resolve();
  /** the pass's one statement, prepared per list of model variables */
  private readonly passes = new Map<string, Statements>();

  private constructor(
    private readonly dict: Dictionary,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    private readonly tmpDir: string,
  ) {}

  /** An in-memory database with the warehouse's ENUM types, ready for `check`. */
  static async open(dict: Dictionary): Promise<ContactChecker> {
    const instance = await DuckDBInstance.create(":memory:", {threads: "1"});
    const db = await instance.connect();
    const tmpDir = mkdtempSync(join(tmpdir(), "serve-check-"));
    try {
      await openWarehouse(db, dict, null, tmpDir);
      return new ContactChecker(dict, instance, db, tmpDir);
    } catch (error) {
      db.closeSync();
      instance.closeSync();
      rmSync(tmpDir, {recursive: true, force: true});
      throw error;
    }
  }

  /**
   * Checks several requests in one pass (passes run one at a time on this connection); `variables`
   * are the dictionary variables the model reads. Every request gets its failures or its rows.
   */
  check(requests: ContactInput[][], variables: Variable[]): Promise<CheckResult[]> {
    const run = this.queue.then(() => this.pass(requests, variables));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    for (const s of this.passes.values()) for (const x of [s.checked, s.staged, s.dataset]) x.destroySync();
    this.db.closeSync();
    this.instance.closeSync();
    rmSync(this.tmpDir, {recursive: true, force: true});
  }

  private async pass(requests: ContactInput[][], variables: Variable[]): Promise<CheckResult[]> {
    const {dict} = this;
    const {checked: checkedSql, staged: stagedSql, dataset} = await this.statements(variables);
    const owner: {r: number; i: number}[] = [];
    const raw: (string | null)[][] = [];
    requests.forEach((contacts, r) =>
      contacts.forEach((contact, i) => {
        raw.push(dict.variables.map((v) => cellText(contact[v.name], v)));
        owner.push({r, i});
      }),
    );
    if (!raw.length) return requests.map(() => ({rows: []}));
    const checked = await rowsOf(checkedSql, raw);
    const staged = await rowsOf(stagedSql, raw);
    // The checked rows must be the sent rows in the sent order (DuckDB keeps the order of a scan here).
    if (checked.length !== raw.length || checked.some((c, k) => c.h !== staged[k].h))
      throw new Error("internal error: the checked contacts are not in the order they were sent");
    const failures: Failure[][] = requests.map(() => []);
    // Ingest's duplicates within a file: among valid rows, a later row with an earlier row's key is an
    // exact copy (the same raw row: dropped, and answered here as its first) or a duplicate_id (rejected).
    const first = new Map<string, number>();
    const copyOf = new Map<number, number>();
    checked.forEach((c, k) => {
      const {r, i} = owner[k];
      const broken = c.v === null ? [] : (JSON.parse(String(c.v)) as Omit<Failure, "contact">[]);
      for (const b of broken) failures[r].push({contact: i, column: b.column, rule: b.rule, detail: b.detail});
      if (broken.length || c.id === null) return;
      const key = `${r}${SEP}${c.id}`;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, k);
      else if (checked[earlier].h === c.h) copyOf.set(k, earlier);
      else
        failures[r].push({
          contact: i,
          column: dict.roles.record,
          rule: "duplicate_id",
          detail: `the same ${dict.roles.record} appears earlier in this request with different content`,
        });
    });
    // The contacts of requests that break no rule, copies left out, their keys (as typed) prefixed with the request's number.
    const accepted = owner.flatMap(({r}, k) => (failures[r].length || copyOf.has(k) ? [] : [k]));
    const rows = new Map<string, Row>();
    if (accepted.length) {
      const {record, person, group} = dict.roles;
      const keys = (
        [
          [record, "id"],
          [person, "person"],
          [group, "group"],
        ] as const
      ).flatMap(([name, column]) => (name ? [{at: dict.variables.findIndex((v) => v.name === name), column}] : []));
      const prefixed = accepted.map((k) => {
        const row = [...raw[k]];
        for (const {at, column} of keys) {
          const value = checked[k][column];
          row[at] = value === null ? null : `${owner[k].r}${SEP}${String(value)}`;
        }
        return row;
      });
      for (const row of await rowsOf(dataset, prefixed)) rows.set(String(row._id), row);
      if (rows.size !== accepted.length) throw new Error("internal error: accepted contacts went missing");
    }
    return requests.map((_, r) => {
      if (failures[r].length) return {failures: failures[r]};
      const mine = owner.flatMap((o, k) => (o.r === r ? [k] : []));
      return {
        rows: mine.map((k) => {
          const id = String(checked[copyOf.get(k) ?? k].id);
          return {...rows.get(`${r}${SEP}${id}`)!, _id: id};
        }),
      };
    });
  }

  /**
   * The pass's statements over rows bound as $1 (texts in the dictionary's order), prepared once per
   * model's variables: ingest's validation query, each checked row beside its place and the hash of
   * the row as sent (to check the order), with its broken rules and typed keys; and the training
   * table's query over the rows as the warehouse's `contacts` view holds them.
   */
  private async statements(variables: Variable[]): Promise<Statements> {
    const key = variables.map((v) => v.name).join(",");
    const had = this.passes.get(key);
    if (had) return had;
    const {dict, db} = this;
    const header = dict.variables.map((v) => v.name);
    const {record, person, group} = dict.roles;
    const keys = [record, person, group].map((k) => (k ? `${ident(k)}::VARCHAR` : "NULL"));
    // (A positional join of the two would check the order in one statement, but costs DuckDB far more than both.)
    const staged = await db.prepare(
      `SELECT hash(${header.map((_, i) => `r[${i + 1}]`).join(", ")})::VARCHAR AS h FROM (SELECT unnest($1::VARCHAR[][]) AS r)`,
    );
    const checked = await db.prepare(
      `SELECT _hash::VARCHAR AS h, to_json(_violations)::VARCHAR AS v, ${keys[0]} AS id, ${keys[1]} AS person, ${keys[2]} AS "group"
       FROM (${checkedSql(dict)})`,
    );
    const asText = dict.variables
      .filter(isCoded)
      .map((v) => `CAST(${ident(v.name)} AS VARCHAR${v.type === "multi-category" ? "[]" : ""}) AS ${ident(v.name)}`);
    const contacts = `SELECT * ${asText.length ? `REPLACE (${asText.join(", ")})` : ""} FROM (${checkedSql(dict)})`;
    const made = {checked, staged, dataset: await db.prepare(`WITH contacts AS (${contacts}) ${datasetSql(dict, variables, {})}`)};
    this.passes.set(key, made);
    return made;
  }
}

interface Statements {
  checked: DuckDBPreparedStatement;
  staged: DuckDBPreparedStatement;
  dataset: DuckDBPreparedStatement;
}

/** Ingest's validation query over the rows bound as $1 (a list of texts in the dictionary's order), with no fast look-ups (same results). */
function checkedSql(dict: Dictionary): string {
  const header = dict.variables.map((v) => v.name);
  const source = `(SELECT ${header.map((h, i) => `r[${i + 1}] AS ${ident(h)}`).join(", ")} FROM (SELECT unnest($1::VARCHAR[][]) AS r))`;
  return checkedQuery(dict, header, new Map(header.map((h) => [h, h])), new Map(), source).sql;
}
