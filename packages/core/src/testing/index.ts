/**
 * @keyward/core/testing — the suites every store and adapter runs: the store contract, the
 * adapter conformance suite and the management-API scenario. None of them imports a test
 * runner; pass `{ describe, it, expect, … }` from yours.
 *
 * Explicit named exports only; `test/surface.test.ts` pins the list.
 * @module
 */

export {
  type AddressAppOptions,
  addressBody,
  type CreateAddressApp,
  runClientAddressChecks,
} from "./adapter-checks-address.js";
export { recordOwnerResponses } from "./adapter-checks-owners.js";
export {
  ROUTE_POLICY_GROUPS,
  ROUTE_POLICY_PARALLEL,
  ROUTE_POLICY_ROUTES,
  type RoutePolicyConformanceOptions,
  runRoutePolicyConformance,
} from "./adapter-checks-route-policies.js";
export {
  type CreateWebhookApp,
  type RecordedWebhookResponse,
  recordWebhookResponses,
  runWebhookConformance,
  signWebhook,
  WEBHOOK_ROUTES,
  type WebhookConformanceRoute,
  webhookCases,
  webhookConformanceBody,
} from "./adapter-checks-webhooks.js";
export {
  type ConformanceRequest,
  conformanceRequests,
  KEYWARD_HEADERS,
  type RecordedResponse,
  recordResponses,
} from "./adapter-compare.js";
export {
  type KeysApiEdgeRequest,
  keysApiEdgeRequests,
  type RecordedEdge,
  recordKeysApiEdges,
  sendEdge,
  streamHugeBody,
} from "./adapter-compare-keys.js";
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
  createOwnerFixture,
  legacyForbiddenOnInvalid,
  OWNER_CONFORMANCE_ROUTES,
  type OwnerFixture,
  type OwnerKeyName,
} from "./adapter-owners-fixture.js";
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
export { runOutboxContract } from "./contract-outbox.js";
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
