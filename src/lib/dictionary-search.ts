/**
 * Search over the dictionary for the Variables page: a variable matches when every
 * word of the query appears in its name, label, definition, group, or any code's
 * code, label, definition or synonyms (case-insensitive).
 * @example matchesQuery(variable, "constabulary") // true for a variable with the synonym "Constabulary"
 */
export interface SearchableVariable {
  name: string;
  label: string;
  definition?: string;
  group?: string;
  codes?: {code: string; label: string; definition?: string; synonyms?: string[]}[];
}

export function searchText(v: SearchableVariable): string {
  const codes = (v.codes ?? []).flatMap((c) => [c.code, c.label, c.definition ?? "", ...(c.synonyms ?? [])]);
  return [v.name, v.label, v.definition ?? "", v.group ?? "", ...codes].join(" ").toLowerCase();
}

export function matchesQuery(v: SearchableVariable, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = searchText(v);
  return words.every((w) => text.includes(w));
}
