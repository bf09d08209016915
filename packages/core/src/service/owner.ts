/**
 * Who a key acts for: `resolveOwner` is called once per cached key (single-flight, under the
 * store deadline) and its answer kept on the cache entry with the effective grants under the
 * owner's ceiling (`ownerScopes`). `invalidateOwner` drops the entries of an owner's keys here
 * and publishes `owner:<id>` on the store's invalidation bus for the other instances.
 */
import type { CachedKey, OwnerSlot } from "../cache/key-cache.js";
import { KeywardError } from "../errors/index.js";
import { intersectGrants } from "../scopes/ceiling.js";
import { storeCall } from "./deadline.js";
import type { ResolvedConfig } from "./options.js";
import type { Runtime } from "./runtime.js";

/** Bus messages that start with this name an owner, not a key (key ids never contain ":"). */
export const OWNER_MESSAGE_PREFIX = "owner:";

/** The owner's ceiling, expanded, or throws for a bad `ownerScopes` answer (a bug: fail closed). */
function ceilingOf(config: ResolvedConfig, owner: unknown): ReadonlySet<string> {
  const scopes = config.ownerScopes!(owner);
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string")) {
    throw new TypeError('keyward: "ownerScopes" must return a list of scopes');
  }
  return config.scopes.expand(scopes);
}

function slotFor(config: ResolvedConfig, entry: CachedKey, owner: unknown): OwnerSlot {
  if (owner === null || owner === undefined) return { owner: null, granted: new Set() };
  if (config.ownerScopes === null) return { owner, granted: entry.granted };
  return { owner, granted: intersectGrants(entry.granted, ceilingOf(config, owner)) };
}

/**
 * The owner of a cached key: the slot already on the entry, or one resolution shared by every
 * verification that asks while it runs. Rejects (→ `unavailable`) when the resolver throws or
 * outlives the store deadline; a failure is not cached.
 */
export function ownerOf(rt: Runtime, entry: CachedKey): OwnerSlot | Promise<OwnerSlot> {
  const current = entry.owner;
  if (current !== undefined) return current;
  const { config } = rt;
  const ownerId = entry.key.ownerId!;
  const pending: Promise<OwnerSlot> = storeCall("owner", "resolveOwner", config.timeout, async () =>
    config.resolveOwner!(ownerId),
  ).then(
    (owner) => {
      const slot = slotFor(config, entry, owner);
      if (entry.owner === pending) entry.owner = slot;
      return slot;
    },
    (error: unknown) => {
      if (entry.owner === pending) entry.owner = undefined;
      throw error;
    },
  );
  entry.owner = pending;
  return pending;
}

/** `keyward.invalidateOwner(id)`: drop it here, then tell the other instances. */
export async function invalidateOwner(rt: Runtime, ownerId: string): Promise<void> {
  if (typeof ownerId !== "string" || ownerId.length === 0) {
    throw new KeywardError("invalid_request", 'keyward: "ownerId" must be a non-empty string');
  }
  await rt.changed(OWNER_MESSAGE_PREFIX + ownerId);
}

/** An owner's ceiling as the management API sees it: null for an inactive owner. */
export type OwnerCeiling = ReadonlySet<string> | null;

/**
 * What `ownerId` may grant now (its `ownerScopes`, expanded), asked of the resolver directly
 * (the management path is not hot). Rejects with `unavailable` when the resolver fails.
 */
export async function ownerCeiling(rt: Runtime, ownerId: string): Promise<OwnerCeiling> {
  const { config } = rt;
  const owner = await storeCall("owner", "resolveOwner", config.timeout, async () =>
    config.resolveOwner!(ownerId),
  );
  if (owner === null || owner === undefined) return null;
  try {
    return ceilingOf(config, owner);
  } catch (error) {
    throw new KeywardError("unavailable", "keyward: ownerScopes failed", { cause: error });
  }
}
