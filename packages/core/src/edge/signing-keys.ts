/**
 * `createKeyward({ signingKeys })`: checking the JWKs once, at construction, and deriving the
 * public keys `keyward.jwks()` publishes. The private members are never copied into anything
 * that leaves this module: public keys are built member by member, not by deleting `d`.
 */
import { ACCESS_TOKEN_ALGORITHMS, type AccessTokenAlgorithm } from "./claims.js";

/**
 * A key in JWK form (RFC 7517) for access tokens: an Ed25519 key (`kty: "OKP"`,
 * `crv: "Ed25519"`, `alg: "EdDSA"`) or a P-256 key (`kty: "EC"`, `crv: "P-256"`,
 * `alg: "ES256"`), with a `kid` that names it. A private key carries `d`.
 */
export interface AccessTokenJwk {
  kty: "OKP" | "EC";
  crv: "Ed25519" | "P-256";
  alg: AccessTokenAlgorithm;
  kid: string;
  x: string;
  /** P-256 only. */
  y?: string;
  /** The private part; required on the first (signing) key. */
  d?: string;
  use?: "sig";
  key_ops?: string[];
}

/** A public key as published at `/.well-known/jwks.json`. */
export interface PublicJwk {
  kty: "OKP" | "EC";
  crv: "Ed25519" | "P-256";
  alg: AccessTokenAlgorithm;
  kid: string;
  use: "sig";
  x: string;
  y?: string;
}

/** A JWK Set (RFC 7517 §5) of public keys. */
export interface PublicJwks {
  keys: PublicJwk[];
}

/** The signing keys after resolution. */
export interface ResolvedSigningKeys {
  /** The key that signs (the first), private members included. */
  readonly signing: Readonly<AccessTokenJwk>;
  /** Every key's public part, in the order given. */
  readonly publicKeys: readonly Readonly<PublicJwk>[];
}

const CURVES: Readonly<Record<AccessTokenAlgorithm, { kty: string; crv: string; y: boolean }>> = {
  EdDSA: { kty: "OKP", crv: "Ed25519", y: false },
  ES256: { kty: "EC", crv: "P-256", y: true },
};

/** 32 bytes in base64url without padding (RFC 7515 §2): Ed25519 and P-256 members alike. */
const MEMBER_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const KID = /^[\x21-\x7e]{1,128}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function fail(option: string, expected: string): never {
  throw new TypeError(`keyward: option "${option}" must be ${expected}`);
}

function checkJwk(value: unknown, option: string, mustSign: boolean): AccessTokenJwk {
  if (!isObject(value)) fail(option, "a JWK object (RFC 7517) with kid and alg");
  const alg = value.alg;
  if (typeof alg !== "string" || !(ACCESS_TOKEN_ALGORITHMS as readonly string[]).includes(alg)) {
    fail(`${option}.alg`, `one of ${ACCESS_TOKEN_ALGORITHMS.map((a) => `"${a}"`).join(", ")}`);
  }
  const curve = CURVES[alg as AccessTokenAlgorithm];
  if (value.kty !== curve.kty || value.crv !== curve.crv) {
    fail(option, `a ${curve.crv} key for alg "${alg}" (kty "${curve.kty}", crv "${curve.crv}")`);
  }
  if (typeof value.kid !== "string" || !KID.test(value.kid)) {
    fail(`${option}.kid`, "a key id of 1 to 128 visible ASCII characters");
  }
  const members = curve.y ? ["x", "y"] : ["x"];
  if (value.d !== undefined || mustSign) members.push("d");
  for (const member of members) {
    const text = value[member];
    if (typeof text !== "string" || !MEMBER_32.test(text)) {
      const why = member === "d" && text === undefined ? " (the first key signs, so it must be private)" : "";
      fail(`${option}.${member}`, `32 bytes in base64url${why}`);
    }
  }
  if (value.use !== undefined && value.use !== "sig") fail(`${option}.use`, '"sig" or absent');
  return value as unknown as AccessTokenJwk;
}

function publicPart(jwk: AccessTokenJwk): Readonly<PublicJwk> {
  const key: PublicJwk = { kty: jwk.kty, crv: jwk.crv, alg: jwk.alg, kid: jwk.kid, use: "sig", x: jwk.x };
  if (jwk.y !== undefined) key.y = jwk.y;
  return Object.freeze(key);
}

/**
 * Checks `signingKeys`: a non-empty list of JWKs with distinct `kid`s; the first is private
 * (it signs), the others may be public (they only verify, e.g. the previous key while its
 * tokens run out). Returns null when the option is absent.
 *
 * @throws TypeError naming the option (`signingKeys[1].kid`, …) for anything wrong
 */
export function resolveSigningKeys(value: unknown, option = "signingKeys"): ResolvedSigningKeys | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length === 0) fail(option, "a non-empty list of JWKs");
  const keys = value.map((jwk: unknown, index) => checkJwk(jwk, `${option}[${index}]`, index === 0));
  const seen = new Set<string>();
  keys.forEach((jwk, index) => {
    if (seen.has(jwk.kid)) fail(`${option}[${index}].kid`, `unique (another key is "${jwk.kid}" too)`);
    seen.add(jwk.kid);
  });
  return Object.freeze({
    signing: Object.freeze({ ...keys[0]! }),
    publicKeys: Object.freeze(keys.map(publicPart)),
  });
}
