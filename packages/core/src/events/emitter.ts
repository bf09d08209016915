/**
 * Delivers events to the `onEvent` listener without ever letting it break a request: a throw or
 * a rejected promise is swallowed, and reported once with `console.warn` (the warning names the
 * event type only — never a key, token or hash).
 */
import type { KeywardEvent } from "../types.js";

/** Calls the listener safely; `enabled` is false when there is no listener (skip building events). */
export interface EventSink {
  readonly enabled: boolean;
  emit(event: KeywardEvent): void;
}

/** Wraps an `onEvent` listener (or none) into a sink that never throws. */
export function createEventSink(listener: ((event: KeywardEvent) => void | Promise<void>) | null): EventSink {
  if (!listener) return { enabled: false, emit() {} };
  let warned = false;
  const report = (type: string, error: unknown): void => {
    if (warned) return;
    warned = true;
    const reason = error instanceof Error ? error.name : typeof error;
    console.warn(
      `keyward: the onEvent listener failed on "${type}" (${reason}); the request went on. Later listener failures are not logged.`,
    );
  };
  return {
    enabled: true,
    emit(event) {
      try {
        const result = listener(event);
        if (result && typeof (result as Promise<void>).then === "function") {
          (result as Promise<void>).then(undefined, (error: unknown) => report(event.type, error));
        }
      } catch (error) {
        report(event.type, error);
      }
    },
  };
}
