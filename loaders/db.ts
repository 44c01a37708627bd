/** DuckDB in Node (@duckdb/node-api): one place to open a database and read rows as plain JSON. */
import {existsSync} from "node:fs";
import {DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection} from "@duckdb/node-api";
import {WAREHOUSE} from "./paths.ts";

export type Row = Record<string, string | number | boolean | null>;

/** Opens a database (":memory:" by default) and runs `work` with a connection (and the instance, for more connections), closing both after. */
export async function withDuckDB<T>(
  work: (db: DuckDBConnection, instance: DuckDBInstance) => Promise<T>,
  path = ":memory:",
  {readOnly = false} = {},
): Promise<T> {
  const instance = await DuckDBInstance.create(path, readOnly ? {access_mode: "READ_ONLY"} : {});
  const connection = await instance.connect();
  try {
    return await work(connection, instance);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs a query and returns its rows as JSON-safe objects (BIGINT as number when it fits). */
export async function queryRows(db: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === "bigint") out[k] = Number(v);
      else if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[k] = v;
      else out[k] = String(v);
    }
    return out;
  });
}

/**
 * The result of `sql` column by column (bigints as numbers, other non-primitives as text): a
 * million rows as a few arrays instead of a million objects, for loaders that read whole tables.
 *
 * @example const {day, hours} = await queryColumns(db, "SELECT day, hours FROM t")
 */
export async function queryColumns(db: DuckDBConnection, sql: string): Promise<Record<string, (string | number | boolean | null)[]>> {
  // Streamed a chunk (2,048 rows) at a time into the columns: DuckDB never holds the whole result beside them.
  const result = await db.stream(sql);
  const names = result.columnNames();
  const columns = names.map(() => [] as (string | number | boolean | null)[]);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const values = chunk.convertColumns(JSDuckDBValueConverter);
    for (let c = 0; c < names.length; c++) {
      const column = columns[c];
      for (const v of values[c])
        column.push(
          typeof v === "bigint"
            ? Number(v)
            : v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean"
              ? v
              : String(v),
        );
    }
  }
  return Object.fromEntries(names.map((name, c) => [name, columns[c]]));
}

/** Opens the warehouse read-only for `work`, with a clear message when it does not exist yet. */
export async function withWarehouse<T>(work: (db: DuckDBConnection) => Promise<T>, path = WAREHOUSE): Promise<T> {
  if (!existsSync(path)) throw new Error(`no warehouse at ${path}: run \`npx workbench ingest\` (npm run dev and build do it for you)`);
  return withDuckDB(work, path, {readOnly: true});
}
