/**
 * `create` and `import`: both resolve the input, install the quota balance (before the key can
 * be used), insert the key with its one secret, drop any negative-cache entry for the hash and
 * emit an event. Neither stores nor emits the token.
 */
import { createdEntries } from "../delivery/key-events.js";
import { KeywardError } from "../errors/index.js";
import { quotaView } from "../quota/index.js";
import { counterPartition, keyCounterKeys, quotaRefOf } from "../ratelimit/plan.js";
import type { StoredKey } from "../store/types.js";
import { generateToken, parseToken, tokenStart } from "../token/index.js";
import { tokenLast4 } from "../token/last4.js";
import type { ApiKey, CreateKeyInput, ImportKeyInput } from "../types.js";
import { copyKey, toApiKey } from "./api-key.js";
import { type KeyFields, resolveCreateInput } from "./input.js";
import { textProblem } from "./representable.js";
import type { Runtime } from "./runtime.js";
import { call } from "./store-call.js";

const MAX_IMPORTED_TOKEN = 512;

/** Mints a key; the returned token is the only copy there will ever be. */
export async function createKey(
  rt: Runtime,
  input: CreateKeyInput | undefined,
): Promise<{ token: string; key: ApiKey }> {
  const { config } = rt;
  const now = config.clock();
  const fields = resolveCreateInput(input, config, now);
  const token = generateToken(config.prefix);
  const key = await insert(
    rt,
    fields,
    now,
    config.hasher.hash(token),
    config.prefix,
    tokenStart(token),
    tokenLast4(token),
  );
  emit(rt, "key.created", key);
  return { token, key };
}

/** Brings in an existing key (plaintext in any format, or its SHA-256) without re-issuing it. */
export async function importKey(rt: Runtime, input: ImportKeyInput): Promise<ApiKey> {
  const { config } = rt;
  const now = config.clock();
  const fields = resolveCreateInput(input, config, now, true);
  const { token, sha256 } = input as { token?: unknown; sha256?: unknown };
  let hash: string;
  let prefix = "";
  let start = "";
  let last4 = "";
  if (token !== undefined && sha256 === undefined) {
    if (typeof token !== "string" || token.length === 0 || token.length > MAX_IMPORTED_TOKEN) {
      throw new KeywardError(
        "invalid_request",
        `keyward: "token" must be a non-empty string of at most ${MAX_IMPORTED_TOKEN} characters`,
      );
    }
    const parsed = parseToken(token);
    // Shaped like this instance's tokens but with a checksum that does not match: verify()
    // refuses such a token before any lookup, so importing it would make a key that never works.
    if (parsed === null && rt.ownShape(token)) {
      throw new KeywardError(
        "invalid_request",
        'keyward: "token" has this instance\'s token format but its checksum does not match (a mistyped or truncated copy?); it could never verify',
      );
    }
    // Its first characters are stored as `start`: they must be storable text.
    if (textProblem(token) !== null)
      throw new KeywardError("invalid_request", `keyward: "token" ${textProblem(token)}`);
    hash = config.hasher.hash(token);
    prefix = parsed?.prefix ?? "";
    start = tokenStart(token);
    last4 = tokenLast4(token);
  } else if (sha256 !== undefined && token === undefined) {
    hash = config.hasher.fromSha256(sha256 as string);
  } else {
    throw new KeywardError("invalid_request", 'keyward: give exactly one of "token" and "sha256"');
  }
  const key = await insert(rt, fields, now, hash, prefix, start, last4);
  emit(rt, "key.imported", key);
  return key;
}

async function insert(
  rt: Runtime,
  fields: KeyFields,
  now: number,
  hash: string,
  prefix: string,
  start: string,
  last4: string,
): Promise<ApiKey> {
  const { store } = rt.config;
  const stored: StoredKey = {
    id: rt.nextId(now),
    name: fields.name,
    ownerId: fields.ownerId,
    prefix,
    start,
    last4,
    scopes: fields.scopes,
    metadata: fields.metadata,
    enabled: fields.enabled,
    createdAt: now,
    updatedAt: now,
    expiresAt: fields.expiresAt,
    revokedAt: null,
    lastUsedAt: null,
    usageCount: 0,
    rateLimit: fields.rateLimit,
    quota: fields.quota?.config ?? null,
    allowedIps: fields.allowedIps,
  };
  const quota = fields.quota;
  if (quota)
    await call(rt, "setQuota", () => store.setQuota(quotaRefOf(stored), quota.config, quota.remaining, now));
  const entries = createdEntries(rt.writer, stored, now, fields.source);
  try {
    await call(rt, "insertKey", () =>
      store.insertKey(
        stored,
        { hash, keyId: stored.id, createdAt: now, expiresAt: null },
        rt.writer?.forWrite(entries),
      ),
    );
  } catch (error) {
    if (quota)
      await store.clearCounters(counterPartition(stored), keyCounterKeys(stored, null)).catch(() => {});
    throw error;
  }
  rt.cache.evictUnknown(hash);
  await rt.writer?.written(entries);
  const view =
    quota &&
    quotaView(quota.config, {
      allowed: true,
      remaining: quota.remaining,
      refillAt: quota.config.refill ? now + quota.config.refill.interval : null,
    });
  return toApiKey(stored, view);
}

function emit(rt: Runtime, type: "key.created" | "key.imported", key: ApiKey): void {
  if (!rt.events.enabled) return;
  rt.events.emit({
    type,
    at: new Date(key.createdAt),
    keyId: key.id,
    ownerId: key.ownerId,
    key: copyKey(key),
  });
}
