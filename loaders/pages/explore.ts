/**
 * The contacts table for the Explore page, as Parquet for DuckDB-wasm in the
 * browser (internal pages only). Lists become semicolon-separated text so any
 * SQL client can read them; each multi-category code also gets a 0/1 column.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {ident, literal} from "../sql.ts";
import {withWarehouse} from "../db.ts";

export async function contactsParquet(dict: Dictionary = loadDictionary()): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "explore-"));
  const out = join(dir, "contacts.parquet");
  try {
    await withWarehouse(async (db) => {
      const cols = dict.variables.flatMap((v) => {
        if (v.type !== "multi-category") return [ident(v.name)];
        return [
          `array_to_string(${ident(v.name)}, ';') AS ${ident(v.name)}`,
          ...(v.codes ?? []).map(
            (c) => `CAST(list_contains(${ident(v.name)}, ${literal(c.code)}) AS INTEGER) AS ${ident(`${v.name}_${c.code}`)}`,
          ),
        ];
      });
      const extra = dict.variables.filter((v) => v.special_codes?.length).map((v) => ident(`${v.name}_code`));
      await db.run(`COPY (SELECT ${[...cols, ...extra].join(", ")} FROM contacts) TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd)`);
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
