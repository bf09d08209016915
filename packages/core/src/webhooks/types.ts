/**
 * Types of declared public routes: a webhook endpoint that needs no API key but the sender's
 * signature over the raw body.
 */
import type { Duration } from "../types.js";

/** The signature schemes `webhookAuth()` verifies. */
export type WebhookProvider = "github" | "stripe" | "standard-webhooks";

/** Options of `webhookAuth()` in every adapter, validated once by {@link createWebhookVerifier}. */
export interface WebhookAuthOptions {
  /**
   * Whose signature scheme: `"github"` (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`),
   * `"stripe"` (`Stripe-Signature: t=<s>,v1=<hex HMAC-SHA256 of "t.body">`) or
   * `"standard-webhooks"` (`webhook-id` / `webhook-timestamp` / `webhook-signature`, the
   * Standard Webhooks specification; secrets are `whsec_<base64>`).
   */
  provider: WebhookProvider;
  /**
   * The signing secret, or a list during a rotation: a signature made with any of them passes.
   */
  secret: string | readonly string[];
  /**
   * How far the signed timestamp may be from now, either way (Stripe and Standard Webhooks;
   * GitHub signs no timestamp). A signature outside it is refused as a replay.
   * @defaultValue "5m" (300 s)
   */
  tolerance?: Duration;
}

/** The raw request a webhook verification reads. */
export interface WebhookRequest {
  /** Request headers: a Web `Headers` or Node's `IncomingHttpHeaders`. */
  headers: Headers | Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes received (never a re-serialized parsed body). */
  body: Uint8Array | string;
}
