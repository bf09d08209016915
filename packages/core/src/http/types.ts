/**
 * Types of the framework-neutral HTTP step: what an adapter hands to `authenticate()` and what
 * it gets back. Adapters copy `status`, `headers` and `body` verbatim; every decision about
 * them is made in core.
 */
import type { ApiKey, VerifyOptions } from "../types.js";
import type { OperationOptions } from "./operations.js";
import type { OnReject } from "./reject.js";

/** A response an adapter sends as is. Header names are written in their usual display case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialized body (problem+json for errors). */
  body: string;
}

/**
 * Request headers: a Web `Headers`, or a record with lower-case names. From Node, pass
 * `req.headersDistinct` (one array entry per header line): `req.headers` keeps only the first
 * of several `Authorization` lines, so a second credential would go unseen.
 */
export type RequestHeaders = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** The parts of a request authentication reads. */
export interface AuthRequest {
  method: string;
  /** The request target: an absolute URL or a path with its query string (`/v1/tasks?x=1`). */
  url: string;
  headers: RequestHeaders;
  /**
   * The client address as the framework knows it (Express `req.ip`, Fastify `request.ip`, both
   * honouring their trust-proxy settings); checked against a key's `allowedIps`. Leave it out
   * when the framework does not know it.
   */
  ip?: string;
}

/** Syntax of the rate-limit response headers; false sends none. */
export type RateLimitHeadersFormat = "draft-10" | "draft-7" | "draft-6" | false;

/**
 * Options of one protected route (or router). Everything `verify()` takes, plus how the
 * credential is found and how failures are answered. Resolved and validated once, when the
 * authenticator is created; a bad option throws a `TypeError` naming it.
 */
export interface AuthOptions<S extends string = string>
  extends Omit<VerifyOptions<S>, "ip">,
    OperationOptions {
  /**
   * Let requests without any credential through with `key: null` (a session middleware can
   * take over). A credential that is present but bad is still rejected.
   * @defaultValue false
   */
  optional?: boolean;
  /**
   * Accept `Authorization: Bearer <token>` (scheme case-insensitive).
   * @defaultValue true
   */
  bearer?: boolean;
  /**
   * Other request headers that carry the key as their whole value (case-insensitive names).
   * An empty list accepts Bearer only.
   * @defaultValue ["x-api-key"]
   */
  headerNames?: readonly string[];
  /**
   * Query-string parameter that may carry the key. Off by default because URLs end up in logs,
   * browser history and Referer headers; `true` means `"api_key"`.
   * @defaultValue false
   */
  query?: string | boolean;
  /**
   * The `realm` of `WWW-Authenticate: Bearer realm="…"`.
   * @defaultValue "api"
   */
  realm?: string;
  /**
   * Rate-limit header syntax: `"draft-10"` (`RateLimit-Policy` / `RateLimit`), the older
   * `"draft-7"` or `"draft-6"` forms, or false for none.
   * @defaultValue "draft-10"
   */
  headersFormat?: RateLimitHeadersFormat;
  /**
   * When the store is unreachable or too slow (`unavailable`), let the request through with
   * `key: null` and `degraded: true` instead of answering 503. Per route, never the default.
   * @defaultValue false
   */
  failOpen?: boolean;
  /**
   * Base URI of problem `type` members; the error code is appended.
   * @defaultValue "https://keyward.dev/errors/"
   */
  problemTypeBase?: string;
  /**
   * Answer rejections your own way: return `{ status, headers, body }` (body a string) to
   * replace keyward's response, or undefined to keep it. A hook that throws or returns
   * something malformed leaves keyward's response in place. See docs/owners.md for the
   * 401-missing / 403-invalid recipe.
   */
  onReject?: OnReject;
  /**
   * Take the client address (for `allowedIps`) from this request header, set by the proxy in
   * front of the app (`"x-real-ip"`, `"x-forwarded-for"`: its last entry), instead of the
   * framework's. Only name a header your proxy always overwrites. The Next adapter knows no
   * address without it.
   * @defaultValue none: the framework's address (Express `req.ip`, Fastify `request.ip`)
   */
  trustedIpHeader?: string;
}

/** The request may proceed. */
export interface AuthSuccess {
  ok: true;
  /** The verified key; null when `optional` let a request without credentials through, or when `failOpen` did. */
  key: ApiKey | null;
  /** Headers to add to the response the handler sends (rate-limit state). */
  headers: Record<string, string>;
  /** True when `failOpen` let the request through because the store was unavailable. */
  degraded?: boolean;
  /** The key owner's object from `resolveOwner` (cached with the key); absent without one. */
  owner?: unknown;
}

/** The request is rejected; send `response` as is. */
export interface AuthFailure {
  ok: false;
  response: HttpResponse;
}

export type AuthOutcome = AuthSuccess | AuthFailure;

/**
 * What `createAuthenticator()` returns. Pass `previous` (the success of an outer
 * authenticator for the same request, e.g. a router-level one) to check this route's scopes
 * against the key already verified, without looking it up or consuming its limits again.
 */
export type Authenticator = (request: AuthRequest, previous?: AuthSuccess | null) => Promise<AuthOutcome>;
