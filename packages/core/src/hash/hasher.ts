import { createHmac, hash as oneShotHash } from "node:crypto";
import { KeywardError } from "../errors/index.js";

/**
 * Turns tokens into the hashes a store looks keys up by. Created once per keyward instance
 * by {@link createHasher}; every method is synchronous and does no I/O.
 */
export interface Hasher {
  /** The stored form of a token, under the first (current) pepper: lowercase hex, 64 chars. */
  hash(token: string): string;
  /**
   * One stored form per pepper, current pepper first: a token verifies if any of them is
   * found. Without a pepper (or with one) it is a single hash.
   */
  candidates(token: string): string[];
  /**
   * The stored form of a key imported as the SHA-256 of its token (64 hex digits, any case).
   * @throws KeywardError `invalid_request` when the digest is not 64 hex digits
   */
  fromSha256(hexDigest: string): string;
  /** Whether hashes are HMACs under a pepper. */
  readonly peppered: boolean;
}

/**
 * Builds the {@link Hasher} for a pepper setting.
 *
 * - No pepper: `hash = hex(SHA-256(token))`.
 * - With peppers: `hash = hex(HMAC-SHA-256(key = pepper, message = hex(SHA-256(token))))`.
 *   The HMAC covers the SHA-256's 64-character lowercase hex text rather than the token, so a
 *   key imported as a bare SHA-256 can be peppered without ever knowing its token.
 *
 * A list of peppers rotates them: `hash()` uses the first, `candidates()` gives one hash per
 * pepper (first pepper first) so keys stored under an older pepper keep verifying.
 *
 * @param pepper - a secret string, a list of them (current first), or undefined for none
 * @param option - the option's name for error messages
 * @defaultValue option `"pepper"`
 * @throws TypeError for an empty pepper, an empty list, or a non-string entry
 *
 * @example
 * const hasher = createHasher(process.env.KEYWARD_PEPPER);
 * const stored = hasher.hash(token);
 * const lookups = hasher.candidates(token); // [stored] with one pepper or none
 */
export function createHasher(pepper: string | readonly string[] | undefined, option = "pepper"): Hasher {
  const peppers = resolvePeppers(pepper, option);
  if (peppers.length === 0) {
    return Object.freeze({
      peppered: false,
      hash: sha256Hex,
      candidates: (token: string) => [sha256Hex(token)],
      fromSha256: (hexDigest: string) => normalizeDigest(hexDigest),
    });
  }
  const first = peppers[0]!;
  return Object.freeze({
    peppered: true,
    hash: (token: string) => hmacHex(first, sha256Hex(token)),
    candidates: (token: string) => {
      const digest = sha256Hex(token);
      return peppers.map((key) => hmacHex(key, digest));
    },
    fromSha256: (hexDigest: string) => hmacHex(first, normalizeDigest(hexDigest)),
  });
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes (Node's one-shot `crypto.hash`). */
export function sha256Hex(value: string): string {
  return oneShotHash("sha256", value, "hex");
}

function hmacHex(key: Buffer, message: string): string {
  return createHmac("sha256", key).update(message).digest("hex");
}

const HEX_64 = /^[0-9a-fA-F]{64}$/;

function normalizeDigest(hexDigest: string): string {
  if (typeof hexDigest !== "string" || !HEX_64.test(hexDigest)) {
    throw new KeywardError(
      "invalid_request",
      "sha256 must be a SHA-256 digest written as 64 hexadecimal characters",
    );
  }
  return hexDigest.toLowerCase();
}

/** Validates the option and returns the pepper keys, duplicates removed, order kept. */
function resolvePeppers(pepper: string | readonly string[] | undefined, option: string): Buffer[] {
  if (pepper === undefined) return [];
  if (typeof pepper === "string") {
    checkPepper(pepper, option);
    return [Buffer.from(pepper, "utf8")];
  }
  if (!Array.isArray(pepper) || pepper.length === 0) {
    throw new TypeError(`keyward: option "${option}" must be a non-empty string or a non-empty list of them`);
  }
  for (const [index, entry] of pepper.entries()) checkPepper(entry, `${option}[${index}]`);
  return [...new Set(pepper)].map((entry) => Buffer.from(entry, "utf8"));
}

function checkPepper(value: unknown, option: string): void {
  if (typeof value !== "string" || value.length === 0) {
    // The value itself is a secret: name its kind, never its content.
    const got =
      typeof value === "string"
        ? "an empty string"
        : `a value of type ${value === null ? "null" : typeof value}`;
    throw new TypeError(`keyward: option "${option}" must be a non-empty string (a secret), got ${got}`);
  }
}
