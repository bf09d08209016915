/** @module */
export * from "./auth.js";
export * from "./keys.js";
