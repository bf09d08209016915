/**
 * `verifyAccessToken()`: checks an access token from `keyward.exchange()` with nothing but the
 * public keys — no store, no Node built-ins (jose on Web Crypto) — and answers in the shape of
 * `verify()`: `{ ok: true, key }` or `{ ok: false, code, status, message }`.
 */
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { parseDuration } from "../duration/parse.js";
import { STATUS_BY_CODE } from "../errors/index.js";
import type { CompiledRequirement } from "../scopes/compile.js";
import { createScopes } from "../scopes/engine.js";
import type { Duration, ScopeRequirement, VerifyFailure } from "../types.js";
import { ACCESS_TOKEN_ALGORITHMS, ACCESS_TOKEN_TYPE, type AccessTokenClaims } from "./claims.js";

/** Where the public keys come from. */
export interface AccessTokenKeys {
  /**
   * The issuer's JWK Set: the object `keyward.jwks()` returns, the URL it is served at
   * (`GET …/.well-known/jwks.json`; fetched and cached by jose, refetched for an unknown `kid`),
   * or a jose key resolver such as `createRemoteJWKSet(url, { cacheMaxAge })`.
   */
  jwks?: JSONWebKeySet | URL | string | JWTVerifyGetKey;
  /** One public key instead (a JWK or a Web Crypto key). Exactly one of `jwks` and `key`. */
  key?: JWK | CryptoKey;
}

/** Options of {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions extends AccessTokenKeys {
  /** The `aud` the token must carry (one of a list). Omitted: `aud` is not checked. */
  audience?: string | readonly string[];
  /** The `iss` the token must carry. Omitted: `iss` is not checked. */
  issuer?: string | readonly string[];
  /**
   * Clock skew allowed on `exp`/`iat`/`nbf`: a duration string or milliseconds.
   * @defaultValue 0
   */
  clockTolerance?: Duration;
  /** Scopes the token must grant: a list (all), `{ anyOf }` or a query string, as for `verify()`. */
  scopes?: ScopeRequirement;
  /** Current time in epoch ms (tests). @defaultValue Date.now */
  clock?: () => number;
}

/** The key an access token speaks for (what its claims say). */
export interface AccessTokenKey {
  /** The API key's id (`sub`). */
  id: string;
  ownerId: string | null;
  /** Granted scopes, presets already expanded. */
  scopes: string[];
  /** When the access token (not the API key) expires. */
  expiresAt: Date;
}

/** A valid access token. */
export interface AccessTokenSuccess {
  ok: true;
  key: AccessTokenKey;
  claims: AccessTokenClaims;
}

/** `{ ok: true, key, claims }`, or a failure with the codes of `verify()`. */
export type AccessTokenResult = AccessTokenSuccess | VerifyFailure;

const MESSAGES = {
  missing: "No access token was provided.",
  invalid: "The access token is not valid.",
  malformed: "The access token is malformed.",
  signature: "The access token's signature does not verify.",
  unknownKey: "The access token was signed by a key that is not (or no longer) trusted.",
  expired: "The access token has expired.",
  claim: (claim: string) => `The access token's "${claim}" claim is not acceptable here.`,
  unavailable: "The signing keys could not be fetched; try again shortly.",
} as const;

const scopeEngine = createScopes(undefined);
const getters = new WeakMap<object, JWTVerifyGetKey | Promise<CryptoKey | Uint8Array>>();
const remoteByUrl = new Map<string, JWTVerifyGetKey>();
const requirements = new Map<string, CompiledRequirement>();
const MAX_REMEMBERED = 64;

function fail(option: string, expected: string): never {
  throw new TypeError(`keyward: verifyAccessToken option "${option}" must be ${expected}`);
}

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
  return value;
}

/** The key resolver for these options, made once per JWKS object, URL or key. */
function keySource(options: AccessTokenKeys): JWTVerifyGetKey | Promise<CryptoKey | Uint8Array> {
  const { jwks, key } = options;
  if ((jwks === undefined) === (key === undefined)) fail("jwks", "given, or key, and not both");
  if (typeof jwks === "function") return jwks;
  if (typeof jwks === "string" || jwks instanceof URL) {
    const url = new URL(jwks);
    return remember(remoteByUrl, url.href, () => createRemoteJWKSet(url));
  }
  const source = (jwks ?? key) as object;
  if (typeof source !== "object" || source === null) fail(jwks ? "jwks" : "key", "an object");
  let getter = getters.get(source);
  if (getter === undefined) {
    if (jwks !== undefined) {
      if (!Array.isArray((jwks as JSONWebKeySet).keys)) fail("jwks", "a JWK Set { keys: [...] } or its URL");
      try {
        getter = createLocalJWKSet(jwks as JSONWebKeySet);
      } catch {
        return fail("jwks", "a JWK Set { keys: [...] } of public keys");
      }
    } else if ("kty" in source) {
      const jwk = source as JWK;
      const alg = jwk.alg;
      if (!(ACCESS_TOKEN_ALGORITHMS as readonly string[]).includes(alg ?? ""))
        fail("key.alg", '"EdDSA" or "ES256"');
      getter = importJWK(jwk, alg);
    } else {
      getter = Promise.resolve(source as CryptoKey);
    }
    getters.set(source, getter);
  }
  return getter;
}

/** The compiled scope requirement (no presets at the edge: the token's scopes are expanded). */
function compileEdgeScopes(requirement: ScopeRequirement | undefined): CompiledRequirement | null {
  if (requirement === undefined) return null;
  const text = typeof requirement === "string" ? requirement : JSON.stringify(requirement);
  const compiled = remember(requirements, text, () => scopeEngine.compile(requirement, "scopes"));
  return compiled.source === "" ? null : compiled;
}

function failure(code: VerifyFailure["code"], message: string): VerifyFailure {
  const result: VerifyFailure = { ok: false, code, status: STATUS_BY_CODE[code], message };
  if (code === "unavailable") result.retryAfter = 1;
  return result;
}

/** Maps what jose threw to a verification failure. */
function classify(error: unknown): VerifyFailure {
  if (error instanceof errors.JWTExpired) return failure("expired_key", MESSAGES.expired);
  if (error instanceof errors.JWTClaimValidationFailed)
    return failure("invalid_key", MESSAGES.claim(error.claim));
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return failure("invalid_key", MESSAGES.signature);
  if (error instanceof errors.JWKSNoMatchingKey) return failure("invalid_key", MESSAGES.unknownKey);
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return failure("unavailable", MESSAGES.unavailable);
  if (error instanceof errors.JOSEError) return failure("invalid_key", MESSAGES.malformed);
  // A failed fetch of a remote JWK Set (network error) is not the token's fault.
  return failure("unavailable", MESSAGES.unavailable);
}

function claimsOf(payload: JWTPayload): AccessTokenClaims | null {
  const { sub, client_id, owner, scope, jti, iat, exp } = payload as Record<string, unknown>;
  if (typeof sub !== "string" || sub === "" || typeof scope !== "string") return null;
  if (typeof jti !== "string" || typeof iat !== "number" || typeof exp !== "number") return null;
  if (owner !== null && typeof owner !== "string") return null;
  if (client_id !== undefined && client_id !== sub) return null;
  return payload as unknown as AccessTokenClaims;
}

/**
 * Checks the options of {@link verifyAccessToken} synchronously (what `createEdgeAuth` does at
 * construction): the key source, the scope requirement and the clock tolerance, in ms.
 *
 * @throws TypeError naming the bad option
 */
export function prepareAccessTokenCheck(options: VerifyAccessTokenOptions) {
  if (typeof options !== "object" || options === null) fail("options", "an object { jwks | key, audience? }");
  const tolerance =
    options.clockTolerance === undefined ? 0 : parseDuration(options.clockTolerance, "clockTolerance");
  if (tolerance < 0) fail("clockTolerance", "a duration >= 0");
  return { source: keySource(options), requirement: compileEdgeScopes(options.scopes), tolerance };
}

/**
 * Verifies an access token from `keyward.exchange()`: signature (EdDSA or ES256 only, by a key
 * of the JWK Set, chosen by `kid`), `typ: "at+jwt"` (RFC 9068 §4), `exp`, then `aud` and `iss`
 * when asked for, then the required scopes. Needs no store and no Node built-ins, so it runs in
 * Next middleware and any edge runtime. Never throws for a bad token: failures are results.
 *
 * Failure codes: `missing_key` (no token), `invalid_key` (malformed, tampered, unknown `kid`,
 * wrong audience or issuer), `expired_key`, `insufficient_scope`, and `unavailable` when a
 * remote JWK Set cannot be fetched.
 *
 * @throws TypeError for bad options (neither or both of `jwks` and `key`, a malformed scope query)
 * @example
 * import { verifyAccessToken } from "@keyward/core/edge";
 * const jwks = new URL("https://api.example.com/auth/.well-known/jwks.json");
 * const result = await verifyAccessToken(token, { jwks, audience: "edge", scopes: ["task:read"] });
 * if (!result.ok) return new Response(result.message, { status: result.status });
 * result.key.id; // the API key the token was issued for
 */
export async function verifyAccessToken(
  jwt: string | null | undefined,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenResult> {
  const { source, requirement, tolerance } = prepareAccessTokenCheck(options);
  if (typeof jwt !== "string" || jwt === "") return failure("missing_key", MESSAGES.missing);

  let payload: JWTPayload;
  try {
    const key = typeof source === "function" ? source : await source;
    ({ payload } = await jwtVerify(jwt, key as JWTVerifyGetKey, {
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ["exp", "iat", "jti", "sub"],
      clockTolerance: tolerance / 1000,
      ...(options.audience === undefined ? {} : { audience: options.audience as string | string[] }),
      ...(options.issuer === undefined ? {} : { issuer: options.issuer as string | string[] }),
      ...(options.clock === undefined ? {} : { currentDate: new Date(options.clock()) }),
    }));
  } catch (error) {
    return classify(error);
  }
  const claims = claimsOf(payload);
  if (claims === null) return failure("invalid_key", MESSAGES.malformed);
  const scopes = claims.scope.split(" ").filter((scope) => scope !== "");
  const key: AccessTokenKey = {
    id: claims.sub,
    ownerId: claims.owner ?? null,
    scopes,
    expiresAt: new Date(claims.exp * 1000),
  };
  if (requirement !== null && !requirement.test(new Set(scopes))) {
    return failure(
      "insufficient_scope",
      `The access token lacks the required scopes: ${requirement.source}.`,
    );
  }
  return { ok: true, key, claims };
}
