/**
 * The Keyward service: `createKeyward()` and the per-route `createVerifier()`.
 * @module
 */
export { createKeyward } from "./keyward.js";
export { createVerifier } from "./verifier.js";
