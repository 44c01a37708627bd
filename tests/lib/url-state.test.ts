// @vitest-environment jsdom
// Control state in the address (src/lib/url-state.ts): a control opens at the address's value
// when the control accepts it (numbers, options by id, lists), ignores one it does not, and
// writes every change back without a new history entry.
import {describe, expect, it} from "vitest";
import {bindToUrl, codecFor} from "../../src/lib/url-state.ts";

class FakeControl extends EventTarget {
  constructor(public value: unknown) {
    super();
  }
}

/** A jsdom page at `search`, with a history that records replaced addresses. */
function page(search: string) {
  const location = {href: `http://localhost/fairness${search}`};
  const replaced: string[] = [];
  const history = {
    replaceState: (_s: unknown, _t: string, url?: string | URL | null) => {
      replaced.push(String(url));
      location.href = String(url);
    },
  };
  return {location, history, replaced};
}

describe("bindToUrl", () => {
  it("opens at the address's number and writes changes back", () => {
    const p = page("?threshold=0.42&other=1");
    const c = bindToUrl(new FakeControl(0.3), "threshold", p);
    expect(c.value).toBe(0.42);
    c.value = 0.5;
    c.dispatchEvent(new Event("input"));
    expect(p.replaced.at(-1)).toBe("http://localhost/fairness?threshold=0.5&other=1");
  });

  it("matches options by id and lists of them; refuses values the control does not offer", () => {
    const models = [{id: "logistic-1"}, {id: "mlp-2"}];
    const p = page("?model=mlp-2&groups=b|c&bad=zzz");
    expect(bindToUrl(new FakeControl(models[0]), "model", {...p, options: models}).value).toBe(models[1]);
    expect(bindToUrl(new FakeControl(["a"]), "groups", {...p, options: ["a", "b", "c"]}).value).toEqual(["b", "c"]);
    expect(bindToUrl(new FakeControl(models[0]), "bad", {...p, options: models}).value).toBe(models[0]);
    expect(bindToUrl(new FakeControl(3), "model", p).value).toBe(3); // "mlp-2" is no number
  });

  it("dates travel as yyyy-mm-dd; a date that is not in the calendar is ignored", () => {
    const p = page("?from=2018-04-01&to=2019-02-30");
    const from = bindToUrl(new FakeControl(new Date("2016-01-01T00:00:00Z")), "from", p);
    const to = bindToUrl(new FakeControl(new Date("2019-12-31T00:00:00Z")), "to", p);
    expect((from.value as Date).toISOString().slice(0, 10)).toBe("2018-04-01");
    expect((to.value as Date).toISOString().slice(0, 10)).toBe("2019-12-31");
    from.value = new Date("2017-06-15T00:00:00Z");
    from.dispatchEvent(new Event("input"));
    expect(new URL(p.replaced.at(-1)!).searchParams.get("from")).toBe("2017-06-15");
  });

  it("codecs round-trip", () => {
    for (const [v, opts] of [
      [0.25, undefined],
      [true, undefined],
      ["text", undefined],
      [
        ["x", "y"],
        ["x", "y", "z"],
      ],
    ] as const) {
      const codec = codecFor(v, opts as readonly unknown[] | undefined);
      expect(codec.read(codec.write(v))).toEqual(v);
    }
  });
});
