import { getRandomValues } from "node:crypto";
import { BASE62_ALPHABET } from "./base62.js";
import { tokenChecksum } from "./checksum.js";
import { assertPrefix } from "./prefix.js";

/** Random base62 characters in every token (≈190.5 bits). */
export const TOKEN_RANDOM_LENGTH = 32;

/**
 * Bytes below this value are used (`byte % 62`); the rest are rejected. 248 = 4 × 62, so
 * each digit comes from exactly four byte values: no modulo bias.
 */
const ACCEPT_BELOW = 248;

/** Bytes drawn per refill: 32 needed, ≈3% rejected, so one draw almost always suffices. */
const DRAW = 40;

/**
 * Mints a new token: `<prefix>_<32 random base62 characters><6 base62 characters of CRC32>`.
 * The random characters come from `crypto.getRandomValues` by rejection sampling.
 * The token is a secret: return it to its owner once and store only its hash.
 *
 * @param prefix - `[a-z][a-z0-9]*` groups joined by `"_"`, like `"sk_live"`
 * @throws TypeError for an invalid prefix
 *
 * @example
 * generateToken("sk_live"); // "sk_live_" followed by 38 characters
 */
export function generateToken(prefix: string): string {
  assertPrefix(prefix, "prefix");
  let body = prefix + "_";
  let count = 0;
  while (count < TOKEN_RANDOM_LENGTH) {
    const bytes = getRandomValues(new Uint8Array(DRAW));
    for (let i = 0; i < DRAW && count < TOKEN_RANDOM_LENGTH; i++) {
      const byte = bytes[i]!;
      if (byte < ACCEPT_BELOW) {
        body += BASE62_ALPHABET[byte % 62];
        count++;
      }
    }
  }
  return body + tokenChecksum(body);
}
