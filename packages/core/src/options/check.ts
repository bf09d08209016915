/**
 * The one check every factory and options object of keyward runs on its option names. A
 * misspelt option must never be ignored: `createKeysApi(keyward, { owner, allowedScope })`
 * would otherwise drop the scope restriction and fail open. An unknown name throws a
 * `TypeError` that names it and the nearest valid name, in one format everywhere:
 *
 *     createKeysApi(): unknown option "allowedScope" — did you mean "allowedScopes"? (valid: owner, auth, …)
 *
 * Adapter and store authors use it too (it is exported from `@keyward/core/http` and
 * `@keyward/core/store`), so their factories answer the same way.
 * @module
 */

/**
 * Throws a `TypeError` for the first own enumerable name of `options` that is not in `valid`.
 * Names whose value is `undefined` are checked too: `{ allowedScope: undefined }` is a typo all
 * the same. Does nothing for a non-object (the caller reports that with its own message).
 *
 * @param options - the options object as given by the caller
 * @param valid - every option name the factory reads
 * @param where - who is asking, as the user wrote it: `"createKeyward()"`, `"apiKeyAuth()"`
 * @param path - the path of a nested object, e.g. `"cache"` → names are shown as `"cache.ttl"`
 * @throws TypeError `<where>: unknown option "<path.name>" — did you mean "<nearest>"? (valid: …)`
 *
 * @example
 * checkOptionNames(options, ["client", "prefix"], "redisStore()");
 */
export function checkOptionNames(
  options: unknown,
  valid: readonly string[],
  where: string,
  path?: string,
): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return;
  for (const name of Object.keys(options)) {
    if (valid.includes(name)) continue;
    throw new TypeError(unknownOptionMessage(name, valid, where, path));
  }
}

/** The message of {@link checkOptionNames}, for a caller that reports an unknown name itself. */
export function unknownOptionMessage(
  name: string,
  valid: readonly string[],
  where: string,
  path?: string,
): string {
  const shown = (option: string) => `"${path ? `${path}.` : ""}${option}"`;
  const nearest = nearestName(name, valid);
  const hint = nearest === undefined ? "" : ` — did you mean ${shown(nearest)}?`;
  const list = valid.length === 0 ? "none" : valid.join(", ");
  return `${where}: unknown option ${shown(name)}${hint} (valid: ${list})`;
}

/** The valid name closest to `name` (case-insensitive edit distance, transpositions count 1). */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of valid) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
