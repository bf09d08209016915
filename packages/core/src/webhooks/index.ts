/**
 * Declared public routes: webhook signatures (GitHub, Stripe, Standard Webhooks) verified over
 * the raw body, for every adapter's `webhookAuth()`.
 * @module
 */

export type * from "./types.js";
export { createWebhookVerifier, type WebhookOutcome, type WebhookVerifier } from "./verify.js";
