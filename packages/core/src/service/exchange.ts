/**
 * `keyward.exchange()`: an API key in, a short-lived signed access token out. The key goes
 * through the ordinary verification (scopes, rate limits and quota, charged once); the token
 * carries the key's id, owner and scopes, signed with the first of `signingKeys` (jose).
 */
import { importJWK, SignJWT } from "jose";
import { parseDuration } from "../duration/index.js";
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from "../edge/claims.js";
import type { PublicJwks, ResolvedSigningKeys } from "../edge/signing-keys.js";
import { KeywardError } from "../errors/index.js";
import type { Duration, ExchangeOptions, ExchangeResult, VerifyFailure, VerifyOptions } from "../types.js";
import { verifyWith } from "./prepared-check.js";
import type { Runtime } from "./runtime.js";

/** Default token lifetime, in ms. */
const DEFAULT_TTL = 5 * 60_000;
/** Longest lifetime a caller may ask for, in ms: revocation reaches a token only when it expires. */
const MAX_TTL = 24 * 3_600_000;
const OPTION_NAMES = new Set(["scopes", "ttl", "audience"]);

/**
 * Thrown by `keyward.exchange()` when the API key is refused: a `KeywardError` whose `code` and
 * `status` are those of the verification failure, which is kept whole in `failure` (its
 * `retryAfter` and `rateLimit` are what an HTTP answer needs).
 *
 * @example
 * try { await keyward.exchange(apiKey) }
 * catch (error) {
 *   if (error instanceof ExchangeError && error.code === "rate_limited") retryIn(error.failure.retryAfter);
 * }
 */
export class ExchangeError extends KeywardError {
  /** The verification failure, as `verify()` would have answered it. */
  readonly failure: VerifyFailure;

  constructor(failure: VerifyFailure) {
    super(failure.code, failure.message);
    this.failure = failure;
  }
}

/**
 * A token lifetime in ms, checked: from "1s" to "24h".
 * @throws TypeError naming `option`
 */
export function exchangeTtl(value: Duration, option: string): number {
  const ms = parseDuration(value, option);
  if (ms < 1000 || ms > MAX_TTL)
    throw new TypeError(`keyward: option "${option}" must be from "1s" to "24h"`);
  return ms;
}

interface ExchangeCheck {
  verify: VerifyOptions;
  requested: readonly string[] | null;
  ttl: number;
  audience: string | null;
}

function prepare(rt: Runtime, options: ExchangeOptions | undefined): ExchangeCheck {
  if (options === undefined) return { verify: {}, requested: null, ttl: DEFAULT_TTL, audience: null };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError("keyward: exchange options must be an object { scopes?, ttl?, audience? }");
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`keyward: unknown exchange option "${name}"`);
  }
  const { scopes, ttl, audience } = options;
  let requested: readonly string[] | null = null;
  if (scopes !== undefined) {
    if (!Array.isArray(scopes))
      throw new TypeError('keyward: exchange option "scopes" must be a list of scopes');
    // Checks every name (a TypeError names the bad one) and replaces presets by their scopes.
    requested = rt.config.scopes.compile(scopes, "scopes").scopes;
  }
  const ms = ttl === undefined ? DEFAULT_TTL : exchangeTtl(ttl, "ttl");
  if (audience !== undefined && (typeof audience !== "string" || audience === "")) {
    throw new TypeError('keyward: exchange option "audience" must be a non-empty string');
  }
  return {
    verify: scopes === undefined ? {} : { scopes },
    requested,
    ttl: ms,
    audience: audience ?? null,
  };
}

/** Signs with the first signing key; the imported key is made once per instance, on first use. */
export function createSigner(keys: ResolvedSigningKeys) {
  const { signing } = keys;
  let imported: ReturnType<typeof importJWK> | null = null;
  return async (claims: AccessTokenClaims): Promise<string> => {
    const { kty, crv, x, y, d } = signing;
    imported ??= importJWK({ kty, crv, x, ...(y === undefined ? {} : { y }), d }, signing.alg);
    const { aud, iss, ...rest } = claims;
    const jwt = new SignJWT({ ...rest }).setProtectedHeader({
      alg: signing.alg,
      kid: signing.kid,
      typ: ACCESS_TOKEN_TYPE,
    });
    if (aud !== undefined) jwt.setAudience(aud);
    if (iss !== undefined) jwt.setIssuer(iss);
    return jwt.sign(await imported);
  };
}

/** The body of `keyward.exchange()`. */
export async function exchangeToken(
  rt: Runtime,
  sign: ((claims: AccessTokenClaims) => Promise<string>) | null,
  token: string | null | undefined,
  options: ExchangeOptions | undefined,
): Promise<ExchangeResult> {
  if (sign === null) {
    throw new TypeError(
      "keyward: exchange() needs signing keys: createKeyward({ signingKeys: [privateJwk] })",
    );
  }
  const check = prepare(rt, options);
  const result = await verifyWith(rt, token, check.verify);
  if (!result.ok) throw new ExchangeError(result);
  const { key } = result;
  const scopes = check.requested ? [...check.requested] : [...rt.config.scopes.expand(key.scopes)];

  const iat = Math.floor(rt.config.clock() / 1000);
  let exp = iat + Math.floor(check.ttl / 1000);
  // A token never outlives its key.
  if (key.expiresAt !== null) exp = Math.min(exp, Math.floor(key.expiresAt.getTime() / 1000));
  if (exp <= iat) {
    throw new ExchangeError({
      ok: false,
      code: "expired_key",
      status: 401,
      message: "The API key expires in less than a second.",
    });
  }
  const claims: AccessTokenClaims = {
    sub: key.id,
    client_id: key.id,
    owner: key.ownerId,
    scope: scopes.join(" "),
    jti: globalThis.crypto.randomUUID(),
    iat,
    exp,
  };
  if (check.audience !== null) claims.aud = check.audience;
  if (rt.config.issuer !== null) claims.iss = rt.config.issuer;
  return {
    accessToken: await sign(claims),
    tokenType: "Bearer",
    expiresIn: exp - iat,
    scopes,
    rateLimit: result.rateLimit,
  };
}

/** A fresh copy of the public keys (callers may change it freely). */
export function publicJwks(keys: ResolvedSigningKeys | null): PublicJwks {
  return { keys: keys === null ? [] : keys.publicKeys.map((key) => ({ ...key })) };
}
