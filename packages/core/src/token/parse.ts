import { BASE62_DIGIT } from "./base62.js";
import { CRC_TABLE, TOKEN_CHECKSUM_LENGTH } from "./checksum.js";
import { TOKEN_RANDOM_LENGTH } from "./generate.js";
import { isPrefixRange, MAX_PREFIX_LENGTH } from "./prefix.js";

/** The parts of a well-formed token. */
export interface ParsedToken {
  /** e.g. `"sk_live"` */
  prefix: string;
  /** The 32 random base62 characters. */
  random: string;
  /** The 6 base62 characters of CRC32. */
  checksum: string;
}

/** Characters after the prefix: `"_"`, random part, checksum. */
const TAIL = 1 + TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH;
const MIN_LENGTH = 1 + TAIL;
const MAX_LENGTH = MAX_PREFIX_LENGTH + TAIL;

/**
 * Splits a token into its parts, or answers `null` when it is not one: wrong length, a bad
 * prefix, a character outside base62, or a checksum that does not match. No I/O; one pass over
 * the characters plus one CRC32, so it is safe to run on every request before any lookup.
 *
 * The prefix is whatever precedes the last 39 characters; compare it with your own prefix
 * (or use {@link isKeywardToken} with a prefix) to refuse tokens minted for another one.
 *
 * @example
 * const parts = parseToken(header);
 * if (parts === null || parts.prefix !== "sk_live") return reject();
 */
export function parseToken(token: string): ParsedToken | null {
  const separator = tokenSeparator(token);
  if (separator < 0) return null;
  const checksumStart = token.length - TOKEN_CHECKSUM_LENGTH;
  return {
    prefix: token.slice(0, separator),
    random: token.slice(separator + 1, checksumStart),
    checksum: token.slice(checksumStart),
  };
}

/**
 * The work of {@link parseToken} without building its result: the index of the `"_"` that ends
 * the prefix (so the prefix is `token.slice(0, index)`), or -1 when `token` is not a
 * well-formed token with a matching checksum. Internal: the request path uses it to avoid
 * three substrings per call.
 */
export function tokenSeparator(token: string): number {
  if (typeof token !== "string") return -1;
  const length = token.length;
  if (length < MIN_LENGTH || length > MAX_LENGTH) return -1;
  const separator = length - TAIL;
  if (token.charCodeAt(separator) !== 95) return -1;
  if (!isPrefixRange(token, 0, separator)) return -1;
  const checksumStart = length - TOKEN_CHECKSUM_LENGTH;
  // One pass: CRC-32 of the prefix (checked ASCII above) and "_", then each random character
  // is checked to be base62 (so ASCII) and folded into the CRC as it is read.
  let crc = -1;
  for (let i = 0; i <= separator; i++) crc = CRC_TABLE[(crc ^ token.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  for (let i = separator + 1; i < checksumStart; i++) {
    const code = token.charCodeAt(i);
    if (code >= 128 || BASE62_DIGIT[code]! < 0) return -1;
    crc = CRC_TABLE[(crc ^ code) & 0xff]! ^ (crc >>> 8);
  }
  let expected = 0;
  for (let i = checksumStart; i < length; i++) {
    const digit = digitAt(token, i);
    if (digit < 0) return -1;
    expected = expected * 62 + digit;
  }
  return (crc ^ -1) >>> 0 === expected ? separator : -1;
}

/**
 * Type guard: `value` is a string in keyward's token format with a valid checksum, and, when
 * `prefix` is given, minted with that prefix. Does not say whether the key exists.
 *
 * @example
 * if (isKeywardToken(candidate, "sk_live")) report(candidate);
 */
export function isKeywardToken(value: unknown, prefix?: string): value is string {
  if (typeof value !== "string") return false;
  if (prefix !== undefined && !(value.startsWith(prefix) && value.length === prefix.length + TAIL))
    return false;
  return parseToken(value) !== null;
}

/**
 * The displayable start of a token: prefix, `"_"` and the first 4 random characters
 * (`"sk_live_3xF9"`), stored as `key.start` so users can tell keys apart. For a string that is
 * not in keyward's format (an imported legacy key) it is the first characters only: at most 6,
 * and never more than a quarter of the string.
 *
 * @example
 * tokenStart(token); // "sk_live_3xF9"
 */
export function tokenStart(token: string): string {
  const length = token.length;
  if (length >= MIN_LENGTH && token.charCodeAt(length - TAIL) === 95) {
    return token.slice(0, length - TAIL + 5);
  }
  return token.slice(0, Math.min(6, Math.floor(length / 4)));
}

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? BASE62_DIGIT[code]! : -1;
}
