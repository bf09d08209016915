/**
 * The token endpoints of the management API: `POST /token` (RFC 8693 token exchange: an API
 * key in, an access token out) and `GET /.well-known/jwks.json` (the public keys). Neither asks
 * who the caller is: the API key in the request is the credential, and the keys are public.
 */
import type { KeywardErrorCode } from "../errors/index.js";
import { resolveAuthOptions } from "../http/options.js";
import { rateLimitHeaders } from "../http/ratelimit-headers.js";
import { failureResponse } from "../http/responses.js";
import type { HttpResponse, RequestHeaders } from "../http/types.js";
import { ExchangeError, exchangeTtl } from "../service/exchange.js";
import type { Duration, Keyward } from "../types.js";
import { readRequestText } from "./body.js";
import type { Problems } from "./responses.js";
import { ACCESS_TOKEN_TYPE_URI, TOKEN_EXCHANGE_GRANT, tokenRequestSchema } from "./token-schemas.js";
import type { KeysApiRequest } from "./types.js";
import { type ValidationError, validate } from "./validate.js";

/** `tokenExchange` of `createKeysApi()` after resolution. */
export interface ResolvedTokenExchange {
  audiences: ReadonlySet<string> | null;
  ttl: Duration | undefined;
}

/** RFC 6749 §5.2 / RFC 8693 §2.2.2 `error` values this endpoint answers with. */
type OAuthError =
  | "invalid_request"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "temporarily_unavailable";

const OAUTH_ERROR: Partial<Record<KeywardErrorCode, OAuthError>> = {
  insufficient_scope: "invalid_scope",
  rate_limited: "temporarily_unavailable",
  usage_exceeded: "temporarily_unavailable",
  unavailable: "temporarily_unavailable",
};

/** The JWK Set changes only when signing keys rotate; caches may keep it five minutes. */
const JWKS_HEADERS = { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" };
/** RFC 6749 §5.1: a token response must not be cached. */
const TOKEN_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" };

function fail(option: string, expected: string): never {
  throw new TypeError(`keyward: option "${option}" of createKeysApi() ${expected}`);
}

/**
 * Resolves `tokenExchange`: false when the endpoints are off — asked to be, or the instance
 * has no signing keys and nothing asked for them.
 *
 * @throws TypeError naming the option when it is malformed, or on when there are no signing keys
 */
export function resolveTokenExchange(keyward: Keyward, value: unknown): ResolvedTokenExchange | false {
  const hasKeys = typeof keyward.jwks === "function" && keyward.jwks().keys.length > 0;
  if (value === false || (value === undefined && !hasKeys)) return false;
  if (!hasKeys) fail("tokenExchange", "needs an instance with signing keys: createKeyward({ signingKeys })");
  if (value === undefined || value === true) return { audiences: null, ttl: undefined };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("tokenExchange", "must be a boolean or an object { audiences?, ttl? }");
  }
  const { audiences, ttl, ...rest } = value as { audiences?: unknown; ttl?: Duration };
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) fail(`tokenExchange.${unknown}`, "is not a known option");
  if (
    audiences !== undefined &&
    !(Array.isArray(audiences) && audiences.every((item) => typeof item === "string" && item !== ""))
  ) {
    fail("tokenExchange.audiences", "must be a list of non-empty strings");
  }
  if (ttl !== undefined) exchangeTtl(ttl, "tokenExchange.ttl");
  return { audiences: audiences === undefined ? null : new Set(audiences as string[]), ttl };
}

function headerValue(headers: RequestHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

type Parameters =
  | { ok: true; value: Record<string, string> }
  | { ok: false; detail: string; errors?: ValidationError[] };

/**
 * The request parameters: `application/x-www-form-urlencoded` as RFC 6749 §4.1.3 and RFC 8693
 * §2.1 send them, or a JSON object. A parameter given twice is an error (RFC 6749 §3.2).
 */
function readParameters(request: KeysApiRequest, text: string | undefined): Parameters {
  const type = (headerValue(request.headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const out: Record<string, string> = {};
  const twice = (name: string): Parameters => ({
    ok: false,
    detail: `The parameter "${name}" is given more than once.`,
    errors: [{ path: `/${name}`, message: "must be given once" }],
  });
  if (type === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(text ?? "")) {
      if (name in out) return twice(name);
      out[name] = value;
    }
    return { ok: true, value: out };
  }
  if (type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))) {
    let body: unknown = typeof request.body === "string" ? undefined : request.body;
    try {
      if (text !== undefined && text !== "") body = JSON.parse(text);
    } catch {
      return { ok: false, detail: "The request body is not valid JSON." };
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return { ok: false, detail: "The request body must be a JSON object of parameters." };
    return { ok: true, value: body as Record<string, string> };
  }
  return {
    ok: false,
    detail: "Send the parameters as application/x-www-form-urlencoded (RFC 8693 §2.1) or as a JSON object.",
  };
}

/** Adds the OAuth `error` / `error_description` members (RFC 6749 §5.2) to a problem response. */
function withOAuthError(response: HttpResponse, error: OAuthError | undefined): HttpResponse {
  const body = JSON.parse(response.body) as Record<string, unknown>;
  body.error = error ?? "invalid_request";
  body.error_description = body.detail;
  return { ...response, body: JSON.stringify(body) };
}

/**
 * The token endpoints of one management API, or null when they are off. The returned function
 * answers a request for `/token` or `/.well-known/jwks.json` and returns null for any other
 * path (the key routes then take it).
 */
export function tokenRoutes(
  keyward: Keyward,
  exchange: ResolvedTokenExchange | false,
  problems: Problems,
  problemTypeBase: string | undefined,
  bodyLimit: number,
): ((request: KeysApiRequest) => Promise<HttpResponse> | null) | null {
  if (exchange === false) return null;
  const { audiences, ttl } = exchange;
  const authOptions = resolveAuthOptions({
    headerNames: [],
    ...(problemTypeBase === undefined ? {} : { problemTypeBase }),
  });
  const engine = keyward.scopes;
  const bad = (error: OAuthError, detail: string, errors?: ValidationError[]) =>
    withOAuthError(problems.problem("invalid_request", detail, errors && { errors }), error);

  async function exchangeToken(request: KeysApiRequest): Promise<HttpResponse> {
    // A parsed body (a framework's own JSON parser ran) is taken as is; otherwise read the text.
    const parsed = request.body !== undefined && typeof request.body !== "string";
    const text = parsed ? undefined : await readRequestText(request, bodyLimit, problems);
    if (text !== undefined && !text.ok) return text.response;
    const parameters = readParameters(request, text?.value);
    if (!parameters.ok) return bad("invalid_request", parameters.detail, parameters.errors);
    const grant = parameters.value.grant_type;
    if (grant !== undefined && grant !== TOKEN_EXCHANGE_GRANT) {
      return bad("unsupported_grant_type", `Only grant_type=${TOKEN_EXCHANGE_GRANT} is supported here.`);
    }
    if ("resource" in parameters.value) {
      return bad(
        "invalid_target",
        'The "resource" parameter is not supported; name the service with "audience".',
      );
    }
    if ("actor_token" in parameters.value) {
      return bad("invalid_request", "Delegation (actor_token) is not supported.");
    }
    const checked = validate(tokenRequestSchema, parameters.value);
    if (!checked.ok) return bad("invalid_request", "The token request is invalid.", checked.errors);
    const { subject_token, scope, audience, requested_token_type } = checked.value;

    const scopes = scope === undefined ? undefined : scope.split(" ").filter((name) => name !== "");
    if (scopes !== undefined) {
      try {
        (engine ?? { validate() {} }).validate(scopes, "scope");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        return bad("invalid_scope", "The scope parameter names something that is not a scope.");
      }
    }
    if (audience !== undefined && audiences && !audiences.has(audience)) {
      return bad("invalid_target", "Tokens cannot be issued for this audience.");
    }
    try {
      const result = await keyward.exchange(subject_token, {
        ...(scopes === undefined ? {} : { scopes }),
        ...(audience === undefined ? {} : { audience }),
        ...(ttl === undefined ? {} : { ttl }),
      });
      const headers = result.rateLimit.length > 0 ? rateLimitHeaders(result.rateLimit, "draft-10") : {};
      return {
        status: 200,
        headers: { ...TOKEN_HEADERS, ...headers },
        body: JSON.stringify({
          access_token: result.accessToken,
          issued_token_type: requested_token_type ?? ACCESS_TOKEN_TYPE_URI,
          token_type: result.tokenType,
          expires_in: result.expiresIn,
          scope: result.scopes.join(" "),
        }),
      };
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      const response = failureResponse(error.failure, { options: authOptions, requiredScopes: scopes ?? [] });
      return withOAuthError(response, OAUTH_ERROR[error.code as KeywardErrorCode]);
    }
  }

  const routes: Record<string, Record<string, (request: KeysApiRequest) => Promise<HttpResponse>>> = {
    "/token": { POST: exchangeToken },
    "/.well-known/jwks.json": {
      GET: async () => ({ status: 200, headers: JWKS_HEADERS, body: JSON.stringify(keyward.jwks()) }),
    },
  };

  return (request) => {
    let path = request.path.startsWith("/") ? request.path : `/${request.path}`;
    if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    const route = routes[path];
    if (route === undefined) return null;
    const method = request.method.toUpperCase();
    const allow = [...Object.keys(route), ...(route.GET ? ["HEAD"] : []), "OPTIONS"].join(", ");
    if (method === "OPTIONS") return Promise.resolve({ status: 204, headers: { Allow: allow }, body: "" });
    const handler = route[method === "HEAD" ? "GET" : method];
    if (handler === undefined) {
      return Promise.resolve(
        problems.problem("method_not_allowed", `${method} is not supported here.`, undefined, {
          Allow: allow,
        }),
      );
    }
    return handler(request).then((response) => (method === "HEAD" ? { ...response, body: "" } : response));
  };
}
