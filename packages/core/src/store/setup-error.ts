/**
 * A store that cannot work as configured — its tables were never created, the database named
 * in the URL does not exist, the password is wrong — is not an outage that passes by itself.
 * Stores throw {@link StoreSetupError} for such failures, so that keyward says so: once in the
 * log, and in the `unavailable` (503) detail of every verification, instead of a generic
 * "try again shortly" forever.
 */
import { KeywardError } from "../errors/index.js";

/**
 * An `unavailable` error whose cause is the store's setup, not the network: the message says
 * what is wrong and how to fix it ("run migrate()"). It never quotes a secret or a URL.
 *
 * @example
 * if (error.code === "42P01") throw new StoreSetupError('keyward: PostgreSQL has no table "keyward.keys"; run migrate()');
 */
export class StoreSetupError extends KeywardError {
  /** Marks the error as a setup problem (a store package may load another copy of core). */
  readonly storeSetup = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super("unavailable", message, options);
  }
}

function isSetupError(error: unknown): error is StoreSetupError {
  return (error as { storeSetup?: unknown } | null)?.storeSetup === true && error instanceof Error;
}

/** Instances that already logged their store's setup problem (once each). */
const warned = new WeakSet<object>();

/**
 * The detail of an `unavailable` answer for a failed store call: the setup problem when the
 * store reported one (logged with `console.warn` the first time for this instance), else
 * `fallback`.
 */
export function unavailableDetail(instance: object, error: unknown, fallback: string): string {
  const setup = isSetupError(error)
    ? error
    : isSetupError((error as Error | null)?.cause)
      ? (error as Error).cause
      : null;
  if (setup === null) return fallback;
  const message = (setup as Error).message;
  if (!warned.has(instance)) {
    warned.add(instance);
    console.warn(`${message} (every verification answers 503 until this is fixed)`);
  }
  return `The key store is not set up: ${message.replace(/^keyward: /, "")}`;
}
