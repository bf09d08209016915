/**
 * The management API's HTTP scenario, run against every adapter (Express 5 and 4, Fastify,
 * Next): each endpoint, pagination, validation errors with their paths, the once-only token,
 * 404 / 405, and tenant isolation checked property-style over random owners and keys.
 *
 * An adapter test calls {@link runKeysApiScenario} with its runner and a function that mounts
 * the API on a real HTTP server (127.0.0.1, ephemeral port) and identifies the caller by a
 * header. Response bodies are checked against the served OpenAPI document, so the scenario
 * needs the optional peer dependencies `ajv` and `@readme/openapi-parser` installed.
 *
 * @example
 * import { afterAll, beforeAll, describe, expect, it } from "vitest";
 * import { runKeysApiScenario } from "@keyward/core/testing";
 * runKeysApiScenario({ describe, it, expect, beforeAll, afterAll }, "my-adapter", async (keyward, options, ownerHeader) =>
 *   listen(mountKeysApi(keyward, { ...options, owner: (req) => req.headers[ownerHeader] ?? null })),
 * );
 */

import { createScenario, type ScenarioRunner, type StartKeysServer } from "./management-scenario-context.js";
import { isolationCases } from "./management-scenario-isolation.js";
import { lifecycleCases } from "./management-scenario-lifecycle.js";
import { requestCases } from "./management-scenario-requests.js";

export {
  type KeysServer,
  SCENARIO_OPTIONS,
  type ScenarioAssertion,
  type ScenarioRunner,
  type StartKeysServer,
} from "./management-scenario-context.js";

/** Registers the whole scenario under `describe("<name>: management API over HTTP")`. */
export function runKeysApiScenario(t: ScenarioRunner, name: string, start: StartKeysServer): void {
  t.describe(`${name}: management API over HTTP`, () => {
    const s = createScenario(t, start);
    lifecycleCases(t, s);
    requestCases(t, s);
    isolationCases(t, s);
  });
}
