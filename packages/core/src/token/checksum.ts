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

/**
 * CRC-32 lookup table (the zlib / IEEE 802.3 polynomial, reflected). The request path folds
 * characters through it as it validates them, which for a short ASCII token is about twice as
 * fast as calling `zlib.crc32` on a substring; a test checks both agree.
 */
export const CRC_TABLE: Int32Array = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();
