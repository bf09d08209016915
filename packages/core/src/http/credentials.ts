/**
 * Finding the credential in a request: `Authorization: Bearer`, API-key headers and (when
 * enabled) a query parameter. Exactly one credential per request is allowed (RFC 6750 §2:
 * clients must not use more than one method); two or more answer 400 `invalid_request`.
 */
import type { RequestHeaders } from "./types.js";

/** Where credentials may come from (resolved options). */
export interface CredentialSources {
  bearer: boolean;
  /** Lower-case header names. */
  headerNames: readonly string[];
  /** Query parameter name, or null when query-string keys are off. */
  query: string | null;
}

/** What was found: nothing, exactly one credential, or several (a client error). */
export type FoundCredential = { kind: "none" } | { kind: "one"; token: string } | { kind: "many" };

const NONE: FoundCredential = Object.freeze({ kind: "none" });
const MANY: FoundCredential = Object.freeze({ kind: "many" });

/** `<scheme> <rest>`, tolerant of surrounding and repeated spaces (RFC 9110 auth-scheme is a token). */
const AUTHORIZATION = /^[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]+(.*?))?[ \t]*$/s;

/**
 * Every line of one request header (case-insensitive name), as the adapter handed them over:
 * an array holds one entry per line (Node's `req.headersDistinct`); a Web `Headers` or a
 * Node `req.headers` value may hold several lines folded into one, joined with ", ".
 */
export function headerLines(headers: RequestHeaders, name: string): readonly string[] {
  if (typeof (headers as Headers).get === "function" && typeof (headers as Headers).has === "function") {
    const value = (headers as Headers).get(name);
    return value === null ? [] : [value];
  }
  const record = headers as Readonly<Record<string, string | string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    // Names in another case (a hand-made record); Node's own are lower-case already.
    for (const key in record) {
      if (key.length === name.length && key.toLowerCase() === name && Object.hasOwn(record, key)) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined) return NO_LINES;
  if (typeof value === "string") return [value];
  const lines: readonly unknown[] = value;
  return lines.every(isString) ? (lines as readonly string[]) : lines.filter(isString);
}

const NO_LINES: readonly string[] = Object.freeze([]);
const isString = (item: unknown): item is string => typeof item === "string";

/**
 * The non-empty values of an API-key header. A comma separates field lines a framework folded
 * together (RFC 9110 §5.3), and keyward tokens never contain one, so `"A, B"` is two values.
 */
function keyHeaderValues(line: string): string[] {
  if (!line.includes(",")) {
    const trimmed = line.trim();
    return trimmed ? [trimmed] : [];
  }
  return line
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** `name=` (an auth-param) at the start of a list element, as opposed to a new `scheme …`. */
const AUTH_PARAM = /^[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=/;

/**
 * The credentials of one `Authorization` line, which may be several lines a framework folded
 * into one with ", ". Commas inside quoted strings are kept, and an element that is an
 * auth-param (`realm="x"`) continues the credential before it (RFC 9110 §11.4), so one Digest
 * credential stays one; any other element starts a new credential.
 */
function authorizationCredentials(line: string): string[] {
  if (!line.includes(",")) return line.trim() === "" ? [] : [line];
  const elements: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) {
      elements.push(line.slice(start, i));
      start = i + 1;
    }
  }
  elements.push(line.slice(start));
  const credentials: string[] = [];
  for (const element of elements) {
    if (element.trim() === "") continue;
    if (credentials.length > 0 && AUTH_PARAM.test(element)) {
      credentials[credentials.length - 1] += `,${element}`;
    } else {
      credentials.push(element);
    }
  }
  return credentials;
}

/** The token of an `Authorization` value when its scheme is Bearer (any case); null for other schemes. */
export function bearerToken(value: string): string | null {
  // The common form, "Bearer <token>" with no stray whitespace, without the regular expression.
  if (value.startsWith("Bearer ") && value.length > 7) {
    const code = value.charCodeAt(7);
    const last = value.charCodeAt(value.length - 1);
    if (code !== 32 && code !== 9 && last !== 32 && last !== 9) return value.slice(7);
  }
  const match = AUTHORIZATION.exec(value);
  if (!match || match[1]!.toLowerCase() !== "bearer") return null;
  return match[2] ?? "";
}

function queryValues(url: string, name: string): string[] {
  const start = url.indexOf("?");
  if (start === -1) return [];
  const hash = url.indexOf("#", start);
  const search = url.slice(start + 1, hash === -1 ? undefined : hash);
  return new URLSearchParams(search).getAll(name);
}

/**
 * The request's credential. Other `Authorization` schemes (Basic, session schemes) are
 * ignored, so a request carrying them counts as having no API key; so are empty values
 * (`X-API-Key:` with nothing after it, `Authorization: Bearer` without a token).
 *
 * Repeated header lines count one by one, whether the adapter passes them as an array
 * (Node's `req.headersDistinct`) or folded with ", " (Web `Headers`): two `Authorization`
 * credentials of any scheme, or two API-key values, are `many` (400 `invalid_request`).
 */
export function findCredential(
  headers: RequestHeaders,
  url: string,
  sources: CredentialSources,
): FoundCredential {
  let token: string | null = null;
  let count = 0;
  if (sources.bearer) {
    let credentials = 0;
    for (const line of headerLines(headers, "authorization")) {
      for (const value of authorizationCredentials(line)) {
        credentials++;
        const found = bearerToken(value);
        if (found) {
          token = found;
          count++;
        }
      }
    }
    // Authorization is a singleton field: two credentials in it (say Basic, then Bearer) are
    // ambiguous, and ignoring one could wave a bad key through as "no credentials".
    if (credentials > 1) return MANY;
  }
  for (const name of sources.headerNames) {
    for (const line of headerLines(headers, name)) {
      for (const value of keyHeaderValues(line)) {
        token = value;
        count++;
      }
    }
  }
  if (sources.query !== null) {
    for (const value of queryValues(url, sources.query)) {
      const trimmed = value.trim();
      if (trimmed) {
        token = trimmed;
        count++;
      }
    }
  }
  if (count === 0) return NONE;
  if (count > 1) return MANY;
  return { kind: "one", token: token! };
}
