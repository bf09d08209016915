/**
 * Presenting stored keys: the quota balance is read from the counter store (keys without a
 * quota cost no call), then `toApiKey` builds the public object.
 */
import { quotaView } from "../quota/index.js";
import type { StoredKey } from "../store/types.js";
import type { ApiKey } from "../types.js";
import { toApiKey } from "./api-key.js";
import { quotaRefOf } from "./counters.js";
import { storeCall } from "./deadline.js";
import type { Runtime } from "./runtime.js";

/** Runs a store operation under the instance's deadline (failures → `unavailable`). */
export function call<T>(rt: Runtime, operation: string, run: () => Promise<T>): Promise<T> {
  return storeCall(rt.config.store.kind, operation, rt.config.timeout, run);
}

/** The public view of a stored key, with its current quota balance. */
export async function present(rt: Runtime, key: StoredKey): Promise<ApiKey> {
  if (key.quota === null) return toApiKey(key, null);
  const config = key.quota;
  const { store, clock } = rt.config;
  const balance = await call(rt, "getQuota", () => store.getQuota(quotaRefOf(key), config, clock()));
  return toApiKey(key, quotaView(config, balance));
}
