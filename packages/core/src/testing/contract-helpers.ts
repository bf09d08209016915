/**
 * Shared pieces of the store contract suite: the minimal test-runner surface it needs (so it
 * does not import a runner), fixtures with fresh random ids, and small assertion helpers.
 */
import { randomBytes } from "node:crypto";
import { KeywardError } from "../errors/index.js";
import { createIdGenerator } from "../service/ids.js";
import type { InvalidationBus, KeywardStore, StoredKey, StoredSecret } from "../store/types.js";

/** The matchers the suite uses; Vitest's and Jest's `expect` both provide them. */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toBeGreaterThan(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toHaveLength(expected: number): void;
  toContain(expected: unknown): void;
  readonly not: ContractAssertion;
}

/** `{ describe, it, expect }` from your test runner (Vitest, Jest, node:test with an expect library). */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  expect(actual: unknown, message?: string): ContractAssertion;
}

/** What the store under test can do beyond the contract's baseline. */
export interface StoreCapabilities {
  /** The store uses its own clock for counters (Redis TIME) instead of `request.now`. */
  ownClock?: boolean;
  /** Two stores from `makeStore()` share a backend and an invalidation bus. */
  invalidation?: boolean;
}

/** Makes the store under test; it may return the same store every time. The suite never closes it. */
export type MakeStore = () => Promise<KeywardStore> | KeywardStore;

/**
 * The store as a keyward instance sees it, with a signal for "that instance now hears the bus":
 * `subscribed` resolves when the instance's `invalidation.subscribe()` has resolved, which the
 * {@link InvalidationBus} contract defines as "subscribed". A case awaits it before the other
 * instance publishes, instead of sleeping and hoping the subscription has settled. Every other
 * member is the store's own (methods bound to it), so the store behaves exactly as it would.
 */
export function watchSubscription(store: KeywardStore): { store: KeywardStore; subscribed: Promise<void> } {
  const bus = store.invalidation;
  if (!bus) throw new Error(`the ${store.kind} store has no invalidation bus to watch`);
  let ready!: () => void;
  let failed!: (error: unknown) => void;
  const subscribed = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const watched: InvalidationBus = {
    publish: (keyId) => bus.publish(keyId),
    subscribe: (listener) =>
      bus.subscribe(listener).then(
        (stop) => {
          ready();
          return stop;
        },
        (error: unknown) => {
          failed(error);
          throw error;
        },
      ),
  };
  const view = new Proxy(store, {
    get(target, name) {
      if (name === "invalidation") return watched;
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: view, subscribed };
}

const nextId = createIdGenerator();

/** A fresh key id in keyward's format, larger than every id made before it in this process. */
export const freshId = (): string => nextId(Date.now());

/** A fresh random 64-hex hash. */
export const freshHash = (): string => randomBytes(32).toString("hex");

/** A fresh owner id, so that each test lists only its own keys on a shared backend. */
export const freshOwner = (): string => `owner_${randomBytes(6).toString("hex")}`;

/** A complete stored key with every field set to something non-trivial. */
export function storedKey(overrides: Partial<StoredKey> = {}): StoredKey {
  const now = Date.now();
  return {
    id: freshId(),
    name: "contract key",
    ownerId: freshOwner(),
    prefix: "sk_test",
    start: "sk_test_AbCd",
    last4: "x9Z0",
    scopes: ["task:read", "reader"],
    metadata: { plan: "pro", nested: { list: [1, "two", null], flag: true } },
    enabled: true,
    createdAt: now,
    updatedAt: now,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    usageCount: 0,
    rateLimit: [
      { name: "default", limit: 100, window: 60_000, algorithm: "sliding-window", autoApply: false },
    ],
    quota: { limit: 1000, refill: { interval: 86_400_000, amount: 1000 } },
    allowedIps: ["203.0.113.0/24", "2001:db8::/32"],
    ...overrides,
  };
}

/** The first secret of a key. */
export const secretOf = (key: StoredKey, overrides: Partial<StoredSecret> = {}): StoredSecret => ({
  hash: freshHash(),
  keyId: key.id,
  createdAt: key.createdAt,
  expiresAt: null,
  ...overrides,
});

/** Inserts a fresh key and answers it with its secret. */
export async function insertFresh(
  store: KeywardStore,
  overrides: Partial<StoredKey> = {},
): Promise<{ key: StoredKey; secret: StoredSecret }> {
  const key = storedKey(overrides);
  const secret = secretOf(key);
  await store.insertKey(key, secret);
  return { key, secret };
}

/** Resolves to the error a promise rejected with; fails when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/**
 * The code of a KeywardError, or a description of whatever else it was. Checked by shape, so
 * an error from a second copy of @keyward/core (ESM next to CJS) still counts.
 */
export const codeOf = (error: unknown): string =>
  error instanceof KeywardError || (error instanceof Error && error.name === "KeywardError")
    ? (error as KeywardError).code
    : `not a KeywardError: ${String(error)}`;
