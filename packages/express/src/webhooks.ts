/**
 * `webhookAuth()`: a declared public route for Express 4 and 5 — no API key, the sender's
 * signature over the raw body instead (GitHub, Stripe, Standard Webhooks). The verification
 * and the 401 answer are core's (`createWebhookVerifier`), the same bytes as every adapter.
 */
import { createWebhookVerifier, tagRoute, type WebhookAuthOptions } from "@keyward/core/http";
import type { NextFunction, Request, RequestHandler, Response } from "express";

/** Largest body `webhookAuth()` reads from the stream itself (no body parser ran): 1 MiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the request stream to its end; null when it exceeds the cap. */
async function readStream(req: Request): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The raw body: a Buffer left by `express.raw()` (or a string by `express.text()`), else the
 * stream read here. A body already parsed into an object is gone: that is a setup error.
 */
async function rawBody(req: Request): Promise<Buffer | string> {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body) || typeof body === "string") return body;
  if ((req as { _body?: boolean })._body === true || req.readableEnded) {
    throw new Error(
      'keyward webhookAuth: the request body was already parsed, so its exact bytes are lost; mount webhookAuth() before express.json(), or use express.raw({ type: "*/*" }) on this route',
    );
  }
  const read = await readStream(req);
  if (read === null) {
    throw Object.assign(new Error("keyward webhookAuth: the request body is larger than 1 MiB"), {
      status: 413,
    });
  }
  return read;
}

/**
 * Express middleware for a webhook route: verifies the provider's signature over the exact raw
 * body (timing-safe; a replay window where the provider signs a timestamp) and answers 401
 * problem+json `invalid_signature` otherwise. On success `req.body` is the raw body as a
 * Buffer (parse it yourself: `JSON.parse(req.body)`), and `next()` is called.
 *
 * Keep the raw body: put no JSON parser in front of it (it reads up to 1 MiB from the stream
 * itself), or give the route `express.raw({ type: "*\/*" })` first.
 *
 * @throws TypeError naming the option, at construction
 * @example
 * app.post("/webhooks/github", webhookAuth({ provider: "github", secret: process.env.GITHUB_WEBHOOK_SECRET! }), (req, res) => {
 *   const event = JSON.parse(req.body.toString("utf8"));
 *   res.sendStatus(204);
 * });
 */
export function webhookAuth(options: WebhookAuthOptions): RequestHandler {
  const verify = createWebhookVerifier(options);
  const middleware = function keywardWebhookAuth(req: Request, res: Response, next: NextFunction): void {
    rawBody(req).then((body) => {
      const outcome = verify({ headers: req.headers, body });
      if (!outcome.ok) {
        const { status, headers, body: problem } = outcome.response;
        res.statusCode = status;
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.end(problem);
        return;
      }
      req.body = typeof body === "string" ? Buffer.from(body) : body;
      next();
    }, next);
  };
  return tagRoute(middleware, { auth: "webhook", provider: verify.provider });
}
