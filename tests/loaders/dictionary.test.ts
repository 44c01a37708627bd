// Loading the dictionary: parsed once per text, a fresh copy for every caller, re-read when the file changes.
import {expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadDictionary} from "../../loaders/dictionary.ts";

it("gives each caller its own copy, and sees a changed file", () => {
  const dir = mkdtempSync(join(tmpdir(), "dict-test-"));
  try {
    const path = join(dir, "dictionary.yaml");
    const text = readFileSync("data/dictionary.yaml", "utf8");
    writeFileSync(path, text);
    const a = loadDictionary(path);
    a.variables[0].name = "changed by a caller";
    a.version = "0.0.0";
    const b = loadDictionary(path);
    expect(b.variables[0].name).not.toBe("changed by a caller");
    expect(b.version).not.toBe("0.0.0");
    writeFileSync(path, text.replace(/^version: .*$/m, "version: 7.7.7"));
    expect(loadDictionary(path).version).toBe("7.7.7");
    writeFileSync(path, "variables: 3\n");
    expect(() => loadDictionary(path)).toThrow(/no "variables" list/);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
