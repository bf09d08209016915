import { TOKEN_CHECKSUM_LENGTH } from "./checksum.js";
import { TOKEN_RANDOM_LENGTH } from "./generate.js";
import { assertPrefix } from "./prefix.js";

const SUFFIX = `_[0-9A-Za-z]{${TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH}}\\b`;

/**
 * Finds keyward tokens of any prefix in text (logs, source, chat), for secret scanners.
 * Word-bounded, unanchored, no flags; it uses only syntax that RE2 (gitleaks, GitHub secret
 * scanning) understands and runs in linear time. Confirm each match with
 * {@link isKeywardToken}: the checksum discards almost every false positive.
 *
 * Source: `\b[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*_[0-9A-Za-z]{38}\b`
 *
 * @example
 * const found = text.match(new RegExp(TOKEN_PATTERN.source, "g"))?.filter((m) => isKeywardToken(m));
 */
export const TOKEN_PATTERN: RegExp = new RegExp(`\\b[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*${SUFFIX}`);

/**
 * Like {@link TOKEN_PATTERN}, for tokens of one prefix only.
 *
 * @throws TypeError for an invalid prefix
 * @example
 * tokenPattern("sk_live").source; // "\\bsk_live_[0-9A-Za-z]{38}\\b"
 */
export function tokenPattern(prefix: string): RegExp {
  assertPrefix(prefix, "prefix");
  return new RegExp(`\\b${prefix}${SUFFIX}`);
}
