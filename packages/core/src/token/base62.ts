/** The base62 digits in order: `0-9A-Za-z` (digit value = index). */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Digit value of each ASCII code, or -1 for a character outside the alphabet. Internal. */
export const BASE62_DIGIT: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE62_ALPHABET.length; i++) table[BASE62_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Writes a non-negative integer in base62, most significant digit first, left-padded with
 * `"0"` to `width` characters. Internal: callers guarantee `value < 62 ** width`.
 */
export function encodeBase62(value: number, width: number): string {
  let text = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    text = BASE62_ALPHABET[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text;
}
