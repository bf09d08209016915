/**
 * @keyward/core/testing — the suites every store and adapter runs.
 * @module
 */

export * from "./adapter-checks-address.js";
export * from "./adapter-conformance.js";
export * from "./store-contract.js";
