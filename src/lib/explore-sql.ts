/**
 * SQL for the Explore page (run by DuckDB-wasm in the browser): an outcome rate by
 * the categories of one variable, optionally by month, under filters. Pure text
 * builders, tested against DuckDB in Node.
 */
export interface ExploreQuery {
  /** the variable to break down by (a column of the contacts table) */
  by: string;
  /** the outcome: contacts whose `outcome` column equals `code` count as 1 */
  outcome: string;
  code: string;
  /** optional second variable, for the two-way table */
  by2?: string | null;
  /** time column and inclusive period (YYYY-MM-DD) */
  time: string;
  from?: string | null;
  to?: string | null;
  /** filter on a column's values (e.g. source in [...]); an empty list keeps no record (the page says so instead of asking) */
  filterColumn?: string | null;
  filterValues?: string[];
  monthly?: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The WHERE clause: records with an outcome, in the period, among the chosen values.
 * @example exploreWhere({by: "source", outcome: "decision", code: "share", time: "t"}) // "\"decision\" IS NOT NULL"
 */
export function exploreWhere(q: ExploreQuery): string {
  const where: string[] = [`${ident(q.outcome)} IS NOT NULL`]; // contacts still open have no outcome yet: not counted as 0
  if (q.from) where.push(`${ident(q.time)} >= DATE ${literal(q.from)}`);
  if (q.to) where.push(`${ident(q.time)} < DATE ${literal(q.to)} + INTERVAL 1 DAY`);
  // The values sorted, so the same choice is the same SQL text whatever the order it was picked in (the page's first view is looked up by it).
  if (q.filterColumn && q.filterValues)
    where.push(q.filterValues.length ? `${ident(q.filterColumn)} IN (${[...q.filterValues].sort().map(literal).join(", ")})` : "FALSE");
  return where.join(" AND ");
}

/**
 * Rows: category (and month or second variable), n, k (contacts with the outcome).
 * @example exploreSql({by: "source", outcome: "decision", code: "share", time: "t", monthly: true})
 */
export function exploreSql(q: ExploreQuery): string {
  const cat = `coalesce(CAST(${ident(q.by)} AS VARCHAR), '(missing)')`;
  const keys = [`${cat} AS category`];
  if (q.monthly) keys.push(`strftime(${ident(q.time)}, '%Y-%m') AS month`);
  if (q.by2) keys.push(`coalesce(CAST(${ident(q.by2)} AS VARCHAR), '(missing)') AS category2`);
  return `SELECT ${keys.join(", ")}, count(*)::INTEGER AS n,
  count(*) FILTER (WHERE CAST(${ident(q.outcome)} AS VARCHAR) = ${literal(q.code)})::INTEGER AS k
FROM contacts
WHERE ${exploreWhere(q)}
GROUP BY ALL ORDER BY ALL`;
}

/**
 * The Explore page's example query: the rate of a target's positive codes by one variable, with
 * each code quoted as a SQL literal.
 *
 * @example exampleSql({by: "source", variable: "outcome", positive: ["shared"], name: "shared"})
 */
export function exampleSql({by, variable, positive, name}: {by: string; variable: string; positive: string[]; name: string}): string {
  const test = positive.length === 1 ? `= ${literal(positive[0])}` : `IN (${positive.map(literal).join(", ")})`;
  return `SELECT ${ident(by)}, count(*) AS n,\n  avg(CASE WHEN ${ident(variable)} ${test} THEN 1 ELSE 0 END) AS ${ident(name)}\nFROM contacts GROUP BY ALL ORDER BY n DESC, 1`;
}
