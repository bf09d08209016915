/**
 * Reads the framework-neutral parts of a request: the query as a plain object (the body is
 * read in `body.ts`).
 */
import type { KeysApiQuery } from "./types.js";

/** The query as `{ name: value }`, repeated names as arrays (which the schemas then reject). */
export function queryObject(query: KeysApiQuery | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (query === undefined) return out;
  const add = (name: string, value: string) => {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  };
  if (query instanceof URLSearchParams) {
    for (const [name, value] of query) add(name, value);
  } else {
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (typeof value === "string") add(name, value);
      else for (const item of value) add(name, String(item));
    }
  }
  return out;
}
