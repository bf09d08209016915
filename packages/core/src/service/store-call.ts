/**
 * Store calls from the service: every operation runs under the instance's deadline, and a
 * failure or an overrun becomes `KeywardError("unavailable")`.
 */
import { storeCall } from "./deadline.js";
import type { Runtime } from "./runtime.js";

/** Runs a store operation under the instance's deadline (failures → `unavailable`). */
export function call<T>(rt: Runtime, operation: string, run: () => Promise<T>): Promise<T> {
  return storeCall(rt.config.store.kind, operation, rt.config.timeout, run);
}
