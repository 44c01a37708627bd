// Observable Framework configuration. Offline by construction: no global
// stylesheet from a font host, no DuckDB extensions fetched at build time, and
// every npm: import served from the cache that `npm run offline-cache` fills
// from node_modules (see loaders/offline-cache.ts).

/**
 * Runs on every page (a module script in the <head>, so after the page is parsed),
 * for what Framework 1.13's page template and Observable Inputs leave out of
 * WCAG 2.2 AA (issue 21); tests/e2e/helpers/browser.ts checks every page with axe-core:
 * - the page's language (html-has-lang, 3.1.1), and zoom allowed on phones (the
 *   template's viewport says maximum-scale=1; 1.4.4);
 * - a skip link to the main content, the first tab stop, ahead of the sidebar's links
 *   (2.4.1): Enter moves focus to <main>, without changing the URL;
 * - the sidebar's close control, which repeats the toggle, hidden from assistive
 *   technology (it is a <label> directly inside the sidebar's list);
 * - as cells render: each Inputs.range slider named by its label (Inputs labels only
 *   the number box); each row's radio button in a single-select Inputs.table
 *   (`multiple: false`) named by the row's first cell ("Select 4F2A91"), its
 *   disabled "select all" box hidden; and each read-only Inputs.table that scrolls
 *   made a tab stop, so it can be scrolled from the keyboard (2.1.1). A read-only
 *   table must say `select: false`: row checkboxes are left unnamed, so the page
 *   checks catch a table that does not.
 * The favicon (src/favicon.svg) and src/a11y.css (grey text at 4.5:1, underlined
 * links, the skip link's look) are linked here too; the public build copies `head`.
 */
const PAGE_SCRIPT = `
const root = document.documentElement;
if (!root.lang) root.lang = "en-GB";
const viewport = document.querySelector("meta[name=viewport]");
if (viewport) viewport.content = viewport.content.split(",").filter((part) => !part.includes("maximum-scale")).join(",");
document.getElementById("observablehq-sidebar-close")?.setAttribute("aria-hidden", "true");
const main = document.getElementById("observablehq-main");
if (main) {
  main.tabIndex = -1;
  const skip = document.createElement("a");
  skip.className = "skip-link";
  skip.href = "#observablehq-main";
  skip.textContent = "Skip to main content";
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    main.focus({preventScroll: true});
    main.scrollIntoView();
  });
  document.body.prepend(skip);
  const fixInputs = () => {
    for (const range of main.querySelectorAll("form input[type=range]:not([aria-label], [aria-labelledby])")) {
      const label = range.form?.querySelector("label");
      if (!label?.textContent?.trim()) continue;
      label.id ||= (label.htmlFor || "range") + "-label";
      range.setAttribute("aria-labelledby", label.id);
    }
    for (const radio of main.querySelectorAll("form > table td:first-child > input[type=radio]:not([aria-label])")) {
      const first = radio.closest("tr")?.children[1]?.textContent?.trim();
      radio.setAttribute("aria-label", first ? "Select " + first : "Select this row");
    }
    // the "select all" box of a single-select table is disabled: nothing to announce
    for (const box of main.querySelectorAll("form > table th:first-child > input[type=checkbox][disabled]")) box.setAttribute("aria-hidden", "true");
    for (const table of main.querySelectorAll("form:has(> table):not([tabindex])")) {
      if (table.querySelector("input, button, select, textarea, a[href]")) continue;
      if (table.scrollHeight <= table.clientHeight + 1 && table.scrollWidth <= table.clientWidth + 1) continue;
      table.tabIndex = 0;
      table.setAttribute("role", "region");
      const heading = table.closest(".card")?.querySelector("h2, h3")?.textContent?.trim();
      table.setAttribute("aria-label", heading ? "Table: " + heading : "Table");
    }
  };
  new MutationObserver(fixInputs).observe(main, {childList: true, subtree: true});
}
`;

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
    {name: "Pilot", pages: [{name: "Impact", path: "/impact"}]},
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
  head: [
    '<link rel="icon" type="image/svg+xml" href="/favicon.svg">',
    '<link rel="stylesheet" type="text/css" href="/a11y.css">',
    `<script type="module">${PAGE_SCRIPT}</script>`,
  ].join("\n"),
  // No DuckDB extension is installed (each would be fetched from the internet).
  // tools/trim-site.mjs removes DuckDB-wasm's MVP build after the build (npm's postbuild).
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  footer: "MASH Workbench — a model that supports, never overrides, professional judgement. Synthetic data unless stated.",
  toc: true,
  pager: false,
};
