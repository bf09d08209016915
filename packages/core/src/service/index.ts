/**
 * The Keyward service: `createKeyward()` and the per-route `createVerifier()`.
 * @module
 */

export { ExchangeError } from "./exchange.js";
export { createKeyward } from "./keyward.js";
export { createVerifier } from "./prepared-check.js";
