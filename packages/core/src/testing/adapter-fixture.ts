/**
 * The keys, clock and stores behind the adapter conformance suite: a healthy keyward on the
 * memory store with a frozen clock (so every `RateLimit` and `Retry-After` value is exact), and
 * an unhealthy one whose store can be switched to throw or to hang past the deadline.
 */
import { createKeyward } from "../service/index.js";
import { memoryStore } from "../store/memory/index.js";
import type { KeywardStore } from "../store/types.js";
import type { ApiKey, CreateKeyInput, Keyward } from "../types.js";
import { CONFORMANCE_GROUPS, CONFORMANCE_ROUTES, type ConformanceSetup } from "./adapter-routes.js";

/** 2030-01-01T00:00:20Z: 20 s into an hour, so a fresh one-minute fixed window resets in 40 s. */
export const CONFORMANCE_EPOCH = Date.UTC(2030, 0, 1) + 20_000;

/** How the unhealthy store behaves on the request path (key lookups and counters). */
export type StoreMode = "ok" | "throw" | "hang";

/** The presets of the conformance keyward. */
export const CONFORMANCE_PRESETS = Object.freeze({ admin: ["admin:read", "admin:write"] });

const KEYS = {
  reader: { ownerId: "org_1", scopes: ["task:read"] },
  writer: { ownerId: "org_1", scopes: ["task:read", "task:write", "project:read"] },
  admin: { ownerId: "org_2", scopes: ["admin"] },
  project: {
    ownerId: "org_3",
    scopes: ["project:read"],
    rateLimit: [{ name: "default", limit: 10, window: "1m", algorithm: "fixed-window" }],
  },
  projectWriter: {
    ownerId: "org_3",
    scopes: ["project:read", "project:write"],
    rateLimit: [{ name: "default", limit: 10, window: "1m", algorithm: "fixed-window" }],
  },
  projectWriteOnly: { ownerId: "org_3", scopes: ["project:write"] },
  burst: {
    scopes: ["task:read"],
    rateLimit: [{ name: "burst", limit: 2, window: "1m", algorithm: "fixed-window" }],
  },
  burst7: {
    scopes: ["task:read"],
    rateLimit: [{ name: "burst", limit: 2, window: "1m", algorithm: "fixed-window" }],
  },
  quota: { scopes: ["task:read"], quota: { limit: 1, refill: { interval: "1h" } } },
  revoked: { scopes: ["task:read"] },
  disabled: { scopes: ["task:read"], enabled: false },
} satisfies Record<string, CreateKeyInput>;

/** Names of the fixture's keys (plus `expired` and `unknown`, a well-formed token of a deleted key). */
export type ConformanceKeyName = keyof typeof KEYS | "expired" | "unknown";

/** Everything the conformance suite and the cross-adapter comparison need. */
export interface ConformanceFixture {
  /** Mount this for the main app (memory store, frozen clock). */
  readonly main: ConformanceSetup;
  /** Mount this for the unhealthy app (its store follows {@link ConformanceFixture.storeMode}). */
  readonly unhealthy: ConformanceSetup;
  /** Token per key name; `healthy` is a valid `task:read` key of the unhealthy instance. */
  readonly tokens: Readonly<Record<ConformanceKeyName | "healthy", string>>;
  /** The main instance's keys. */
  readonly keys: Readonly<Record<Exclude<ConformanceKeyName, "unknown">, ApiKey>>;
  /** The frozen clock of the main instance. */
  now(): number;
  /** Moves the frozen clock forward. */
  advance(ms: number): void;
  /** Switches the unhealthy store between answering, throwing and never answering. */
  storeMode(mode: StoreMode): void;
  close(): Promise<void>;
}

/**
 * A store whose lookups and counter calls fail on demand: `"throw"` rejects at once,
 * `"hang"` never settles (keyward's `timeout` must turn it into 503).
 */
export function switchableStore(inner: KeywardStore, mode: () => StoreMode): KeywardStore {
  const gate =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const current = mode();
      if (current === "throw") return Promise.reject(new Error("conformance: store is down"));
      if (current === "hang") return new Promise<R>(() => {});
      return call(...args);
    };
  return {
    ...inner,
    kind: "conformance-switchable",
    findByHash: gate(inner.findByHash.bind(inner)),
    consume: gate(inner.consume.bind(inner)),
  };
}

/**
 * Creates both keyward instances and every key. Call `close()` when done.
 *
 * @example
 * const fixture = await createConformanceFixture();
 * const app = await createApp(fixture.main);
 */
export async function createConformanceFixture(): Promise<ConformanceFixture> {
  let now = CONFORMANCE_EPOCH - 5_000;
  let mode: StoreMode = "ok";
  const main = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    scopes: CONFORMANCE_PRESETS,
    clock: () => now,
  }) as unknown as Keyward;
  const unhealthy = createKeyward({
    store: switchableStore(memoryStore(), () => mode),
    prefix: "sk_test",
    scopes: CONFORMANCE_PRESETS,
    cache: false,
    timeout: 100,
  }) as unknown as Keyward;

  const tokens: Partial<Record<ConformanceKeyName | "healthy", string>> = {};
  const keys: Partial<Record<ConformanceKeyName, ApiKey>> = {};
  const expired = await main.create({ scopes: ["task:read"], expiresIn: "1s" });
  tokens.expired = expired.token;
  keys.expired = expired.key;
  now = CONFORMANCE_EPOCH;
  for (const [name, input] of Object.entries(KEYS) as [keyof typeof KEYS, CreateKeyInput][]) {
    const created = await main.create({ name, ...input });
    tokens[name] = created.token;
    keys[name] = created.key;
  }
  keys.revoked = await main.revoke(keys.revoked!.id);
  const gone = await main.create({ scopes: ["task:read"] });
  await main.delete(gone.key.id);
  tokens.unknown = gone.token;
  tokens.healthy = (await unhealthy.create({ scopes: ["task:read"] })).token;

  return {
    main: { keyward: main, routes: CONFORMANCE_ROUTES, groups: CONFORMANCE_GROUPS },
    unhealthy: { keyward: unhealthy, routes: CONFORMANCE_ROUTES, groups: CONFORMANCE_GROUPS },
    tokens: tokens as Record<ConformanceKeyName | "healthy", string>,
    keys: keys as Record<Exclude<ConformanceKeyName, "unknown">, ApiKey>,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    storeMode(next) {
      mode = next;
    },
    async close() {
      mode = "ok";
      await Promise.all([main.close(), unhealthy.close()]);
    },
  };
}
