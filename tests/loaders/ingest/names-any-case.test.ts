// Names in any case are refused (issue 19): the real `workbench ingest` in a child process on
// extracts made from the first rows of the synthetic sample, with names planted in lower, upper
// and mixed case — in a notes column, in a category column, as a full name in a `defendant`
// column, and as lone first names and surnames in `given` and `family` columns. Each is refused
// with exit 2 naming the column and the kind, and no planted value appears in what the command
// prints or the report it writes. The same extract with nothing planted is accepted (exit 0).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SAMPLE = readFileSync(join(ROOT, "data/sample/contacts.csv"), "utf8").split("\n");
const HEADER = SAMPLE[0];
const ROWS = SAMPLE.slice(1, 61);

const NOTES = ["spoke to olivia smith at school", "JACK TAYLOR rang the duty desk", "Mum jAnE sMiTh called back"];
const GIVEN = ["olivia", "AMELIA", "Harry", "sophie", "NOAH", "Isla"];
const FAMILY = ["smith", "JONES", "Taylor", "wilson", "EVANS", "Davies"];
const DEFENDANT = ["jack taylor", "OLIVER WRIGHT", "Amelia Johnson"];
const PLANTED = [...NOTES, ...GIVEN, ...FAMILY, ...DEFENDANT, "family member olivia smith"];

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "names-any-case-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** Writes the lines as an extract and runs `workbench ingest` on it. */
function ingest(name: string, lines: string[]) {
  const dir = join(work, name);
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, "contacts.csv"), lines.join("\n") + "\n");
  const report = join(dir, "report.json");
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "loaders/cli.ts",
      "ingest",
      "--extract",
      join(dir, "contacts.csv"),
      "--db",
      join(dir, "wh.duckdb"),
      "--report",
      report,
    ],
    {cwd: ROOT, encoding: "utf8", env: {...process.env, NO_COLOR: "1"}},
  );
  return {code: run.status, output: run.stdout + run.stderr, report: readFileSync(report, "utf8")};
}

/** The sample rows with a column added (a value per row, cycling; "" where `only` leaves it out). */
const withColumn = (name: string, values: string[], only = ROWS.length) => [
  `${HEADER},${name}`,
  ...ROWS.map((r, i) => `${r},${i < only ? values[i % values.length] : ""}`),
];

describe("names in any case", () => {
  it("the extract with nothing planted is accepted (no false alarm on the sample's own values)", () => {
    const run = ingest("clean", [HEADER, ...ROWS]);
    expect(run.code, run.output).toBe(0);
  });

  // Each case: how the extract is made, then the column and the count the refusal must name.
  const cases: [string, () => string[], string, number][] = [
    ["notes column", () => withColumn("notes", NOTES, 3), "notes", 3],
    [
      "given and family columns",
      () => withColumn("given", GIVEN).map((l, i) => `${l},${i ? FAMILY[(i - 1) % 6] : "family"}`),
      "family",
      60,
    ],
    ["defendant column", () => withColumn("defendant", DEFENDANT, 3), "defendant", 3],
    [
      "category column",
      () => [
        HEADER,
        ...ROWS.map((r, i) =>
          i === 5
            ? r.replace(
                /,police,|,school,|,health,|,la_services,|,anonymous,|,family_member,|,neighbour,|,self,|,probation,|,gp,|,housing,/,
                ",family member olivia smith,",
              )
            : r,
        ),
      ],
      "referral_source",
      1,
    ],
  ];

  for (const [label, lines, column, count] of cases)
    it(`refused for names in a ${label} (exit 2, column and kind named, no value shown)`, () => {
      const extract = lines();
      expect(PLANTED.some((p) => extract.join("\n").includes(p))).toBe(true);
      const run = ingest(label.replace(/ /g, "-"), extract);
      expect(run.code, run.output).toBe(2);
      expect(run.output).toContain(`column "${column}" — person name (by content, ${count} value${count === 1 ? "" : "s"})`);
      for (const value of PLANTED) {
        expect(run.output.toLowerCase()).not.toContain(value.toLowerCase());
        expect(run.report.toLowerCase()).not.toContain(value.toLowerCase());
      }
    });
});
