/**
 * One delivery attempt over HTTP: a signed Standard Webhooks `POST`
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 * The signature is computed by the `standardwebhooks` package over `id.timestamp.body`; the
 * timestamp is the wall clock at sending time (receivers reject stale ones), not the event's.
 */
import type { OutboxEvent } from "../store/outbox-types.js";
import type { ResolvedEndpoint } from "./options.js";
import { webhookBody } from "./payload.js";

/** Null when the endpoint answered 2xx, else one line saying why (no secrets, no body). */
export async function sendWebhook(endpoint: ResolvedEndpoint, event: OutboxEvent): Promise<string | null> {
  const body = webhookBody(event);
  const sentAt = new Date();
  const headers = {
    "content-type": "application/json",
    "user-agent": "keyward-webhooks",
    "webhook-id": event.id,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": endpoint.signer.sign(event.id, sentAt, body),
  };
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(endpoint.timeout),
    });
    await response.body?.cancel().catch(() => {});
    return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError") return `timeout after ${endpoint.timeout} ms`;
    const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    return typeof code === "string" ? `connection failed (${code})` : "connection failed";
  }
}
