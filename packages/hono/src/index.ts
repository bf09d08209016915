/**
 * @keyward/hono — keyward API-key authentication for Hono: `apiKeyAuth()` middleware
 * (`c.var.apiKey`) and `keysRoutes()`, the management API as a sub-app.
 * @module
 */
export * from "./auth.js";
export * from "./keys.js";
