/**
 * The evaluation pages in Chromium on the default sample. The Fairness page's
 * per-group confusion counts and FPR/FNR must equal those computed here
 * independently — from the model's predictions.internal.csv joined in DuckDB
 * to the warehouse — and small intersections must read "too few to tell".
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, inject, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/db.ts";
import {literal} from "../../loaders/sql.ts";
import {loadDictionary} from "../../loaders/dictionary.ts";
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

/**
 * For a model: its test contacts (from predictions.internal.csv) and every contact of its test
 * period (from the warehouse, the period from card.json, contacts left out as data errors
 * excepted), with the days that hold them.
 */
async function testPeriodCounts(modelId: string) {
  const card = JSON.parse(readFileSync(join("models", modelId, "card.json"), "utf8"));
  const predictions = readFileSync(join("models", modelId, "predictions.internal.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .filter((f) => f.at(-3) === "test")
    .map((f) => ({y: Number(f.at(-2)), score: Number(f.at(-1))}));
  const {testFrom, pilotFrom} = card.config.split;
  const left = (card.dataErrorsLeftOut ?? []) as string[];
  const [row] = await withDuckDB(async (db) => {
    await db.run(`ATTACH ${literal("data/processed/warehouse.duckdb")} AS wh (READ_ONLY)`);
    return queryRows(
      db,
      `SELECT count(*)::INT AS n, count(DISTINCT CAST(contact_datetime AS DATE))::INT AS days FROM wh.contacts
       WHERE contact_datetime >= ${literal(testFrom)} ${pilotFrom ? `AND contact_datetime < ${literal(pilotFrom)}` : ""}
       ${left.length ? `AND contact_id NOT IN (${left.map(literal).join(", ")})` : ""}`,
    );
  });
  return {testN: predictions.length, periodN: Number(row.n), days: Number(row.days), predictions};
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

  it("Fairness: ratio intervals Bonferroni-adjusted and verdicts against the tolerance, recomputed independently; the label-bias answer equals a direct count in the warehouse", async () => {
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
      const headers = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      const col = (name: string) => headers.indexOf(name);
      const read = async () =>
        table
          .locator("tbody tr")
          .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      // Independently: counts from the predictions file; the reference is the largest group; m = judged groups × 3 rates;
      // z = scipy.stats.norm.ppf(1 - 0.05 / (2 m)) for the m this sample gives.
      const SCIPY_Z: Record<number, number> = {3: 2.3939797998185104, 6: 2.638257273476751, 9: 2.7729212946086634, 12: 2.8652602385321346};
      const counts = await independentCounts(modelId, threshold, "gender");
      const ref = [...counts].sort((a, b) => b.n - a.n)[0];
      const judged = counts.filter((c) => c !== ref && c.n >= 30);
      const m = judged.length * 3;
      expect(Object.keys(SCIPY_Z).map(Number)).toContain(m);
      const text = async (selector: string) => (await page.locator(selector).first().textContent())!.replace(/\s+/g, " ");
      expect(await text("[data-check=fairness-table]")).toContain(`widened for the ${m} comparisons shown`);
      const expectedCell = (c: (typeof counts)[number], tolerance: [number, number]) => {
        const [k1, n1, k0, n0] = [c.fp, c.fp + c.tn, ref.fp, ref.fp + ref.tn];
        const ratio = k1 / n1 / (k0 / n0);
        const se = Math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0);
        const [lo, hi] = [ratio * Math.exp(-SCIPY_Z[m] * se), ratio * Math.exp(SCIPY_Z[m] * se)];
        const verdict =
          lo >= tolerance[0] && hi <= tolerance[1]
            ? "within tolerance"
            : hi < tolerance[0] || lo > tolerance[1]
              ? "outside tolerance"
              : "too few to tell";
        return `${ratio.toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)}): ${verdict}`;
      };
      const check = async (tolerance: [number, number]) => {
        const shown = await read();
        for (const c of judged)
          expect(shown.find((r) => r[col("group")] === c.group)![col("FPR ratio")], c.group).toBe(expectedCell(c, tolerance));
        const verdicts = judged.map((c) => expectedCell(c, tolerance).split(": ")[1]);
        const within = verdicts.filter((x) => x === "within tolerance").length;
        expect(await text("[data-check=answer]")).toContain(
          `the false positive rate is within the tolerance (${tolerance[0].toFixed(2)}–${tolerance[1].toFixed(2)} times the reference's) for ${within} of ${counts.length - 1} groups`,
        );
      };
      await check([0.8, 1.25]);
      // A narrower tolerance: the verdicts and the answer follow.
      const tolerance = page.locator("input[type=number]").nth(1);
      await tolerance.fill("0.95");
      await tolerance.dispatchEvent("input");
      await page.waitForFunction(() => document.querySelector("[data-check=answer]")!.textContent!.includes("0.95–1.05"), undefined, {
        timeout: 30_000,
      });
      await check([0.95, 1 / 0.95]);

      // The label-bias answer: no further action after sharing, mixed and black children pooled against white children.
      const [d] = await withDuckDB(async (db) => {
        await db.run(`ATTACH ${literal("data/processed/warehouse.duckdb")} AS wh (READ_ONLY)`);
        return queryRows(
          db,
          `SELECT count(*) FILTER (ethnicity IN ('mixed', 'black') AND mash_decision = 'info_sharing' AND outcome_after_sharing IS NOT NULL)::INT AS n1,
             count(*) FILTER (ethnicity IN ('mixed', 'black') AND outcome_after_sharing = 'nfa')::INT AS k1,
             count(*) FILTER (ethnicity = 'white' AND mash_decision = 'info_sharing' AND outcome_after_sharing IS NOT NULL)::INT AS n0,
             count(*) FILTER (ethnicity = 'white' AND outcome_after_sharing = 'nfa')::INT AS k0
           FROM wh.contacts`,
        );
      });
      const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)}%`;
      const [n1, k1, n0, k0] = [d.n1, d.k1, d.n0, d.k0].map(Number);
      const answer = page.locator("[data-check=label-bias-answer]");
      expect((await answer.textContent())!.replace(/\s+/g, " ")).toContain(
        `(${pct(k1, n1)} of ${n1.toLocaleString("en-GB")} against ${pct(k0, n0)} of ${n0.toLocaleString("en-GB")} for white children; difference `,
      );
      await page.locator("[data-check=label-bias] table").waitFor({timeout: 30_000});
      expect(await page.locator("[data-check=label-bias] table").textContent()).toContain("(pooled; 95%)");
      expect(await page.locator("main").textContent()).not.toContain("needed sharing");
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Thresholds: the answer follows the cut-off; a band keeps the same test contacts; a daily capacity runs on every contact of the test period", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/thresholds`, {waitUntil: "networkidle"});
      const heading = page.locator("h2", {hasText: "Confusion matrix"});
      await heading.waitFor({timeout: 60_000});
      const count = async () => Number((await heading.textContent())!.match(/n = ([\d,]+)/)![1].replace(/,/g, ""));
      const answer = async () => (await page.locator("[data-check=answer]").textContent())!;
      const modelId = (
        await page
          .locator("select")
          .first()
          .evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex].text)
      ).split(" ")[0];
      const {testN, periodN, days} = await testPeriodCounts(modelId);
      const n = await count();
      expect(n).toBe(testN);
      expect(await answer()).toContain(`in every 100 of the ${testN.toLocaleString("en-GB")} test contacts as likely`);
      expect(await answer()).toContain("measured against what staff decided, not against what was needed");
      expect(await page.locator("details.glossary").count()).toBe(1);
      expect((await page.locator("main").textContent())!).not.toContain("needed sharing");
      const matrix = async () => (await page.locator("table").first().textContent())!;
      const byScore = await matrix();
      await page.getByLabel("a 1–20 band").check();
      await page.waitForFunction((before) => document.querySelector("table")!.textContent !== before, byScore, {timeout: 30_000});
      expect(await count()).toBe(n);
      const byBand = await matrix();
      await page.getByLabel("a daily capacity").check();
      await page.waitForFunction((before) => document.querySelector("table")!.textContent !== before, byBand, {timeout: 30_000});
      // Every contact of the test period, counted here in the warehouse: the test set and the children already seen.
      expect(await count()).toBe(periodN);
      expect(periodN).toBeGreaterThan(testN);
      expect(await answer()).toContain(`The MASH received ${(periodN / days).toFixed(1)} contacts a day in this period`);
      expect(await answer()).toContain(`(the test set alone has ${(testN / days).toFixed(1)} a day)`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Performance: a plain answer bound to the test predictions; the test-set note counts the contacts left out; calibration rows carry intervals beside the ECE's noise floor", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/performance`, {waitUntil: "networkidle"});
      const answer = page.locator("[data-check=answer]");
      await answer.waitFor({timeout: 60_000});
      const text = (await answer.textContent())!;
      const modelId = text.match(/In short \(([^,]+),/)![1];
      const {testN, periodN, predictions} = await testPeriodCounts(modelId);
      expect(text).toContain(`In short (${modelId}, ${testN.toLocaleString("en-GB")} test contacts)`);
      // The top tenth as the reliability bins make it (contact r of the sorted n in bin ⌊10r/n⌋), from the predictions file.
      const sorted = predictions.map((p, i) => ({...p, i})).sort((a, b) => a.score - b.score || a.i - b.i);
      const top = sorted.filter((_, r) => Math.floor((r * 10) / sorted.length) === 9);
      const shared = top.filter((p) => p.y === 1).length;
      expect(text).toContain(
        `top tenth (${top.length.toLocaleString("en-GB")} contacts), about ${Math.round((100 * shared) / top.length)} were shared by staff (95% interval`,
      );
      expect(text).toMatch(
        /a perfectly calibrated score would show about 0\.\d{3} at this n by chance alone \(95% of the time below 0\.\d{3}\)/,
      );
      expect(await page.locator("details.glossary").count()).toBe(1);
      const note = (await page.locator("[data-check=test-set]").textContent())!;
      expect(note).toContain(`leaves out the ${(periodN - testN).toLocaleString("en-GB")} contacts`);
      expect(note).toContain(`${testN.toLocaleString("en-GB")} of ${periodN.toLocaleString("en-GB")} contacts`);
      // The calibration table: every version's Brier, ECE, slope and calibration-in-the-large with an interval, the noise floor beside the ECE.
      const table = page.locator("table", {hasText: "isotonic, fitted on"});
      const headers = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      expect(headers.indexOf("ECE of a perfectly calibrated score at this n")).toBe(headers.indexOf("ECE (95% CI)") + 1);
      const rows = await table
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      expect(rows).toHaveLength(3);
      for (const r of rows)
        for (const name of ["Brier (95% CI)", "ECE (95% CI)", "slope (95% CI)", "calibration-in-the-large (95% CI)"])
          expect(r[headers.indexOf(name)], `${r[0]}: ${name}`).toMatch(/^-?\d+\.\d+ \(-?\d+\.\d+–-?\d+\.\d+\)$/);
      expect((await page.locator("main").textContent())!).not.toContain("needed the outcome");
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Explanations: the answer compares sources with the most frequent one; contrasts are far narrower than single coefficients and follow the chosen reference", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      // Independently: the most frequent source in the warehouse, and the dictionary's labels.
      const dict = loadDictionary();
      const source = dict.roles.baseline_feature!;
      const codes = dict.variables.find((v) => v.name === source)!.codes!;
      const label = (code: string) => codes.find((c) => c.code === code)!.label;
      const [{mode}] = await withDuckDB(async (db) => {
        await db.run(`ATTACH ${literal("data/processed/warehouse.duckdb")} AS wh (READ_ONLY)`);
        return queryRows(db, `SELECT mode(CAST("${source}" AS VARCHAR)) AS mode FROM wh.contacts`);
      });
      const reference = label(String(mode));

      await page.goto(`${server.origin}/explanations`, {waitUntil: "networkidle"});
      const answer = page.locator("[data-check=answer]");
      await answer.waitFor({timeout: 60_000});
      expect(await answer.textContent()).toContain(`is ${reference} (the most frequent: n = `);
      expect(await answer.textContent()).toContain("The model is penalised (ridge λ = ");
      const table = page.locator("[data-check=contrast-table]");
      await table.waitFor({timeout: 30_000});
      const read = async () =>
        table
          .locator("tbody tr")
          .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      const interval = (text: string) => {
        const m = text.replace(/−/g, "-").match(/^([-+]?\d+\.\d+) \((-?\d+\.\d+) to (-?\d+\.\d+)\)$/);
        if (!m) throw new Error(`not an estimate with an interval: "${text}"`);
        return {value: Number(m[1]), lo: Number(m[2]), hi: Number(m[3])};
      };
      const rows = await read();
      expect(rows.map((r) => r[0])).not.toContain(reference);
      expect(rows.length).toBeGreaterThanOrEqual(codes.length - 1);
      for (const r of rows) {
        if (r[2] === "no training contacts") continue;
        const c = interval(r[2]),
          alone = interval(r[5]);
        expect(c.hi - c.lo, r[0]).toBeLessThan(alone.hi - alone.lo);
      }
      // The issue's example: anonymous contacts against the most frequent source.
      const anon = rows.find((r) => r[0] === label("anonymous"))!;
      const c = interval(anon[2]),
        alone = interval(anon[5]);
      expect(alone.hi - alone.lo).toBeGreaterThan(3 * (c.hi - c.lo));
      expect(alone.lo < 0 && alone.hi > 0).toBe(true);
      expect(c.hi).toBeLessThan(0);
      // Another reference: the page recomputes, and the old reference's contrast is the reverse of the new one's.
      const other = rows.find((r) => r[0] !== label("anonymous") && r[2] !== "no training contacts")!;
      const before = interval(other[2]);
      const select = page.getByLabel("Compared with", {exact: true});
      const option = await select
        .locator("option")
        .evaluateAll((os, name) => os.findIndex((o) => o.textContent!.startsWith(`${name} (`)), other[0]);
      await select.selectOption({index: option});
      await page.waitForFunction(
        (name) => document.querySelector("[data-check=contrast-table] thead")!.textContent!.includes(`Against ${name}`),
        other[0],
        {
          timeout: 30_000,
        },
      );
      const back = interval((await read()).find((r) => r[0] === reference)![2]);
      expect(back.value).toBeCloseTo(-before.value, 2);
      expect(back.hi - back.lo).toBeCloseTo(before.hi - before.lo, 2);
      // Labels, not codes.
      const text = (await page.locator("main").textContent())!;
      expect(text).not.toContain(`${source}=`);
      expect(text).not.toContain("la_services");
      // The MLP: no coefficients, said plainly.
      const models = page.getByLabel("Model", {exact: true});
      const mlp = await models.locator("option").evaluateAll((os) => os.findIndex((o) => o.textContent!.includes(", mlp)")));
      if (mlp >= 0) {
        await models.selectOption({index: mlp});
        await page.locator("[data-check=no-coefficients]").waitFor({timeout: 30_000});
        expect(await answer.textContent()).toContain("it has no coefficients");
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("Explanations what-if in Chromium", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  it("What-if: changing a select changes the shown score to what the page's own data predict, for each model; the nearest contacts are in other bands; reset restores the contact", async () => {
    const {readdirSync} = await import("node:fs");
    const {whatIfProbe} = await import("../../src/lib/whatif.ts");
    type Data = import("../../src/lib/whatif.ts").WhatIfData;
    // The page's own data: the whatif.json the build wrote.
    const folder = join(SITE_DIST, "_file", "data");
    const file = readdirSync(folder).find((f) => /^whatif\.[0-9a-f]+\.json$/.test(f));
    expect(file, "whatif.json in the built site").toBeDefined();
    const data = JSON.parse(readFileSync(join(folder, file!), "utf8")) as Data;
    const dict = loadDictionary();
    const source = dict.roles.baseline_feature!;
    const codes = dict.variables.find((v) => v.name === source)!.codes!;

    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/explanations`, {waitUntil: "networkidle"});
      const card = page.locator("[data-check=whatif]");
      const score = page.locator("[data-check=whatif-score]");
      await score.waitFor({timeout: 60_000});
      const models = page.getByLabel("Model", {exact: true});
      const count = await models.locator("option").count();
      const kinds = new Set<string>();
      for (let k = 0; k < count; k++) {
        await models.selectOption({index: k});
        const modelId = (await models.evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex].text)).split(" ")[0];
        await page.waitForFunction((id) => document.querySelector("[data-check=whatif] h2")!.textContent!.includes(id), modelId, {
          timeout: 30_000,
        });
        await score.waitFor({timeout: 30_000});
        const m = data.models.find((x) => x.id === modelId)!;
        expect(m, modelId).toBeDefined();
        kinds.add(m.model);
        const probe = whatIfProbe(data, m);
        const contact = page.getByLabel("Test contact", {exact: true});
        const shown = async () => ({
          score: Number(await score.getAttribute("data-score")),
          band: Number(await score.getAttribute("data-band")),
        });
        const pickedRow = async () => {
          const id = (await contact.evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex].text)).split(" ")[0];
          return probe.rows.find((r) => r._id === id);
        };
        // Once the cells have run for this model: the score shown is the picked contact's, as recorded.
        await expect
          .poll(
            async () => {
              const r = await pickedRow();
              return r !== undefined && Math.abs((await shown()).score - probe.explain(r).score) < 1e-12;
            },
            {timeout: 30_000},
          )
          .toBe(true);
        const row = (await pickedRow())!;
        const recorded = probe.explain(row);
        expect((await shown()).band).toBe(recorded.band);
        // The source that moves this contact's score most, chosen in the form's select (labels, not codes).
        const choices = codes.filter((c) => c.code !== row[source]).map((c) => ({c, r: probe.explain({...row, [source]: c.code})}));
        const {c: choice, r: expected} = choices.sort(
          (a, b) => Math.abs(b.r.score - recorded.score) - Math.abs(a.r.score - recorded.score),
        )[0];
        expect(Math.abs(expected.score - recorded.score)).toBeGreaterThan(1e-3);
        const select = card.locator(`[data-variable="${source}"] select`);
        expect((await select.locator("option").allTextContents()).filter((t) => t !== "not recorded")).toEqual(codes.map((c) => c.label));
        await select.selectOption(choice.code);
        await page.waitForFunction(
          (before) => document.querySelector("[data-check=whatif-score]")!.getAttribute("data-score") !== before,
          String(recorded.score),
          {timeout: 30_000},
        );
        const after = await shown();
        expect(Math.abs(after.score - expected.score), modelId).toBeLessThan(1e-12);
        expect(after.band).toBe(expected.band);
        expect(await score.textContent()).toContain(`Score ${(100 * expected.score).toFixed(1)}%, band ${expected.band} of 20`);
        const original = codes.find((c) => c.code === row[source])?.label ?? "not recorded";
        expect(await card.locator(`[data-variable="${source}"] .whatif-note`).textContent()).toBe(`changed from ${original}`);
        // The nearest sampled contacts are all in another band than the edited contact's.
        const bands = await card
          .locator("[data-check=whatif-nearest] tbody tr")
          .evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll("td")[1].textContent)));
        expect(bands).toHaveLength(5);
        for (const b of bands) expect(b).not.toBe(expected.band);
        await card.getByRole("button", {name: "Reset to the contact as recorded"}).click();
        await page.waitForFunction(
          (want) => Math.abs(Number(document.querySelector("[data-check=whatif-score]")!.getAttribute("data-score")) - want) < 1e-12,
          recorded.score,
          {timeout: 30_000},
        );
      }
      expect([...kinds].sort()).toEqual(["logistic", "mlp"]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe.skipIf(!chromiumInstalled() && allowSkipWithoutChromium())("evaluation pages: downloads and the address", () => {
  const session = useSiteInBrowser(async () => {
    if (build.exitCode !== 0) throw new Error(`the site did not build\n${describeRun(build)}`);
    return SITE_DIST;
  });

  /** The built site's copy of a page data file (what the page's FileAttachment fetches from /_file/data/). */
  async function pageData(name: string) {
    const {readdirSync} = await import("node:fs");
    const folder = join(SITE_DIST, "_file", "data");
    const file = readdirSync(folder).find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.json$`).test(f));
    expect(file, `${name}.json in the built site`).toBeDefined();
    return JSON.parse(readFileSync(join(folder, file!), "utf8"));
  }

  type Page = import("playwright-core").Page;
  /** Presses one download button of the chart or table named `name`; its file name and bytes. */
  async function download(page: Page, name: string, kind: "csv" | "svg" | "png") {
    const button = page.locator(`[aria-label="Download ${name.replace(/-/g, " ")}"] button[data-download=${kind}]`);
    await button.waitFor({timeout: 60_000});
    const [file] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), button.click()]);
    const path = await file.path();
    return {file: file.suggestedFilename(), bytes: readFileSync(path)};
  }

  /** A downloaded CSV as objects keyed by its header, cells unescaped. */
  async function csvObjects(bytes: Buffer) {
    const {csvRecords, unescapeCsvCell} = await import("../../src/lib/csv.ts");
    const [header, ...body] = csvRecords(bytes.toString("utf8"));
    const columns = header.fields.map(unescapeCsvCell);
    return {columns, rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, unescapeCsvCell(r.fields[i] ?? "")])))};
  }

  /** A CSV cell against the value drawn: numbers as numbers, missing as empty, text as itself. */
  function expectCell(cell: string, value: unknown, where: string) {
    if (value == null || (typeof value === "number" && !Number.isFinite(value))) expect(cell, where).toBe("");
    else if (typeof value === "number") expect(Number(cell), where).toBe(value);
    else expect(cell, where).toBe(String(value));
  }

  function expectImages(svg: {file: string; bytes: Buffer}, png: {file: string; bytes: Buffer}, name: string) {
    expect(svg.file).toBe(`${name}.svg`);
    const text = svg.bytes.toString("utf8");
    expect(text.startsWith("<svg")).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text.length).toBeGreaterThan(1000);
    expect(png.file).toBe(`${name}.png`);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.length).toBeGreaterThan(1000);
  }

  it("Performance: the ROC chart's CSV is exactly the curves drawn from the page's data, its SVG and PNG are images; the comparison table's CSV is its rows", async () => {
    const ev = await pageData("evaluation");
    const target = ev.models[0].target;
    const models = ev.models.filter((m: {target: string}) => m.target === target);
    const drawn = models.flatMap((m: {id: string; roc: Record<string, unknown>[]}) => m.roc.map((d) => ({...d, model: m.id})));
    expect(drawn.length).toBeGreaterThan(10);

    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}, acceptDownloads: true});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/performance`, {waitUntil: "networkidle"});
      const csv = await download(page, "roc-curves", "csv");
      expect(csv.file).toBe("roc-curves.csv");
      const {columns, rows} = await csvObjects(csv.bytes);
      expect(columns).toEqual(Object.keys(drawn[0]));
      expect(rows.length).toBe(drawn.length);
      rows.forEach((r, i) => {
        for (const c of columns) expectCell(r[c], drawn[i][c], `row ${i + 1}, ${c}`);
      });
      expectImages(await download(page, "roc-curves", "svg"), await download(page, "roc-curves", "png"), "roc-curves");

      // The comparison table: one row per model, as the table shows them.
      const table = await csvObjects((await download(page, "models-compared", "csv")).bytes);
      const shown = await page
        .locator('[aria-label="Download models compared"]')
        .locator("xpath=..")
        .locator("table tbody tr")
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      expect(table.rows.map((r) => r.model)).toEqual(models.map((m: {id: string}) => m.id));
      expect(table.rows.map((r) => Number(r.n))).toEqual(models.map((m: {test: {n: number}}) => m.test.n));
      expect(shown.map((cells) => cells.find((c) => table.rows.some((r) => r.model === c)))).toEqual(table.rows.map((r) => r.model));
      for (const r of table.rows) expect(shown.flat()).toContain(r["AUC (95% CI)"]);
      // A table has no image to download.
      await expect.poll(() => page.locator('[aria-label="Download models compared"] button[data-download=svg]').isHidden()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Fairness: the error-rate table's CSV equals its visible cells, and the FPR ratio chart's CSV has the ratios of those counts; SVG and PNG are images", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}, acceptDownloads: true});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/fairness`, {waitUntil: "networkidle"});
      const tableEl = page.locator("[data-check=fairness-table] table");
      await tableEl.waitFor({timeout: 60_000});
      const headers = await tableEl.locator("thead th").evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      const shown = await tableEl
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent!.trim())));
      const table = await csvObjects((await download(page, "error-rates-by-group", "csv")).bytes);
      expect(table.rows.length).toBe(shown.length);
      for (const [i, cells] of shown.entries())
        for (const [j, h] of headers.entries()) {
          if (!h || !table.columns.includes(h)) continue;
          const cell = table.rows[i][h];
          // Inputs.table writes numbers with thousands separators.
          if (h === "n") expect(Number(cell), `n of ${cells[j - 1]}`).toBe(Number(cells[j].replace(/,/g, "")));
          else expect(cell, `${h} of row ${i + 1}`).toBe(cells[j]);
        }
      expect(table.columns.filter((c) => headers.includes(c)).length).toBeGreaterThanOrEqual(5);

      const ratio = await csvObjects((await download(page, "false-positive-rate-ratio", "csv")).bytes);
      expect(ratio.rows.map((r) => r.group)).toEqual(table.rows.map((r) => r.group));
      expect(ratio.rows.map((r) => r.n)).toEqual(table.rows.map((r) => r.n));
      const counts = (r: Record<string, string>) => {
        const [tp, fp, tn, fn] = r["TP / FP / TN / FN"].split(" / ").map(Number);
        return {tp, fp, tn, fn};
      };
      const refIndex = ratio.rows.findIndex((r) => r.reference === "true");
      expect(table.rows[refIndex]["FPR ratio"]).toBe("reference");
      const ref = counts(table.rows[refIndex]);
      const fpr = (c: {fp: number; tn: number}) => c.fp / (c.fp + c.tn);
      let checked = 0;
      for (const [i, r] of ratio.rows.entries()) {
        const c = counts(table.rows[i]);
        if (r.ratio === "" || c.fp === 0 || ref.fp === 0) continue;
        expect(Number(r.ratio)).toBeCloseTo(fpr(c) / fpr(ref), 9);
        expect(Number(r.lo)).toBeLessThanOrEqual(Number(r.ratio));
        expect(Number(r.hi)).toBeGreaterThanOrEqual(Number(r.ratio));
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
      expectImages(
        await download(page, "false-positive-rate-ratio", "svg"),
        await download(page, "false-positive-rate-ratio", "png"),
        "false-positive-rate-ratio",
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Thresholds: ?threshold=0.3 opens the slider at 0.3, and moving it writes the new value into the address", async () => {
    const {browser, server} = session();
    const page = await browser.newPage({viewport: {width: 1400, height: 900}});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/thresholds?threshold=0.3`, {waitUntil: "networkidle"});
      // The slider's number field (the first on the page: model and cut-off kind come before it).
      const number = page.locator("input[type=number]").first();
      await number.waitFor({timeout: 60_000});
      await expect.poll(() => number.inputValue()).toBe("0.3");
      const heading = page.locator("h2", {hasText: "Confusion matrix"});
      await heading.waitFor();
      const before = await page.locator("[data-check=answer]").textContent();
      expect(before).toContain("0.30");
      await number.fill("0.45");
      await number.dispatchEvent("input");
      await expect.poll(() => new URL(page.url()).searchParams.get("threshold"), {timeout: 15_000}).toBe("0.45");
      await expect.poll(() => page.locator("[data-check=answer]").textContent(), {timeout: 15_000}).toContain("0.45");
      // Reopening the written address restores the view.
      await page.goto(page.url(), {waitUntil: "networkidle"});
      await expect.poll(() => page.locator("input[type=number]").first().inputValue(), {timeout: 60_000}).toBe("0.45");
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
