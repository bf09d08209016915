/**
 * @keyward/core/testing — the suites every store and adapter runs.
 * @module
 */
export * from "./store-contract.js";
export * from "./adapter-conformance.js";
