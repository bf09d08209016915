/**
 * `webhookAuth()` for Next.js App Router route handlers (and any fetch-style server): a declared
 * public route — no API key, the sender's signature over the raw body instead. The
 * verification and the 401 answer are core's, the same bytes as every adapter.
 */
import { createWebhookVerifier, tagRoute, type WebhookAuthOptions } from "@keyward/core/http";
import { toWebResponse } from "./auth.js";

/**
 * Wraps a route handler: it runs only for a request whose signature verifies over the exact raw
 * body (timing-safe; a replay window where the provider signs a timestamp); otherwise the 401
 * problem+json `invalid_signature` is returned. The bytes are read from a clone of the request
 * (`request.clone().arrayBuffer()`), so the handler can still call `request.json()` or
 * `request.text()`; they are also given as `context.rawBody`.
 *
 * @throws TypeError naming the option, at module load
 * @example
 * // app/webhooks/stripe/route.ts
 * export const POST = webhookAuth({ provider: "stripe", secret: process.env.STRIPE_WEBHOOK_SECRET! },
 *   async (request) => {
 *     const event = await request.json();
 *     return new Response(null, { status: 204 });
 *   });
 */
export function webhookAuth<C = unknown, R extends Request = Request>(
  options: WebhookAuthOptions,
  handler: (request: R, context: C & { rawBody: Uint8Array }) => Response | Promise<Response>,
): (request: R, context: C) => Promise<Response> {
  const verify = createWebhookVerifier(options);
  const wrapped = async (request: R, context: C): Promise<Response> => {
    const rawBody = new Uint8Array(await request.clone().arrayBuffer());
    const outcome = verify({ headers: request.headers, body: rawBody });
    if (!outcome.ok) return toWebResponse(outcome.response);
    return handler(request, { ...context, rawBody });
  };
  return tagRoute(wrapped, { auth: "webhook", provider: verify.provider });
}
