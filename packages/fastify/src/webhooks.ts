/**
 * `webhookAuth()`: a declared public route for Fastify 5 — no API key, the sender's signature
 * over the raw body instead. The verification and the 401 answer are core's, the same bytes as
 * every adapter.
 */
import { createWebhookVerifier, tagRoute, type WebhookAuthOptions } from "@keyward/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";

/** A Fastify hook (`preHandler`) that verifies a webhook signature. */
export type WebhookHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * A `preHandler` hook for a webhook route: verifies the provider's signature over the exact raw
 * body (timing-safe; a replay window where the provider signs a timestamp) and answers 401
 * problem+json `invalid_signature` otherwise.
 *
 * Fastify parses JSON before `preHandler`, so keep the bytes: in the (encapsulated) context of
 * your webhook routes, replace the parsers with one that hands the body over as a Buffer —
 * `request.body` is then that Buffer in your handler too.
 *
 * @throws TypeError naming the option, at construction
 * @example
 * await app.register(async (hooks) => {
 *   hooks.removeAllContentTypeParsers();
 *   hooks.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
 *   hooks.post("/github", { preHandler: webhookAuth({ provider: "github", secret }) }, async (request) => {
 *     const event = JSON.parse((request.body as Buffer).toString("utf8"));
 *     return { received: event.action };
 *   });
 * }, { prefix: "/webhooks" });
 */
export function webhookAuth(options: WebhookAuthOptions): WebhookHook {
  const verify = createWebhookVerifier(options);
  const hook: WebhookHook = async function keywardWebhookAuth(request, reply) {
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) && typeof body !== "string") {
      throw new Error(
        'keyward webhookAuth: the request body is not the raw bytes; register a content-type parser with { parseAs: "buffer" } for this route\'s context',
      );
    }
    const outcome = verify({ headers: request.headers, body });
    if (outcome.ok) return undefined;
    const { status, headers, body: problem } = outcome.response;
    // A Buffer, so Fastify sends the bytes and Content-Type as given (no charset appended).
    return reply.code(status).headers(headers).send(Buffer.from(problem));
  };
  return tagRoute(hook, { auth: "webhook", provider: verify.provider });
}
