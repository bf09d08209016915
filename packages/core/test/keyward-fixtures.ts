/** Shared fixtures for the keyward service tests: a controllable clock, a store spy, events. */
import {
  createKeyward,
  type KeywardEvent,
  type KeywardOptions,
  type KeywardStore,
  memoryStore,
} from "@keyward/core";

export const T0 = Date.UTC(2026, 0, 1);

type Method = Exclude<keyof KeywardStore, "kind" | "invalidation" | "close">;

/** A store wrapper that counts calls and can make any method hang or throw. */
export function spyStore(inner: KeywardStore = memoryStore()) {
  const calls: Record<string, number> = {};
  const hang = new Set<Method>();
  const fail = new Set<Method>();
  const args: Record<string, unknown[][]> = {};
  const wrapped: Record<string, unknown> = { kind: inner.kind };
  for (const name of Object.keys(inner) as (keyof KeywardStore)[]) {
    const value = inner[name];
    if (typeof value !== "function" || name === "close") continue;
    wrapped[name] = (...callArgs: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      args[name] = [...(args[name] ?? []), callArgs];
      if (hang.has(name as Method)) return new Promise(() => {});
      if (fail.has(name as Method)) return Promise.reject(new Error("store down"));
      return (value as (...a: unknown[]) => Promise<unknown>).apply(inner, callArgs);
    };
  }
  return {
    store: wrapped as unknown as KeywardStore,
    calls,
    args,
    count: (name: Method) => calls[name] ?? 0,
    hang,
    fail,
    reset() {
      for (const key of Object.keys(calls)) delete calls[key];
      for (const key of Object.keys(args)) delete args[key];
    },
  };
}

/** A keyward on a (spied) memory store with a manual clock and an event log. */
export function setup(options: Partial<KeywardOptions> = {}) {
  let now = T0;
  const events: KeywardEvent[] = [];
  const spy = spyStore(options.store ?? memoryStore());
  const keyward = createKeyward({
    prefix: "sk_test",
    clock: () => now,
    onEvent: (event) => {
      events.push(event);
    },
    writeBehind: { interval: 3_600_000 },
    ...options,
    store: spy.store,
  });
  return {
    keyward,
    spy,
    events,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (at: number) => {
      now = at;
    },
  };
}
