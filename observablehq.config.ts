// Observable Framework configuration. Offline by construction: no global
// stylesheet from a font host, no DuckDB extensions fetched at build time, and
// every npm: import served from the cache that `npm run offline-cache` fills
// from node_modules (see loaders/offline-cache.ts).
export default {
  root: "src",
  title: "MASH Workbench",
  pages: [
    {name: "Overview", path: "/"},
    {
      name: "Data",
      pages: [
        {name: "Variables", path: "/variables"},
        {name: "Data quality", path: "/quality"},
        {name: "Explore", path: "/explore"},
      ],
    },
    {name: "Models", pages: [{name: "Training", path: "/training"}]},
    {
      name: "Evaluation",
      pages: [
        {name: "Performance", path: "/performance"},
        {name: "Thresholds & workload", path: "/thresholds"},
        {name: "Fairness", path: "/fairness"},
        {name: "Explanations", path: "/explanations"},
      ],
    },
    {
      name: "Cross-check",
      pages: [
        {name: "Consistency", path: "/consistency"},
        {name: "Model and staff", path: "/crosscheck"},
      ],
    },
    // Pages with `audience: public`; `npm run build:public` builds only these (loaders/public/stage.ts).
    {
      name: "Public results",
      pages: [
        {name: "About the model", path: "/about"},
        {name: "How well it works", path: "/results"},
        {name: "Model card", path: "/model-card"},
        {name: "Data sheet", path: "/data-sheet"},
        {name: "Transparency record", path: "/transparency"},
      ],
    },
  ],
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  footer: "MASH Workbench — a model that supports, never overrides, professional judgement. Synthetic data unless stated.",
  toc: true,
  pager: false,
};
