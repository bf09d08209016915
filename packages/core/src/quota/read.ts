/**
 * What `CounterStore.getQuota` answers, from the stored balance: the one reading of the quota
 * math every store uses (the memory store on its Map, PostgreSQL on the row it read).
 */
import type { QuotaResult } from "../store/types.js";
import type { QuotaConfig } from "../types.js";
import { evaluateQuota, type QuotaState, quotaRefillAt } from "./balance.js";

/**
 * The balance of a quota at `now` without consuming anything: a due refill applied, a quota
 * never seen read as full.
 *
 * @param stored - the stored state, or undefined for a quota never seen (or cleared)
 * @param config - the key's quota (`refill.interval` in ms)
 * @param now - epoch ms
 * @returns `{ allowed, remaining, refillAt }`; `refillAt` in epoch ms, null without refill
 */
export function readQuota(stored: QuotaState | undefined, config: QuotaConfig, now: number): QuotaResult {
  const { rolled } = evaluateQuota(stored, config, 1, now);
  return {
    allowed: rolled.remaining > 0,
    remaining: rolled.remaining,
    refillAt: quotaRefillAt(rolled, config),
  };
}
