// Placeholder: the memory counter store (owner: rate-limit work). See ../types.ts CounterStore.
import type { CounterStore } from "../types.js";

export interface MemoryCounterOptions {
  /** Idle counter state is reclaimed after this many ms past its window. */
  sweepInterval?: number;
}

export function createMemoryCounterStore(
  _options: MemoryCounterOptions,
): CounterStore & { close(): void } {
  throw new Error("memory counter store: placeholder");
}
