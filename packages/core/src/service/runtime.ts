/**
 * The live parts of one keyward instance, shared by the verification pipeline and the
 * management methods: resolved config, cache, usage buffer, event sink, id generator, and the
 * "a key changed" fan-out (local eviction + cross-instance publish), and — with `webhooks` — the
 * lifecycle-event writer and delivery worker (`../delivery/`).
 */
import { KeyCache } from "../cache/key-cache.js";
import { DeliveryWorker } from "../delivery/worker.js";
import { createEventWriter, type EventWriter } from "../delivery/writer.js";
import { createEventSink, type EventSink } from "../events/emitter.js";
import type { CompiledRequirement } from "../scopes/index.js";
import { TOKEN_CHECKSUM_LENGTH, TOKEN_RANDOM_LENGTH } from "../token/index.js";
import { storeCall } from "./deadline.js";
import { createIdGenerator } from "./ids.js";
import type { ResolvedConfig } from "./options.js";
import { OWNER_MESSAGE_PREFIX } from "./owner.js";
import { UsageBuffer } from "./write-behind.js";

/** Everything an instance holds at run time. */
export interface Runtime {
  readonly config: ResolvedConfig;
  readonly cache: KeyCache;
  readonly usage: UsageBuffer;
  readonly events: EventSink;
  readonly nextId: (now: number) => string;
  /** Compiled scope requirements of `verify()` calls, by their text (bounded by the caller). */
  readonly compiled: Map<string, CompiledRequirement>;
  /** True when `token` has the configured prefix and keyward's shape (so its checksum must hold). */
  ownShape(token: string): boolean;
  /** A key (or, as `owner:<id>`, an owner) changed here: evict it locally and tell other instances. Never throws. */
  changed(keyId: string): Promise<void>;
  /** Re-keys a secret found under an older pepper, once, off the request path. */
  scheduleRehash(oldHash: string, newHash: string, keyId: string): void;
  /** Writes lifecycle events to the outbox; null without `webhooks`. */
  readonly writer: EventWriter | null;
  /** Delivers the outbox; null without `webhooks` or with `events.deliver: false`. */
  readonly worker: DeliveryWorker | null;
  /** The invalidation subscription, for `health()`; null when the store has no bus. */
  invalidationState(): { connected: boolean; lastMessageAt: number | null } | null;
  /** Reports a background failure once per instance (no secrets in `what`). */
  warn(what: string): void;
  /** Stops timers and the subscription; flushes usage. */
  close(): Promise<void>;
}

const TAIL_LENGTH = TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH;
const TAIL = new RegExp(`^[0-9A-Za-z]{${TAIL_LENGTH}}$`);

/** Builds the runtime of one instance from its resolved config. */
export function createRuntime(config: ResolvedConfig): Runtime {
  const { store } = config;
  const cache = new KeyCache(config.cache && { ...config.cache, clock: config.clock });
  const events = createEventSink(config.onEvent);
  let warned = false;
  const warnOnce = (what: string): void => {
    if (warned) return;
    warned = true;
    console.warn(
      `keyward: ${what} failed on the ${store.kind} store; it will be retried. Later failures are not logged.`,
    );
  };
  const usage = new UsageBuffer({
    ...config.writeBehind,
    write: (entries) => store.recordUsage(entries),
    onError: () => warnOnce("writing key usage"),
    clock: config.clock,
  });

  // A bus message names a key, or (with the "owner:" prefix) an owner whose keys to drop.
  const drop = (message: string): void => {
    if (message.startsWith(OWNER_MESSAGE_PREFIX))
      cache.evictOwner(message.slice(OWNER_MESSAGE_PREFIX.length));
    else cache.evictKey(message);
  };
  const bus = store.invalidation;
  let subscribed = false;
  let lastMessageAt: number | null = null;
  const subscription = bus
    ? Promise.resolve()
        .then(() =>
          bus.subscribe((message) => {
            lastMessageAt = config.clock();
            drop(message);
          }),
        )
        .then((unsubscribe) => {
          subscribed = true;
          return unsubscribe;
        })
        .catch(() => {
          warnOnce("subscribing to key invalidations");
          return null;
        })
    : Promise.resolve(null);

  const changed = async (keyId: string): Promise<void> => {
    drop(keyId);
    if (!store.invalidation) return;
    try {
      await storeCall(store.kind, "publish", config.timeout, () => store.invalidation!.publish(keyId));
    } catch {
      warnOnce("publishing a key invalidation");
    }
  };

  const rehashing = new Set<string>();
  const scheduleRehash = (oldHash: string, newHash: string, keyId: string): void => {
    if (rehashing.has(oldHash)) return;
    rehashing.add(oldHash);
    setImmediate(() => {
      storeCall(store.kind, "rehashSecret", config.timeout, () => store.rehashSecret(oldHash, newHash))
        .then(() => changed(keyId))
        .catch(() => warnOnce("re-hashing a key to the current pepper"))
        .finally(() => rehashing.delete(oldHash));
    });
  };

  const { delivery } = config;
  const outbox = store.outbox;
  const worker =
    delivery?.deliver && outbox
      ? new DeliveryWorker({
          store,
          outbox,
          delivery,
          clock: config.clock,
          timeout: config.timeout,
          warn: warnOnce,
        })
      : null;
  const writer =
    delivery && outbox
      ? createEventWriter({
          delivery,
          outbox,
          storeKind: store.kind,
          timeout: config.timeout,
          clock: config.clock,
          worker: () => worker,
          warn: warnOnce,
        })
      : null;

  const ownPrefix = `${config.prefix}_`;
  return {
    config,
    cache,
    usage,
    events,
    nextId: createIdGenerator(),
    compiled: new Map(),
    ownShape: (token) =>
      token.startsWith(ownPrefix) &&
      token.length === ownPrefix.length + TAIL_LENGTH &&
      TAIL.test(token.slice(ownPrefix.length)),
    changed,
    scheduleRehash,
    writer,
    worker,
    invalidationState: () => (bus ? { connected: subscribed, lastMessageAt } : null),
    warn: warnOnce,
    async close() {
      const unsubscribe = await subscription;
      subscribed = false;
      try {
        await worker?.close();
        await storeCall(store.kind, "recordUsage", config.timeout, () => usage.close());
      } finally {
        cache.clear();
        if (unsubscribe) await unsubscribe().catch(() => {});
      }
    },
  };
}
