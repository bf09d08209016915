/**
 * Management writes of one key run one at a time in an instance. A write is several store
 * calls (read the key, check it, write, set the quota balance, fix `start`), so two of them
 * interleaved could mix their steps — a quota config from one update with the balance of the
 * other, a second revoke overwriting the first's time. Each store also makes its own write
 * atomic and serialized per key (row lock, Lua compare-and-set, synchronous Maps), which is what
 * keeps writes from several instances apart; this lock keeps the multi-step sequences of one
 * instance apart.
 */
import type { Runtime } from "./runtime.js";

const tails = new WeakMap<Runtime, Map<string, Promise<unknown>>>();

/** Runs `write` after every earlier write of the same key in this instance has settled. */
export function serializeKeyWrite<T>(rt: Runtime, id: string, write: () => Promise<T>): Promise<T> {
  let perKey = tails.get(rt);
  if (perKey === undefined) {
    perKey = new Map();
    tails.set(rt, perKey);
  }
  const previous = perKey.get(id) ?? Promise.resolve();
  const run = previous.then(write, write);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  perKey.set(id, tail);
  void tail.then(() => {
    if (perKey.get(id) === tail) perKey.delete(id);
  });
  return run;
}
