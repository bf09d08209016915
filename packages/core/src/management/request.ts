/**
 * Reads the framework-neutral parts of a request: header values, the query as a plain object,
 * and the JSON body (parsed here when the adapter hands over text).
 */
import type { RequestHeaders } from "../http/types.js";
import type { KeysApiQuery } from "./types.js";
import type { ValidationError } from "./validate.js";

/** One header value (first of a list), case-insensitive name. */
function headerValue(headers: RequestHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value = record[name] ?? record[Object.keys(record).find((key) => key.toLowerCase() === name) ?? ""];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

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

function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Whether the request declares a body (RFC 9112: Content-Length > 0 or Transfer-Encoding). */
function declaresBody(headers: RequestHeaders | undefined): boolean {
  const length = headerValue(headers, "content-length");
  if (length !== undefined && length.trim() !== "" && Number(length) > 0) return true;
  return headerValue(headers, "transfer-encoding") !== undefined;
}

/** The parsed body, or the validation errors to answer with. */
type BodyOutcome = { ok: true; value: unknown } | { ok: false; detail: string; errors: ValidationError[] };

/**
 * The request body: `rawBody` parsed as JSON when given, `body` otherwise. A body that is
 * present must be declared `application/json` (or `+json`), in every adapter alike. A write
 * that declares any other media type is refused even when empty: that is what an HTML form
 * posted from another site looks like, so refusing it keeps cookie-authenticated callers safe
 * from cross-site form posts.
 */
export function readBody(
  headers: RequestHeaders | undefined,
  body: unknown,
  rawBody: string | undefined,
  write: boolean,
): BodyOutcome {
  const present = rawBody !== undefined ? rawBody.length > 0 : body !== undefined && declaresBody(headers);
  const contentType = headerValue(headers, "content-type");
  if ((present || (write && contentType !== undefined)) && !isJsonMediaType(contentType)) {
    return {
      ok: false,
      detail: "Send the request body as JSON, with Content-Type: application/json.",
      errors: [{ path: "", message: "must be sent as application/json" }],
    };
  }
  if (!present) return { ok: true, value: undefined };
  if (rawBody === undefined) return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(rawBody) };
  } catch {
    return {
      ok: false,
      detail: "The request body is not valid JSON.",
      errors: [{ path: "", message: "must be valid JSON" }],
    };
  }
}
