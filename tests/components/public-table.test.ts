// @vitest-environment jsdom
// HTML snapshot of the published table (src/data-sheet.md, src/results.md, src/model-card.md):
// counts after the real disclosure control, suppressed cells shown as "c", with totals.
import {describe, expect, it} from "vitest";
import {PublicTable} from "../../src/components/public-table.ts";
import {suppressTable} from "../../src/lib/disclosure.ts";
import {asElement, clean} from "./snapshot.ts";

const confusion = suppressTable({
  rows: ["Female", "Male", "Not known"],
  cols: ["tp", "fn", "fp", "tn"],
  counts: [
    [120, 40, 60, 1300],
    [100, 50, 70, 1250],
    [3, 8, 9, 40],
  ],
});

describe("public table (HTML snapshot)", () => {
  it("shows published counts with totals, and 'c' where a count is suppressed", async () => {
    const el = asElement(
      PublicTable(confusion, {
        rowLabels: {"Not known": "Not recorded"},
        colLabels: {tp: "flagged, happened", fn: "not flagged, happened", fp: "flagged, did not happen", tn: "not flagged, did not happen"},
        caption: "Test contacts (c: small numbers)",
      }),
    );
    expect(el.querySelector("caption")?.textContent).toBe("Test contacts (c: small numbers)");
    expect([...el.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual([
      "",
      "flagged, happened",
      "not flagged, happened",
      "flagged, did not happen",
      "not flagged, did not happen",
      "Total",
    ]);
    expect([...el.querySelectorAll("tbody th")].map((th) => th.textContent)).toEqual(["Female", "Male", "Not recorded"]);
    // every suppressed cell is marked and written "c"; the 3 is among them
    const suppressed = [...el.querySelectorAll("td[data-suppressed=yes]")];
    expect(suppressed.length).toBe(confusion.cells.flat().filter((v) => v === "c").length);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((td) => td.textContent === "c")).toBe(true);
    expect(el.querySelector("tbody tr:nth-child(3) td")?.textContent).toBe("c");
    expect(el.querySelector("tfoot td:last-child")?.textContent).toBe((3050).toLocaleString("en-GB"));
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/public-table.html");
  });

  it("a one-column table has no Total column", () => {
    const el = asElement(PublicTable(suppressTable({rows: ["training", "test"], cols: ["contacts"], counts: [[800], [200]]})));
    expect([...el.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["", "contacts"]);
    expect([...el.querySelectorAll("tfoot td")].map((td) => td.textContent)).toEqual(["1,000"]);
  });
});
