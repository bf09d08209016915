/**
 * Public types of the management API: what an adapter hands to the handler that
 * {@link createKeysApi} returns, and the options the host app configures it with.
 */
import type { AuthOptions, HttpResponse, RequestHeaders } from "../http/types.js";
import type { Duration, Keyward, QuotaInput, RateLimitInput } from "../types.js";

/** Query parameters as frameworks hand them over: a `URLSearchParams` or a parsed object. */
export type KeysApiQuery = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One management request, framework-neutral. Adapters build it and send back the
 * {@link HttpResponse} they get, untouched.
 */
export interface KeysApiRequest {
  /** HTTP method, any case. */
  method: string;
  /** Path relative to the mount point, without the query string: `"/keys/key_123/rotate"`. */
  path: string;
  query?: KeysApiQuery;
  headers?: RequestHeaders;
  /**
   * The body, already parsed from JSON by the framework, or undefined when there is none. When
   * the adapter has the raw text instead, it passes `rawBody` and leaves this undefined.
   */
  body?: unknown;
  /**
   * The body as text, for adapters that do not parse JSON themselves (Web `Request`). An empty
   * string means no body; text that is not JSON answers 400 `invalid_request`.
   */
  rawBody?: string;
  /**
   * The unread body: Node's `IncomingMessage` (any async iterable of bytes) or a Web
   * `ReadableStream`. Core reads it itself, counting bytes against `bodyLimit`, so adapters
   * should pass this rather than `body` or `rawBody`. A Node stream is left unfinished when
   * the body is refused: close the connection after sending the answer.
   */
  stream?: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;
  /** The framework's own request object, handed to the `owner` callback untouched. */
  raw?: unknown;
}

/** The handler {@link createKeysApi} returns. It never throws for a client mistake. */
export type KeysApi = (request: KeysApiRequest) => Promise<HttpResponse>;

/** Settings applied to every key created through the API. */
export interface KeysApiDefaults {
  /** Scopes of a key created without `scopes`. @defaultValue [] */
  scopes?: readonly string[];
  /** Relative expiry of a key created without `expiresIn` / `expiresAt`. @defaultValue no expiry (or `maxExpiresIn` when set) */
  expiresIn?: Duration;
  /** Rate limit of every created key; omitted: the keyward-wide default applies. */
  rateLimit?: RateLimitInput;
  /** Quota of every created key; omitted: none. */
  quota?: QuotaInput | null;
  /** Metadata merged under the metadata the caller sends (the caller's fields win). */
  metadata?: Readonly<Record<string, unknown>>;
}

/** Protect the management API with API keys instead of the `owner` callback. */
export interface KeysApiAuthOptions extends Omit<AuthOptions, "scopes" | "optional" | "failOpen"> {
  /**
   * The keyward instance that verifies the caller's key.
   * @defaultValue the instance whose keys are managed
   */
  keyward?: Keyward;
  /** Scope a key needs for `GET` requests. @defaultValue "keys:read" */
  readScope?: string;
  /** Scope a key needs for every other request. @defaultValue "keys:write" */
  writeScope?: string;
}

/** How the host app identifies the caller and what it lets callers do. */
export interface KeysApiOptions {
  /**
   * Who is calling: the owner id whose keys this request may see and change, or null when the
   * caller is not signed in (answered with 401 `unauthorized`). Receives the framework's request
   * (`req` in Express and Fastify, the Web `Request` in Next). Exactly one of `owner` and `auth`
   * is required.
   *
   * @example
   * owner: (req) => req.session?.orgId ?? null
   */
  owner?: (raw: unknown) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Authenticate callers with API keys instead: a `GET` needs `keys:read`, anything else
   * `keys:write`, and the caller key's `ownerId` is the owner. A key without an owner is
   * refused (403 `insufficient_scope`).
   */
  auth?: KeysApiAuthOptions | boolean;
  /**
   * The scopes callers may put on keys (on create and update). A requested scope passes when
   * it is listed, or covered by a listed wildcard (`"task:*"` covers `"task:read"`, `"*"`
   * covers everything); preset names must be listed as they are. Anything else answers 400
   * `invalid_request` with one error per scope. Omitted: any well-formed scope or preset name.
   */
  allowedScopes?: readonly string[];
  /**
   * Descriptions of the scopes and presets `GET /scopes` lists (`allowedScopes` when given,
   * otherwise keyward's presets and their scopes), shown by a settings page beside each choice.
   * Every name must be in that catalogue.
   *
   * @example
   * scopeDescriptions: { reader: "Read tasks", "task:write": "Create and change tasks" }
   * @defaultValue no descriptions (each entry's `description` is null)
   */
  scopeDescriptions?: Readonly<Record<string, string>>;
  /** Applied to every key created through the API. */
  defaults?: KeysApiDefaults;
  /**
   * Longest lifetime a caller may give a key (create and update). With it, every key expires:
   * a key created without an expiry gets `defaults.expiresIn ?? maxExpiresIn`.
   * @defaultValue unlimited
   */
  maxExpiresIn?: Duration;
  /**
   * Whether callers may set `rateLimit` and `quota` themselves. Off by default: limits and
   * credits are usually what a customer pays for, so they come from `defaults` and the
   * keyward-wide policy, and the request schemas do not even contain these fields.
   * @defaultValue false
   */
  editableLimits?: boolean;
  /**
   * Serve `GET /openapi.json` (without authentication: it describes the API, not any data).
   * @defaultValue true
   */
  openapi?:
    | boolean
    | { title?: string; version?: string; description?: string; servers?: readonly { url: string }[] };
  /** Base URI of problem `type` members; the error code is appended. @defaultValue "https://keyward.dev/errors/" */
  problemTypeBase?: string;
  /**
   * Largest request body accepted: bytes, or a size like `"100kb"` (1024-based). A larger
   * body answers 413 `payload_too_large` — from `Content-Length` before anything is read, or
   * as soon as a streamed body passes the limit.
   * @defaultValue 102400 (100 KiB)
   */
  bodyLimit?: number | string;
  /** Largest page a caller may ask for with `limit`. @defaultValue 100 */
  maxPageSize?: number;
  /** Clock for expiry checks (tests). @defaultValue Date.now */
  clock?: () => number;
  /**
   * Serve `POST /token` (RFC 8693 token exchange: an API key for a short-lived access token,
   * see `keyward.exchange()`) and `GET /.well-known/jwks.json`, without the `owner` check (the
   * API key is the credential). `audiences` limits the `audience` a caller may ask for; `ttl`
   * sets the tokens' lifetime.
   * @defaultValue on when the keyward instance has `signingKeys`, off otherwise
   */
  tokenExchange?: boolean | { audiences?: readonly string[]; ttl?: Duration };
}
