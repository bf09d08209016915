import { describeValue } from "../duration/describe.js";

/** Longest accepted prefix, so that a token's length is bounded before any work is done. */
export const MAX_PREFIX_LENGTH = 32;

/**
 * Whether `text[start, end)` is a valid prefix: `[a-z][a-z0-9]*` groups joined by `"_"`.
 * A single pass over char codes; internal to the token module.
 */
export function isPrefixRange(text: string, start: number, end: number): boolean {
  if (end - start > MAX_PREFIX_LENGTH) return false;
  let needLetter = true;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) {
      needLetter = false;
    } else if (needLetter) {
      return false;
    } else if (code === 95) {
      needLetter = true;
    } else if (code < 48 || code > 57) {
      return false;
    }
  }
  return !needLetter;
}

/**
 * Throws unless `prefix` is a valid token prefix: lowercase letters and digits in groups
 * joined by `"_"`, each group starting with a letter, at most 32 characters
 * (`"sk"`, `"sk_live"`, `"acme_test2"`).
 *
 * @param prefix - the prefix to check
 * @param option - the option's name for the error message
 * @throws TypeError naming the option and the rejected value
 *
 * @example
 * assertPrefix("sk_live", "prefix"); // ok
 * assertPrefix("SK-Live", "prefix"); // TypeError
 */
export function assertPrefix(prefix: string, option: string): void {
  if (typeof prefix === "string" && isPrefixRange(prefix, 0, prefix.length)) return;
  throw new TypeError(
    `keyward: option "${option}" must be lowercase letters and digits in groups joined by "_", ` +
      `each group starting with a letter, at most ${MAX_PREFIX_LENGTH} characters (like "sk_live"), ` +
      `got ${describeValue(prefix)}`,
  );
}
