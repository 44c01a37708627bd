// "The model card and the transparency record contain no hand-typed metric: change the model,
// rebuild, and they change." Two registry folders made here from the registered model: A, a
// copy, and B, a changed model (scores blended with seeded noise, so its metrics, card and
// predictions all differ; metrics recomputed from its predictions). The public data of each must
// carry its own registry's figures (the pages hold no typed-in figure: tests/loaders/public/pages.test.ts).
import {afterAll, beforeAll, expect, it} from "vitest";
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {modelCardData} from "../../../loaders/public/model-card.ts";
import {ensurePublicModel} from "../../../loaders/public/settings.ts";
import {smallCountsInJson} from "../../../loaders/public/scan.ts";
import {bootstrapAuc, seeded} from "../../../src/lib/metrics.ts";

let dir: string;
let a: string;
let b: string;
const read = (d: string, f: string) => JSON.parse(readFileSync(join(d, f), "utf8"));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "model-card-"));
  const registered = await ensurePublicModel("models", {}); // the newest registered model; trains the default one on a fresh clone
  a = join(dir, "models", "model-a");
  b = join(dir, "models", "model-b");
  cpSync(registered, a, {recursive: true});
  cpSync(registered, b, {recursive: true});
  // Model B: a different (worse) model of the same contacts.
  const rand = seeded(7);
  const [header, ...lines] = readFileSync(join(a, "predictions.internal.csv"), "utf8").trim().split("\n");
  const rows = lines.map((l) => l.split(",")).map(([id, split, y, score]) => [id, split, y, String(0.5 * Number(score) + 0.5 * rand())]);
  writeFileSync(join(b, "predictions.internal.csv"), [header, ...rows.map((r) => r.join(","))].join("\n") + "\n");
  const m = read(a, "metrics.json");
  const auc = bootstrapAuc(
    rows.map((r) => Number(r[3])),
    rows.map((r) => Number(r[2])),
    {replicates: 50, seed: 1},
  );
  writeFileSync(
    join(b, "metrics.json"),
    JSON.stringify({
      ...m,
      test: {
        ...m.test,
        auc,
        brier: {...m.test.brier, value: m.test.brier.value + 0.01, lo: m.test.brier.lo + 0.01, hi: m.test.brier.hi + 0.01},
      },
      validation: {...m.validation, auc: {...m.validation.auc, value: m.validation.auc.value - 0.05}},
    }),
  );
  const card = read(a, "card.json");
  writeFileSync(
    join(b, "card.json"),
    JSON.stringify({
      ...card,
      id: "model-b",
      model: card.model === "mlp" ? "logistic" : "mlp",
      seed: card.seed + 1,
      gitCommit: "0123456789abcdef",
      trainedAt: "2027-01-02T03:04:05.000Z",
      config: {...card.config, mlp: {...card.config.mlp, hidden: [8]}},
    }),
  );
}, 300_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("the model card and the ATRS record carry each model's own figures, and change with the model", async () => {
  const [A, B] = [await modelCardData(a), await modelCardData(b)];
  for (const [d, folder] of [
    [A, a],
    [B, b],
  ] as const) {
    const m = read(folder, "metrics.json");
    const card = read(folder, "card.json");
    const [testAuc, baseline, brier, validAuc] = d.modelCard.metrics;
    expect([testAuc.value, testAuc.lo, testAuc.hi]).toEqual([m.test.auc.value, m.test.auc.lo, m.test.auc.hi]);
    expect(baseline.value).toBe(m.baselines.oneVariable.auc.value);
    expect(brier.value).toBe(m.test.brier.value);
    expect(brier.baseline.value).toBe(m.test.baselineBrier);
    expect(validAuc.value).toBe(m.validation.auc.value);
    expect(d.atrs.tier2.performance).toEqual(d.modelCard.metrics);
    expect(d.modelCard.details.seed).toBe(card.seed);
    expect(d.atrs.tier2.model.gitCommit).toBe(card.gitCommit.slice(0, 12));
    expect(d.modelCard.data.split.total).toBe(
      ["train", "valid", "test", "pilot", "excluded", "censored"].reduce((s, k) => s + (m.split[k] ?? 0), 0),
    );
  }
  expect(B.modelCard.metrics[0].value).not.toBe(A.modelCard.metrics[0].value);
  // B claims the other kind of model than the registered one: the card follows the registry.
  const kindOf = (t: string) => (/neural network/.test(t) ? "mlp" : "logistic");
  expect(kindOf(B.modelCard.details.type)).toBe(read(b, "card.json").model);
  expect(kindOf(A.modelCard.details.type)).toBe(read(a, "card.json").model);
  expect(A.modelCard.details.type).not.toBe(B.modelCard.details.type);
  expect(B.atrs.tier1.howItWorks).not.toBe(A.atrs.tier1.howItWorks);
  // The group analyses come from each model's own predictions.
  const aucs = (d: typeof A) => d.modelCard.fairness.flatMap((f) => f.groups.map((g) => (typeof g.auc === "string" ? g.auc : g.auc.value)));
  expect(aucs(B)).not.toEqual(aucs(A));
  // Everything published passed disclosure control.
  expect(smallCountsInJson(A, 5)).toEqual([]);
  expect(smallCountsInJson(await modelCardData(a, undefined, {threshold: 10}), 10)).toEqual([]);
}, 60_000);
