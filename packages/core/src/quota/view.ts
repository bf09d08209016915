import type { QuotaResult } from "../store/types.js";
import type { QuotaConfig, QuotaView } from "../types.js";

/**
 * A quota as shown on a key: its configuration, the balance and the next refill.
 *
 * @example
 * const state = await store.getQuota({ partition, key: `q:${id}` }, config, Date.now());
 * key.quota = quotaView(config, state); // { limit, refill, remaining, refillAt: Date | null }
 */
export function quotaView(config: QuotaConfig, state: QuotaResult): QuotaView {
  return {
    limit: config.limit,
    refill: config.refill === null ? null : { ...config.refill },
    remaining: state.remaining,
    refillAt: state.refillAt === null ? null : new Date(state.refillAt),
  };
}
