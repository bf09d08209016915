/**
 * The store deadline. Every store call keyward makes is raced against `timeout`; a call that
 * throws (with anything but a KeywardError) or runs past the deadline becomes
 * `KeywardError("unavailable")`, which `verify()` turns into a 503 result and the management
 * methods throw.
 */
import { KeywardError } from "../errors/index.js";

/** Runs one store operation under a deadline; see the module comment for what failures become. */
export function storeCall<T>(
  kind: string,
  operation: string,
  timeout: number,
  run: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new KeywardError(
          "unavailable",
          `keyward: the ${kind} store did not answer ${operation} within ${timeout} ms`,
        ),
      );
    }, timeout);
    const fail = (cause: unknown): void => {
      clearTimeout(timer);
      if (cause instanceof KeywardError) reject(cause);
      else
        reject(
          new KeywardError("unavailable", `keyward: the ${kind} store failed in ${operation}`, { cause }),
        );
    };
    try {
      run().then((value) => {
        clearTimeout(timer);
        resolve(value);
      }, fail);
    } catch (cause) {
      fail(cause);
    }
  });
}
