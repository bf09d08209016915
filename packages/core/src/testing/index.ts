/**
 * @keyward/core/testing — the suites every store and adapter runs: the store contract, the
 * adapter conformance suite and the management-API scenario. None of them imports a test
 * runner; pass `{ describe, it, expect, … }` from yours.
 *
 * Explicit named exports only; `test/surface.test.ts` pins the list.
 * @module
 */

export {
  type ConformanceRequest,
  conformanceRequests,
  KEYWARD_HEADERS,
  type RecordedResponse,
  recordResponses,
} from "./adapter-compare.js";
export {
  type ConformanceAssertion,
  type ConformanceContext,
  type ConformanceRunner,
  runAdapterConformance,
} from "./adapter-conformance.js";
export {
  CONFORMANCE_EPOCH,
  CONFORMANCE_PRESETS,
  type ConformanceFixture,
  type ConformanceKeyName,
  createConformanceFixture,
  type StoreMode,
  switchableStore,
} from "./adapter-fixture.js";
export {
  CONFORMANCE_CONTENT_TYPE,
  CONFORMANCE_GROUPS,
  CONFORMANCE_ROUTES,
  type ConformanceApp,
  type ConformanceGroup,
  type ConformanceRoute,
  type ConformanceSetup,
  type CreateConformanceApp,
  conformanceBody,
} from "./adapter-routes.js";
export { listenForConformance } from "./adapter-server.js";
export {
  type KeysServer,
  runKeysApiScenario,
  SCENARIO_OPTIONS,
  type ScenarioAssertion,
  type ScenarioRunner,
  type StartKeysServer,
} from "./management-scenario.js";
export {
  type ContractAssertion,
  type ContractRunner,
  type CounterContractCapabilities,
  type MakeStore,
  runCounterContract,
  runStoreContract,
  type StoreCapabilities,
} from "./store-contract.js";
