/**
 * The last four characters of a token, for a `start…last4` preview. In keyward's format they
 * are the tail of the CRC32 checksum, a function of the rest of the token: they add no secret
 * characters to what is stored (≈24 bits of the checksum, against 190 random bits). For any
 * other format they could be part of the secret, so nothing is kept.
 */
import { parseToken } from "./parse.js";

/** Last four characters of a keyward-format token (checksum characters); "" for any other string. */
export function tokenLast4(token: string): string {
  return parseToken(token) === null ? "" : token.slice(-4);
}
