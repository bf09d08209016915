/**
 * How tokens appear in the tour's output: shortened to their first 12 and last 4 characters,
 * enough to tell them apart (and to see the typo of the bad-checksum step) without filling the
 * screen. Only `--serve` prints a whole token, for the reader to paste.
 */
/** `sk_test_j7moXn5Z…f1Mk`. */
export function shortToken(token: string): string {
  return token.length <= 20 ? token : `${token.slice(0, 16)}…${token.slice(-4)}`;
}

/** keyward's token format (prefix, 38 base62 characters); display only, so no checksum test. */
const anywhere = /\b[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*_[0-9A-Za-z]{38}\b/g;

/** Shortens every token that appears in a text (response bodies of create and rotate). */
export function shortenTokens(text: string): string {
  return text.replace(anywhere, shortToken);
}
