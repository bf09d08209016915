/**
 * The verified-key cache: positive entries (found keys) on lru-cache keyed by the primary hash,
 * negative entries (unknown hashes) on a second, short-lived lru-cache, and a keyId → hashes
 * index so that a change to a key evicts every entry that points at it.
 *
 * Races: a lookup that started before an eviction must not put its (possibly stale) answer
 * back afterwards. Every eviction bumps `generation`; callers read it before going to the store
 * and pass it to `set*`, which drops the write when anything was evicted in between.
 */
import { LRUCache } from "lru-cache";
import type { AllowlistCheck } from "../ip/index.js";
import type { StoredKey } from "../store/types.js";
import type { ApiKey, VerifySuccess } from "../types.js";

/** What a positive entry holds: everything the hot path needs, computed once. */
export interface CachedKey {
  key: StoredKey;
  /** Built once from `key`, frozen, shared by every verification that hits this entry. */
  apiKey: ApiKey;
  /** When the secret behind this token stops verifying (rotation grace), or null. */
  secretExpiresAt: number | null;
  /** The key's scopes with presets expanded. */
  granted: ReadonlySet<string>;
  /** Whether any rate limit or quota can apply to this key (false: no counter work at all). */
  metered: boolean;
  /**
   * A one-slot memo of the consumption plan for the last verification options seen with this
   * entry (a route verifies with the same options object every time), so a rate-limited hot
   * path does not rebuild counter names per request. Owned by the verifier.
   */
  memo?: { check: object; plan: unknown };
  /** The (frozen, already resolved) success of a verification that consumes no counters. */
  passed?: Promise<VerifySuccess>;
  /** The key's compiled `allowedIps`, or null when any address may use it. */
  allowIp?: AllowlistCheck | null;
  /** The resolved owner and the effective grants under its ceiling (or the pending resolution). Owned by the verifier. */
  owner?: OwnerSlot | Promise<OwnerSlot>;
}

/** What `resolveOwner` answered for an entry: null for an inactive owner. */
export interface OwnerSlot {
  owner: unknown;
  /** The key's grants intersected with the owner's ceiling (or the key's own without `ownerScopes`). */
  granted: ReadonlySet<string>;
}

interface KeyCacheOptions {
  ttl: number;
  max: number;
  negativeTtl: number;
  clock: () => number;
}

/**
 * The options of every `get`: one object for all of them instead of lru-cache's default `{}`
 * per call (lru-cache writes its `status` member into it, which nothing here reads).
 */
const GET_OPTIONS: LRUCache.GetOptions<string, CachedKey, unknown> = {};

/** Cache of verified keys and unknown hashes; see the module comment for the race rule. */
export class KeyCache {
  #positive: LRUCache<string, CachedKey> | null;
  #negative: LRUCache<string, true> | null;
  #hashesOf = new Map<string, Set<string>>();
  #generation = 0;

  constructor(options: KeyCacheOptions | null) {
    if (!options) {
      this.#positive = null;
      this.#negative = null;
      return;
    }
    // With the real clock, lru-cache's own timer and its default 1 ms time resolution (one
    // clock read per millisecond instead of one per get) are exact enough for TTLs of seconds;
    // an injected clock is read on every get so tests can move time precisely.
    const clock = options.clock;
    const realClock = clock === Date.now;
    // (lru-cache treats a start time of 0 as "no TTL"; the injected clock is shifted by 1 ms so
    // a test clock that starts at 0 still expires entries.)
    const timing = realClock ? {} : { ttlResolution: 0, perf: { now: () => clock() + 1 } };
    this.#positive = new LRUCache<string, CachedKey>({
      max: options.max,
      ttl: options.ttl,
      ...timing,
      dispose: (entry, hash) => this.#unindex(entry.key.id, hash),
    });
    this.#negative =
      options.negativeTtl > 0
        ? new LRUCache<string, true>({ max: options.max, ttl: options.negativeTtl, ...timing })
        : null;
  }

  /** Bumped by every eviction; read it before a store lookup and pass it to `set`/`setUnknown`. */
  get generation(): number {
    return this.#generation;
  }

  get(hash: string): CachedKey | undefined {
    return this.#positive?.get(hash, GET_OPTIONS);
  }

  isUnknown(hash: string): boolean {
    return this.#negative?.get(hash) === true;
  }

  /** Stores a found key unless something was evicted since `generation` was read. */
  set(hash: string, entry: CachedKey, generation: number): void {
    if (!this.#positive || generation !== this.#generation) return;
    this.#positive.set(hash, entry);
    const hashes = this.#hashesOf.get(entry.key.id) ?? new Set<string>();
    this.#hashesOf.set(entry.key.id, hashes);
    hashes.add(hash);
  }

  /** Remembers that no key has this hash, unless something was evicted since `generation`. */
  setUnknown(hash: string, generation: number): void {
    if (generation === this.#generation) this.#negative?.set(hash, true);
  }

  /** Forgets every entry of a key (it changed here or on another instance). */
  evictKey(keyId: string): void {
    this.#generation++;
    const hashes = this.#hashesOf.get(keyId);
    if (!hashes) return;
    for (const hash of [...hashes]) this.#positive?.delete(hash);
    this.#hashesOf.delete(keyId);
  }

  /** Forgets every entry of the keys of one owner (its cached owner object went stale). */
  evictOwner(ownerId: string): void {
    this.#generation++;
    if (!this.#positive) return;
    const stale: string[] = [];
    for (const [hash, entry] of this.#positive.entries()) if (entry.key.ownerId === ownerId) stale.push(hash);
    for (const hash of stale) this.#positive.delete(hash);
  }

  /** Forgets a negative entry (a key with this hash was just created or imported). */
  evictUnknown(hash: string): void {
    this.#generation++;
    this.#negative?.delete(hash);
  }

  clear(): void {
    this.#generation++;
    this.#positive?.clear();
    this.#negative?.clear();
    this.#hashesOf.clear();
  }

  #unindex(keyId: string, hash: string): void {
    const hashes = this.#hashesOf.get(keyId);
    if (!hashes) return;
    hashes.delete(hash);
    if (hashes.size === 0) this.#hashesOf.delete(keyId);
  }
}
