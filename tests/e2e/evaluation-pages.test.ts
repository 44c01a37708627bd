/**
 * The evaluation pages in Chromium on the default sample. The Fairness page's
 * per-group confusion counts and FPR/FNR must equal those computed here
 * independently — from the model's predictions.internal.csv joined in DuckDB
 * to the warehouse — and small intersections must read "too few to tell".
 */
import {join} from "node:path";
import {describe, expect, inject, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/db.ts";
import {literal} from "../../loaders/sql.ts";
import {SITE_DIST} from "./global-setup.ts";
import {allowSkipWithoutChromium, chromiumInstalled} from "./helpers/browser.ts";
import {describeRun} from "./helpers/offline.ts";
import {useSiteInBrowser} from "./helpers/session.ts";

const build = inject("siteBuild");

/** Per-group counts at `threshold` from the registry's predictions file, by SQL. */
async function independentCounts(modelId: string, threshold: number, attribute: string) {
  return withDuckDB(async (db) => {
    await db.run(`ATTACH ${literal("data/processed/warehouse.duckdb")} AS wh (READ_ONLY)`);
    const rows = await queryRows(
      db,
      `
      SELECT coalesce(CAST(c."${attribute}" AS VARCHAR), 'missing') AS grp,
        count(*)::INT AS n,
        count(*) FILTER (p.score >= ${threshold} AND p.y = 1)::INT AS tp,
        count(*) FILTER (p.score >= ${threshold} AND p.y = 0)::INT AS fp,
        count(*) FILTER (p.score < ${threshold} AND p.y = 0)::INT AS tn,
        count(*) FILTER (p.score < ${threshold} AND p.y = 1)::INT AS fn
      FROM read_csv(${literal(join("models", modelId, "predictions.internal.csv"))}, all_varchar = true) raw
      CROSS JOIN LATERAL (SELECT CAST(raw.y AS INT) AS y, CAST(raw.score AS DOUBLE) AS score) p
      JOIN wh.contacts c ON c.contact_id = raw.id
      WHERE raw.split = 'test'
      GROUP BY ALL ORDER BY grp`,
    );
    return rows.map((r) => ({
      group: String(r.grp),
      n: Number(r.n),
      tp: Number(r.tp),
      fp: Number(r.fp),
      tn: Number(r.tn),
      fn: Number(r.fn),
    }));
  });
}

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("evaluation pages in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  it("Fairness: per-group counts, FPR and FNR equal an independent computation from the predictions file; small intersections read too few to tell", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/fairness`, {waitUntil: "networkidle"});
      const table = page.locator("[data-check=fairness-table] table");
      await table.waitFor({timeout: 60_000});
      const modelId = (
        await page
          .locator("select")
          .first()
          .evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex].text)
      ).split(" ")[0];
      const threshold = Number(await page.locator("input[type=number]").first().inputValue());
      const read = async () =>
        table
          .locator("tbody tr")
          .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      const headers = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      const col = (name: string) => headers.indexOf(name);
      const shown = await read();
      const expected = await independentCounts(modelId, threshold, "gender");
      expect(shown.map((r) => r[col("group")])).toEqual(expected.map((e) => e.group));
      for (const e of expected) {
        const row = shown.find((r) => r[col("group")] === e.group)!;
        expect(Number(row[col("n")].replace(/,/g, ""))).toBe(e.n);
        expect(row[col("TP / FP / TN / FN")]).toBe(`${e.tp} / ${e.fp} / ${e.tn} / ${e.fn}`);
        const pct = (k: number, n: number) => ((100 * k) / n).toFixed(1) + "%";
        expect(row[col("FPR")]).toContain(`${pct(e.fp, e.fp + e.tn)} (`);
        expect(row[col("FPR")]).toContain(`(n = ${e.fp + e.tn})`);
        expect(row[col("FNR")]).toContain(`${pct(e.fn, e.fn + e.tp)} (`);
        expect(row[col("FNR")]).toContain(`(n = ${e.fn + e.tp})`);
      }
      // Intersections of gender and ethnicity: groups under 30 say so instead of a rate.
      await page.getByLabel("Ethnicity").check();
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll("[data-check=fairness-table] tbody tr td")).some((td) => td.textContent!.includes(" · ")),
        undefined,
        {timeout: 30_000},
      );
      const inter = await read();
      const size = (r: string[]) => Number(r[col("n")].replace(/,/g, ""));
      const small = inter.filter((r) => size(r) < 30);
      expect(small.length).toBeGreaterThan(0);
      for (const r of small)
        expect([r[col("FPR")], r[col("FNR")], r[col("FPR ratio")]]).toEqual(["too few to tell", "too few to tell", "too few to tell"]);
      for (const r of inter.filter((x) => size(x) >= 30)) expect(r[col("FPR")]).toMatch(/^\d+\.\d% \(/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Thresholds: switching to a band and to a daily capacity recomputes the confusion matrix over the same test contacts", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/thresholds`, {waitUntil: "networkidle"});
      const total = async () => (await page.locator("h2", {hasText: "Confusion matrix"}).textContent())!;
      await page.locator("h2", {hasText: "Confusion matrix"}).waitFor({timeout: 60_000});
      const n = await total();
      const matrix = async () => (await page.locator("table").first().textContent())!;
      const byScore = await matrix();
      await page.getByLabel("a 1–20 band").check();
      await page.waitForFunction((before) => document.querySelector("table")!.textContent !== before, byScore, {timeout: 30_000});
      const byBand = await matrix();
      await page.getByLabel("a daily capacity").check();
      await page.waitForFunction((before) => document.querySelector("table")!.textContent !== before, byBand, {timeout: 30_000});
      expect(await total()).toBe(n);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
