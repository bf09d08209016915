/**
 * The real management API in-process: keyward on the memory store, `keysHandlers()` from
 * @keyward/next, and a `fetch` that hands each request to those handlers, so the components
 * talk to the very code a Next app serves. The signed-in owner is a variable a test can clear
 * (an expired session) and any request can be held or failed on purpose.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import { type KeysHandlersOptions, keysHandlers } from "@keyward/next";

export interface Harness {
  keyward: Keyward;
  fetch: typeof fetch;
  /** The signed-in owner; null: the session is gone (401). */
  session: { owner: string | null };
  /** Every request as `METHOD /path?query`. */
  calls: string[];
  /** Holds matching requests until `release()` is called. */
  hold(match: RegExp): { release(): void };
  /** Answers matching requests with this status and problem (once per call to fail). */
  fail(match: RegExp, status: number, problem: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const PRESETS = { reader: ["task:read"], writer: ["reader", "task:write"] } as const;

export function harness(options: Partial<KeysHandlersOptions> = {}): Harness {
  const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", scopes: PRESETS, cache: false });
  const session = { owner: "org_1" as string | null };
  const handlers = keysHandlers(keyward, {
    basePath: "/api",
    owner: () => session.owner,
    allowedScopes: ["reader", "writer", "task:delete"],
    scopeDescriptions: {
      reader: "Read tasks",
      writer: "Read and write tasks",
      "task:delete": "Delete tasks",
    },
    ...options,
  });
  const calls: string[] = [];
  const held: { match: RegExp; gate: Promise<void> }[] = [];
  const failures: { match: RegExp; status: number; problem: Record<string, unknown> }[] = [];

  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(new URL(String(input), "http://app.test"), init);
    const url = new URL(request.url);
    const line = `${request.method} ${url.pathname}${url.search}`;
    calls.push(line);
    for (const entry of held) if (entry.match.test(line)) await entry.gate;
    const failure = failures.findIndex((entry) => entry.match.test(line));
    if (failure !== -1) {
      const [{ status, problem }] = failures.splice(failure, 1) as [(typeof failures)[number]];
      return new Response(JSON.stringify({ status, ...problem }), {
        status,
        headers: { "content-type": "application/problem+json" },
      });
    }
    const handler = handlers[request.method as keyof typeof handlers];
    return handler(request);
  };

  return {
    keyward,
    fetch: fetchFn as typeof fetch,
    session,
    calls,
    hold(match) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      held.push({ match, gate });
      return {
        release() {
          held.splice(
            held.findIndex((entry) => entry.gate === gate),
            1,
          );
          release();
        },
      };
    },
    fail(match, status, problem) {
      failures.push({ match, status, problem });
    },
    close: () => keyward.close(),
  };
}
