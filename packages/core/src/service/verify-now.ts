/**
 * A verification's result as soon as it is known: the value itself when nothing had to wait
 * (a cached key whose limits live in the memory store), else a promise. `keyward.verifier()`
 * attaches this form to the verifier it returns, under {@link VERIFY_NOW}, so that the HTTP step
 * builds its outcome in the same tick and the adapter's own `await` is the only promise hop.
 */
import type { VerifyResult } from "../types.js";

/** A value, or the promise of it when it had to wait. */
export type Settled<T> = T | Promise<T>;

/** The promise of a settled value (one already resolved when the value is there). */
export const settle = <T>(value: Settled<T>): Promise<T> =>
  value instanceof Promise ? value : Promise.resolve(value);

/** A registered symbol, so that every bundled copy of the core (index, http) agrees on it. */
export const VERIFY_NOW: unique symbol = Symbol.for("keyward.verifyNow") as never;

/** A route verifier's synchronous-when-possible form; never throws, like the verifier. */
export type VerifyNow = (token: string | null | undefined, ip?: string) => Settled<VerifyResult>;
