/**
 * The adapter conformance suite: every framework adapter (Express, Fastify, Next, yours) runs
 * it against a real server and must answer every row of keyward's HTTP table the same way.
 * It needs no particular test runner — pass `{ describe, it, expect }` (and, if your runner has
 * them, `beforeAll` / `afterAll`).
 *
 * @example
 * // packages/my-adapter/test/conformance.test.ts
 * import { afterAll, beforeAll, describe, expect, it } from "vitest";
 * import { runAdapterConformance } from "@keyward/core/testing";
 * runAdapterConformance({ describe, it, expect, beforeAll, afterAll }, async ({ keyward, routes, groups }) => {
 *   const app = makeApp(keyward, routes, groups); // mount every route, each answering conformanceBody(key)
 *   return listen(app);                            // { url, close }
 * });
 */

import { type ConformanceRunner, runConformanceChecks } from "./adapter-checks.js";
import { runHardeningChecks } from "./adapter-checks-hardening.js";
import { runMoreChecks } from "./adapter-checks-more.js";
import { runOwnerChecks } from "./adapter-checks-owners.js";
import { type ConformanceFixture, createConformanceFixture } from "./adapter-fixture.js";
import type { ConformanceApp, CreateConformanceApp } from "./adapter-routes.js";

export type { ConformanceAssertion, ConformanceRunner } from "./adapter-checks.js";
export { recordOwnerResponses } from "./adapter-checks-owners.js";
export * from "./adapter-checks-route-policies.js";
export * from "./adapter-checks-webhooks.js";
export * from "./adapter-compare.js";
export * from "./adapter-compare-keys.js";
export * from "./adapter-fixture.js";
export * from "./adapter-owners-fixture.js";
export * from "./adapter-routes.js";
export * from "./adapter-server.js";

/** The apps under test, started once per suite run. */
export interface ConformanceContext {
  readonly fixture: ConformanceFixture;
  readonly main: ConformanceApp;
  readonly unhealthy: ConformanceApp;
}

/**
 * Registers the conformance suite. `createApp` is called twice (the healthy keyward and the
 * one whose store fails); it must mount every route of `setup.routes` and `setup.groups` and
 * answer `conformanceBody(key)` with `CONFORMANCE_CONTENT_TYPE` from every handler.
 *
 * @param t - `{ describe, it, expect }` and optionally `beforeAll` / `afterAll`; without
 *   `afterAll` the apps are closed by a last test.
 * @param createApp - starts an app for a setup on 127.0.0.1 and returns its URL
 */
export function runAdapterConformance(t: ConformanceRunner, createApp: CreateConformanceApp): void {
  let started: Promise<ConformanceContext> | null = null;
  const start = (): Promise<ConformanceContext> => {
    started ??= (async () => {
      const fixture = await createConformanceFixture();
      const [main, unhealthy] = await Promise.all([createApp(fixture.main), createApp(fixture.unhealthy)]);
      return { fixture, main, unhealthy };
    })();
    return started;
  };
  const stop = async (): Promise<void> => {
    if (!started) return;
    const context = await started;
    started = null;
    await Promise.all([context.main.close(), context.unhealthy.close()]);
    await context.fixture.close();
  };

  t.describe("keyward adapter conformance", () => {
    if (t.beforeAll) t.beforeAll(async () => void (await start()));
    if (t.afterAll) t.afterAll(stop);
    runConformanceChecks(t, start);
    runMoreChecks(t, start);
    runHardeningChecks(t, start);
    runOwnerChecks(t, createApp);
    if (!t.afterAll) t.it("closes the apps", stop);
  });
}
