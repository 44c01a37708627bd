/** Opening the warehouse for page loaders: read-only, with a clear message when it does not exist yet. */
import {existsSync} from "node:fs";
import type {DuckDBConnection} from "@duckdb/node-api";
import {withDuckDB} from "../db.ts";
import {WAREHOUSE} from "../cli/ingest.ts";

export async function withWarehouse<T>(work: (db: DuckDBConnection) => Promise<T>, path = WAREHOUSE): Promise<T> {
  if (!existsSync(path)) throw new Error(`no warehouse at ${path}: run \`npx workbench ingest\` (npm run dev and build do it for you)`);
  return withDuckDB(work, path, {readOnly: true});
}
