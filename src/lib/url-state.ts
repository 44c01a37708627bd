/**
 * Control state in the page's address, so a view can be shared in a working session or cited
 * in a board paper: `bindToUrl(input, "threshold")` sets an Inputs control from `?threshold=…`
 * when the page opens (if the value is one the control accepts) and writes the control's value
 * back into the address on every change (history.replaceState: no new history entry, no reload).
 * Values are written as text; options are matched by their label or their `key`.
 *
 * @example view(bindToUrl(Inputs.range([0, 1], {value: 0.3}), "threshold")) // ?threshold=0.42 opens at 0.42
 */

/** What `bindToUrl` needs of a control: an element with a value and input events (Observable Inputs). */
export interface Control extends EventTarget {
  value: unknown;
}

/** How a value is written into the address and read back (`undefined`: not a value of this control). */
export interface Codec<T> {
  write(value: T): string;
  read(text: string): T | undefined;
}

/** The codec for a control's current value: dates (yyyy-mm-dd), numbers, booleans, text, options picked from a list, arrays of them. */
export function codecFor(value: unknown, options?: readonly unknown[], key: (o: unknown) => string = defaultKey): Codec<unknown> {
  if (options) {
    const one: Codec<unknown> = {write: (v) => key(v), read: (t) => options.find((o) => key(o) === t)};
    if (Array.isArray(value))
      return {
        write: (v) => (v as unknown[]).map(key).join("|"),
        read: (t) => {
          const picked = t === "" ? [] : t.split("|").map(one.read);
          return picked.every((p) => p !== undefined) ? picked : undefined;
        },
      };
    return one;
  }
  if (value instanceof Date)
    return {
      write: (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : ""),
      read: (t) => {
        const d = new Date(`${t}T00:00:00Z`);
        // a calendar date only (not 2019-02-30), as written
        return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === t ? d : undefined;
      },
    };
  if (typeof value === "number")
    return {write: (v) => String(v), read: (t) => (t.trim() !== "" && Number.isFinite(Number(t)) ? Number(t) : undefined)};
  if (typeof value === "boolean") return {write: (v) => String(v), read: (t) => (t === "true" ? true : t === "false" ? false : undefined)};
  return {write: (v) => String(v ?? ""), read: (t) => t};
}

/** An option's key in the address: its `id`, `name` or `key` field when it is an object, else its text. */
export function defaultKey(o: unknown): string {
  if (o && typeof o === "object") {
    const r = o as Record<string, unknown>;
    return String(r.id ?? r.name ?? r.key ?? JSON.stringify(o));
  }
  return String(o);
}

export function bindToUrl<T extends Control>(
  input: T,
  name: string,
  {
    options,
    key,
    location = globalThis.location,
    history = globalThis.history,
  }: {
    options?: readonly unknown[];
    key?: (o: unknown) => string;
    location?: Pick<Location, "href">;
    history?: Pick<History, "replaceState">;
  } = {},
): T {
  const codec = codecFor(input.value, options, key);
  const text = new URL(location.href).searchParams.get(name);
  if (text !== null) {
    const value = codec.read(text);
    if (value !== undefined) {
      input.value = value;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }
  input.addEventListener("input", () => {
    const url = new URL(location.href);
    url.searchParams.set(name, codec.write(input.value));
    history.replaceState(history === globalThis.history ? globalThis.history.state : null, "", url.toString());
  });
  return input;
}
