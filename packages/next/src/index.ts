/** @module */
export * from "./auth.js";
export * from "./keys.js";
export * from "./routes.js";
export * from "./webhooks.js";
