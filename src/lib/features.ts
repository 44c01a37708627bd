/**
 * Feature encoding from the dictionary, shared by Node (training, scoring) and the
 * browser (the Training page). Pure: `fitEncoding` learns what it needs (codes
 * seen, means and standard deviations) from TRAINING rows only; `encode` turns
 * any rows into a dense row-major matrix with exactly the columns the encoding
 * names. The encoding is plain JSON (features.json), so a model and its
 * preprocessing always travel together.
 *
 * @example
 *   const enc = fitEncoding(variables, trainRows);
 *   const X = encode(enc, testRows); // Float64Array, rows × enc.columns.length
 */

/** The part of a dictionary variable the encoding needs. */
export interface FeatureVariable {
  name: string;
  type: "category" | "multi-category" | "integer" | "number" | "boolean";
  codes?: {code: string}[];
  special_codes?: {code: string}[];
}

export type Value = string | number | boolean | null | undefined | string[];
export type Row = Record<string, Value>;

/** One encoded column: where it comes from and how. */
export type Column =
  | {name: string; variable: string; kind: "one-hot"; code: string}
  | {name: string; variable: string; kind: "missing"}
  | {name: string; variable: string; kind: "multi-hot"; code: string}
  | {name: string; variable: string; kind: "scaled"; mean: number; sd: number}
  | {name: string; variable: string; kind: "special"; code: string}
  | {name: string; variable: string; kind: "flag"};

export interface Encoding {
  version: 1;
  variables: string[];
  columns: Column[];
}

const isMissing = (v: Value) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * Learns the encoding from training rows. Categories get one column per dictionary
 * code (the first code is NOT dropped: the models are regularised or fitted with
 * an intercept-free reference handled by the missing column); a missing-value
 * column is added only when training rows have missing values.
 */
export function fitEncoding(variables: FeatureVariable[], train: Row[]): Encoding {
  const columns: Column[] = [];
  for (const v of variables) {
    const values = train.map((r) => r[v.name]);
    const anyMissing = values.some(isMissing);
    switch (v.type) {
      case "category": {
        for (const c of v.codes ?? []) columns.push({name: `${v.name}=${c.code}`, variable: v.name, kind: "one-hot", code: c.code});
        if (anyMissing) columns.push({name: `${v.name}:missing`, variable: v.name, kind: "missing"});
        break;
      }
      case "multi-category":
        for (const c of v.codes ?? []) columns.push({name: `${v.name}∋${c.code}`, variable: v.name, kind: "multi-hot", code: c.code});
        break;
      case "boolean":
        columns.push({name: v.name, variable: v.name, kind: "flag"});
        if (anyMissing) columns.push({name: `${v.name}:missing`, variable: v.name, kind: "missing"});
        break;
      case "integer":
      case "number": {
        const xs = values.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
        const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
        const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
        columns.push({name: v.name, variable: v.name, kind: "scaled", mean, sd: Math.sqrt(variance) || 1});
        for (const c of v.special_codes ?? []) columns.push({name: `${v.name}=${c.code}`, variable: v.name, kind: "special", code: c.code});
        if (anyMissing) columns.push({name: `${v.name}:missing`, variable: v.name, kind: "missing"});
        break;
      }
    }
  }
  return {version: 1, variables: variables.map((v) => v.name), columns};
}

/** The value a row holds for a column (0 when absent), per the encoding's rules. */
export function encodeValue(column: Column, row: Row, specialOf: (variable: string, row: Row) => string | null = defaultSpecial): number {
  const v = row[column.variable];
  switch (column.kind) {
    case "one-hot":
      return v === column.code ? 1 : 0;
    case "multi-hot":
      return Array.isArray(v)
        ? v.includes(column.code)
          ? 1
          : 0
        : typeof v === "string"
          ? v.split(";").includes(column.code)
            ? 1
            : 0
          : 0;
    case "flag":
      return v === true || v === "yes" || v === 1 ? 1 : 0;
    case "missing":
      return isMissing(v) && specialOf(column.variable, row) === null ? 1 : 0;
    case "special":
      return specialOf(column.variable, row) === column.code ? 1 : 0;
    case "scaled":
      // Missing numbers sit at the training mean (0 after scaling); their missing column says so.
      return typeof v === "number" && Number.isFinite(v) ? (v - column.mean) / column.sd : 0;
  }
}

/** Each variable's `<name>_code` column name, built once. */
const codeColumns = new Map<string, string>();
/** Special codes live in `<name>_code` (how the warehouse stores e.g. age "unborn"). */
function defaultSpecial(variable: string, row: Row): string | null {
  let name = codeColumns.get(variable);
  if (name === undefined) codeColumns.set(variable, (name = `${variable}_code`));
  const s = row[name];
  return typeof s === "string" && s !== "" ? s : null;
}

/** Encodes rows into a row-major Float64Array (rows × columns). */
export function encode(encoding: Encoding, rows: Row[]): Float64Array;
/** Encoded straight into float32 (what the models score): the same values as `Float32Array.from(encode(…))`, without the float64 copy. */
export function encode(encoding: Encoding, rows: Row[], type: Float32ArrayConstructor): Float32Array;
export function encode(
  encoding: Encoding,
  rows: Row[],
  type: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array,
): Float64Array | Float32Array {
  const p = encoding.columns.length;
  const X = new type(rows.length * p);
  const columns = encoding.columns;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // A multi-category value is split into its items once per row, not once per item column (as encodeValue would).
    let itemsOf: string | null = null,
      items: readonly string[] | null = null;
    for (let j = 0; j < p; j++) {
      const c = columns[j];
      if (c.kind === "multi-hot") {
        if (c.variable !== itemsOf) {
          const v = row[c.variable];
          items = Array.isArray(v) ? v : typeof v === "string" ? v.split(";") : null;
          itemsOf = c.variable;
        }
        X[i * p + j] = items !== null && items.includes(c.code) ? 1 : 0;
      } else X[i * p + j] = encodeValue(c, row);
    }
  }
  return X;
}

/**
 * Reads back, for one encoded row, the category codes and numbers it came from
 * (used by tests to prove the encoding loses nothing it claims to keep).
 */
export function decodeRow(encoding: Encoding, x: ArrayLike<number>): Row {
  const out: Row = {};
  encoding.columns.forEach((c, j) => {
    const value = x[j];
    if (c.kind === "one-hot" && value === 1) out[c.variable] = c.code;
    if (c.kind === "multi-hot" && value === 1) out[c.variable] = [...((out[c.variable] as string[]) ?? []), c.code];
    if (c.kind === "flag") out[c.variable] = value === 1;
    if (c.kind === "scaled") out[c.variable] = value * c.sd + c.mean;
    if (c.kind === "special" && value === 1) out[`${c.variable}_code`] = c.code;
  });
  return out;
}
