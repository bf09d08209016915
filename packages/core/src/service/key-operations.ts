/**
 * The management methods after creation: get, list, update, revoke, rotate, delete. Every
 * change evicts the key from this instance's cache and publishes its id to the others.
 */
import { endedEntries, rotatedEntries, updatedEntries } from "../delivery/key-events.js";
import { parseDuration } from "../duration/index.js";
import { KeywardError } from "../errors/index.js";
import { counterPartition, keyCounterKeys, quotaRefOf } from "../ratelimit/plan.js";
import type { StoredKey } from "../store/types.js";
import { generateToken, tokenStart } from "../token/index.js";
import { tokenLast4 } from "../token/last4.js";
import type {
  ApiKey,
  KeyPage,
  KeywardEvent,
  ListKeysQuery,
  RotateOptions,
  UpdateKeyInput,
} from "../types.js";
import { copyKey, present, toApiKey } from "./api-key.js";
import { decodeCursor, encodeCursor } from "./ids.js";
import { resolveUpdateInput } from "./input.js";
import { instantProblem, textProblem } from "./representable.js";
import type { Runtime } from "./runtime.js";
import { call } from "./store-call.js";

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;

const notFound = (id: string): never => {
  throw new KeywardError("not_found", `keyward: no key with id ${JSON.stringify(String(id).slice(0, 64))}`);
};

async function load(rt: Runtime, id: string): Promise<StoredKey> {
  if (typeof id !== "string" || id.length === 0)
    throw new KeywardError("invalid_request", 'keyward: "id" must be a key id');
  if (textProblem(id) !== null) return notFound(id); // no stored key has such an id
  const key = await call(rt, "getKey", () => rt.config.store.getKey(id));
  return key ?? notFound(id);
}

function emit(rt: Runtime, event: KeywardEvent): void {
  if (rt.events.enabled) rt.events.emit(event);
}

/** `get`: the key, or null for an unknown id. */
export async function getKey(rt: Runtime, id: string): Promise<ApiKey | null> {
  if (typeof id !== "string" || id.length === 0 || textProblem(id) !== null) return null;
  const key = await call(rt, "getKey", () => rt.config.store.getKey(id));
  return key && present(rt, key);
}

/** `list`: newest first, keyset-paginated by id so that concurrent inserts never shift pages. */
export async function listKeys(rt: Runtime, query: ListKeysQuery = {}): Promise<KeyPage> {
  if (typeof query !== "object" || query === null)
    throw new KeywardError("invalid_request", "keyward: the list query must be an object");
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new KeywardError("invalid_request", `keyward: "limit" must be an integer from 1 to ${MAX_PAGE}`);
  }
  for (const field of ["ownerId", "scope"] as const) {
    const value = query[field];
    if (value !== undefined && (typeof value !== "string" || value.length === 0)) {
      throw new KeywardError("invalid_request", `keyward: "${field}" must be a non-empty string`);
    }
    const problem = value === undefined ? null : textProblem(value);
    if (problem !== null) throw new KeywardError("invalid_request", `keyward: "${field}" ${problem}`);
  }
  if (query.enabled !== undefined && typeof query.enabled !== "boolean") {
    throw new KeywardError("invalid_request", 'keyward: "enabled" must be a boolean');
  }
  const beforeId = query.cursor == null ? undefined : decodeCursor(query.cursor);
  const rows = await call(rt, "listKeys", () =>
    rt.config.store.listKeys({
      limit: limit + 1,
      ...(query.ownerId !== undefined && { ownerId: query.ownerId }),
      ...(query.scope !== undefined && { scope: query.scope }),
      ...(query.enabled !== undefined && { enabled: query.enabled }),
      ...(beforeId !== undefined && { beforeId }),
    }),
  );
  const page = rows.slice(0, limit);
  const items = await Promise.all(page.map((key) => present(rt, key)));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

/** `update`: applies the given fields; a new quota resets the balance. */
export async function updateKey(rt: Runtime, id: string, input: UpdateKeyInput): Promise<ApiKey> {
  const { store, clock } = rt.config;
  const { patch, quota, changes } = resolveUpdateInput(input, rt.config);
  const existing = await load(rt, id);
  const now = clock();
  const full = { ...patch, updatedAt: now };
  const entries = updatedEntries(rt.writer, existing, { ...existing, ...full }, now, changes);
  const updated = await call(rt, "updateKey", () => store.updateKey(id, full, rt.writer?.forWrite(entries)));
  if (!updated) return notFound(id);
  await rt.writer?.written(entries);
  try {
    if (quota) {
      await call(rt, "setQuota", () =>
        store.setQuota(quotaRefOf(updated), quota.config, quota.remaining, now),
      );
    } else if (quota === null && existing.quota !== null) {
      const names = [quotaRefOf(updated).key];
      await call(rt, "clearCounters", () => store.clearCounters(counterPartition(updated), names));
    }
  } finally {
    await rt.changed(id); // the row changed even if the balance could not be set
  }
  const key = await present(rt, updated);
  emit(rt, {
    type: "key.updated",
    at: new Date(now),
    keyId: id,
    ownerId: key.ownerId,
    key: copyKey(key),
    changes,
  });
  return key;
}

/** `revoke`: permanent and idempotent (a second call returns the key unchanged, without an event). */
export async function revokeKey(rt: Runtime, id: string): Promise<ApiKey> {
  const { store, clock } = rt.config;
  const existing = await load(rt, id);
  if (existing.revokedAt !== null) return present(rt, existing);
  const now = clock();
  const revokedKey = { ...existing, revokedAt: now, updatedAt: now };
  const entries = endedEntries(rt.writer, "key.revoked", revokedKey, now);
  const revoked = await call(rt, "updateKey", () =>
    store.updateKey(id, { revokedAt: now, updatedAt: now }, rt.writer?.forWrite(entries)),
  );
  if (!revoked) return notFound(id);
  await rt.writer?.written(entries);
  await rt.changed(id);
  const key = await present(rt, revoked);
  emit(rt, { type: "key.revoked", at: new Date(now), keyId: id, ownerId: key.ownerId, key: copyKey(key) });
  return key;
}

/**
 * `rotate`: a new token for the same key. Older tokens keep working until
 * min(now + gracePeriod, the key's own expiry) — rotation never extends or removes an expiry.
 */
export async function rotateKey(
  rt: Runtime,
  id: string,
  options: RotateOptions = {},
): Promise<{ token: string; key: ApiKey }> {
  const { store, clock, hasher, prefix } = rt.config;
  if (typeof options !== "object" || options === null) {
    throw new KeywardError("invalid_request", "keyward: rotate options must be an object");
  }
  let grace = 0;
  if (options.gracePeriod !== undefined) {
    try {
      grace = parseDuration(options.gracePeriod, "gracePeriod");
    } catch (error) {
      throw new KeywardError("invalid_request", (error as Error).message, { cause: error });
    }
    if (grace < 0) throw new KeywardError("invalid_request", 'keyward: "gracePeriod" must not be negative');
  }
  const existing = await load(rt, id);
  const now = clock();
  if (existing.revokedAt !== null)
    throw new KeywardError("conflict", `keyward: key ${id} is revoked and cannot be rotated`);
  if (existing.expiresAt !== null && existing.expiresAt <= now) {
    throw new KeywardError("conflict", `keyward: key ${id} has expired and cannot be rotated`);
  }
  const retireAt = Math.min(now + grace, existing.expiresAt ?? Number.POSITIVE_INFINITY);
  if (instantProblem(retireAt) !== null)
    throw new KeywardError("invalid_request", 'keyward: "gracePeriod" must end by 9999-12-31 (UTC)');
  const token = generateToken(prefix);
  const secret = { hash: hasher.hash(token), keyId: id, createdAt: now, expiresAt: null };
  const start = tokenStart(token);
  const last4 = tokenLast4(token);
  const after = { ...existing, prefix, start, last4, updatedAt: now };
  const entries = rotatedEntries(rt.writer, after, now, retireAt);
  const rotated = await call(rt, "rotateKey", () =>
    store.rotateKey(id, secret, retireAt, { prefix, start, last4 }, rt.writer?.forWrite(entries)),
  );
  if (!rotated) return notFound(id);
  rt.cache.evictUnknown(secret.hash);
  await rt.changed(id);
  await rt.writer?.written(entries);
  // From here on the new token exists and the old one is retiring: nothing may throw, or the
  // caller would never learn the new token.
  let current = rotated;
  // `start`, `last4` and `prefix` describe the current token; an imported key gains them on
  // rotation. Stores write them with the rotation; one that does not (an older custom store, or
  // PostgreSQL for `last4`) gets them here.
  if (rotated.start !== start || rotated.prefix !== prefix || rotated.last4 !== last4) {
    try {
      current =
        (await call(rt, "updateKey", () => store.updateKey(id, { updatedAt: now, start, last4, prefix }))) ??
        rotated;
    } catch {
      rt.warn("updating a rotated key's start");
    }
  }
  const key = await present(rt, current).catch(() => toApiKey(current, null));
  emit(rt, {
    type: "key.rotated",
    at: new Date(now),
    keyId: id,
    ownerId: key.ownerId,
    key: copyKey(key),
    previousExpiresAt: new Date(retireAt),
  });
  return { token, key };
}

/** `delete`: removes the key, its secrets and its counters. */
export async function deleteKey(rt: Runtime, id: string): Promise<void> {
  const { store, clock, rateLimit } = rt.config;
  const existing = await load(rt, id);
  const entries = endedEntries(rt.writer, "key.deleted", existing, clock());
  const removed = await call(rt, "deleteKey", () => store.deleteKey(id, rt.writer?.forWrite(entries)));
  if (!removed) notFound(id);
  await rt.writer?.written(entries);
  rt.usage.forget(id);
  await rt.changed(id);
  emit(rt, { type: "key.deleted", at: new Date(clock()), keyId: id, ownerId: existing.ownerId });
  try {
    const names = keyCounterKeys(existing, existing.rateLimit ?? rateLimit);
    await call(rt, "clearCounters", () => store.clearCounters(counterPartition(existing), names));
  } catch {
    // The key is gone; its counters are orphaned but harmless (nothing can consume them).
    rt.warn("clearing a deleted key's counters");
  }
}
