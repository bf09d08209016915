/**
 * The synchronous form of a counter store's `consume`, for a store whose counter work never
 * waits (the memory store). The store attaches it to its `consume` function under
 * {@link SYNC_CONSUME}; the verifier then calls it directly, with no promise and no store
 * deadline (a call that returns before the next line runs cannot be late).
 *
 * It lives on the function, not on the store object, so that a wrapper which replaces
 * `consume` (a spy, a fault injector, `{ ...memoryStore(), consume }`) drops it and is always
 * the one called.
 */
import type { ConsumeRequest, ConsumeResult, CounterStore } from "./types.js";

/** A registered symbol, so that every bundled copy of the core agrees on it. */
export const SYNC_CONSUME: unique symbol = Symbol.for("keyward.syncConsume") as never;

/** Does the whole consume before returning; throws where `consume` would reject. */
export type SyncConsume = (request: ConsumeRequest) => ConsumeResult;

/** The synchronous form of `store.consume`, when the store gave one. */
export function syncConsumeOf(store: CounterStore): SyncConsume | undefined {
  return (store.consume as { [SYNC_CONSUME]?: SyncConsume })[SYNC_CONSUME];
}
