/**
 * @keyward/core — API-key authentication for Node services.
 *
 * This file only re-exports; each concern lives in its own folder.
 * @module
 */

export * from "./cache/index.js";
export * from "./duration/index.js";
export * from "./errors/index.js";
export * from "./events/index.js";
export * from "./hash/index.js";
export * from "./http/index.js";
export * from "./keyward/index.js";
export * from "./management/index.js";
export * from "./quota/index.js";
export * from "./ratelimit/index.js";
export * from "./routes/index.js";
export * from "./scopes/index.js";
export * from "./store/index.js";
export * from "./store/memory/index.js";
export type * from "./store/types.js";
export * from "./token/index.js";
export type * from "./types.js";
export * from "./webhooks/index.js";
