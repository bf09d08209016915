import { crc32 } from "node:zlib";
import { encodeBase62 } from "./base62.js";

/** Characters of the checksum at the end of every token. */
export const TOKEN_CHECKSUM_LENGTH = 6;

/**
 * The checksum of a token body (everything before the checksum: prefix, `"_"` and the random
 * characters): zlib's CRC32 of its UTF-8 bytes, in base62, most significant digit first,
 * zero-padded to 6 characters.
 *
 * @example
 * tokenChecksum("sk_live_" + random32); // e.g. "2lkLBy"
 */
export function tokenChecksum(body: string): string {
  return encodeBase62(crc32(body), TOKEN_CHECKSUM_LENGTH);
}
