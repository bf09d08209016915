/**
 * Where a key's quota balance lives (the counter names themselves are defined by the rate-limit
 * module, next to the plan that consumes them).
 */
import { counterPartition, keyCounterKeys, quotaCounterKey } from "../ratelimit/plan.js";
import type { QuotaRef, StoredKey } from "../store/types.js";

export { counterPartition as partitionOf, keyCounterKeys };

/** Where a key's quota balance lives. */
export const quotaRefOf = (key: Pick<StoredKey, "id" | "ownerId">): QuotaRef => ({
  partition: counterPartition(key),
  key: quotaCounterKey(key.id),
});
