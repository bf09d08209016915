/**
 * Declared public routes through a real adapter: `webhookAuth()` for GitHub, Stripe and
 * Standard Webhooks — valid, tampered body, wrong secret, missing header, stale timestamp,
 * rotated secret — over the exact raw bytes, with 401 `invalid_signature` failures that every
 * adapter must send byte for byte alike ({@link recordWebhookResponses}).
 */
import { createHash, createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { WebhookAuthOptions, WebhookProvider } from "../webhooks/types.js";
import { assertions, type ConformanceRunner } from "./adapter-checks.js";
import type { ConformanceApp } from "./adapter-routes.js";

/** One webhook route: `POST <path>` protected with `webhookAuth(options)`. */
export interface WebhookConformanceRoute {
  readonly path: string;
  readonly options: WebhookAuthOptions;
}

/** Mounts the routes in a fresh app on 127.0.0.1; each handler answers {@link webhookConformanceBody}. */
export type CreateWebhookApp = (routes: readonly WebhookConformanceRoute[]) => Promise<ConformanceApp>;

const SECRETS = {
  github: ["gh-current-secret", "gh-previous-secret"],
  stripe: ["whsec_stripe_current", "whsec_stripe_previous"],
  "standard-webhooks": [
    `whsec_${Buffer.from("standard-webhooks-current-key!!").toString("base64")}`,
    `whsec_${Buffer.from("standard-webhooks-previous-key!").toString("base64")}`,
  ],
} as const satisfies Record<WebhookProvider, readonly [string, string]>;
const WRONG = {
  github: "not-the-secret",
  stripe: "whsec_not_the_secret",
  "standard-webhooks": `whsec_${Buffer.from("a-key-nobody-configured").toString("base64")}`,
};
const PROVIDERS = Object.keys(SECRETS) as WebhookProvider[];

/** Per provider, `/hooks/<provider>` with the current secret and `/hooks/<provider>-rotated` with both. */
export const WEBHOOK_ROUTES: readonly WebhookConformanceRoute[] = Object.freeze(
  PROVIDERS.flatMap((provider) => [
    { path: `/hooks/${provider}`, options: { provider, secret: SECRETS[provider][0] } },
    { path: `/hooks/${provider}-rotated`, options: { provider, secret: [...SECRETS[provider]] } },
  ]),
);

/** What every webhook handler answers: the SHA-256 of the raw body it received, as JSON. */
export function webhookConformanceBody(raw: Uint8Array): string {
  return JSON.stringify({ verified: true, sha256: createHash("sha256").update(raw).digest("hex") });
}

/**
 * Signature headers as the provider sends them, for tests of your own webhook routes.
 * `timestamp` is in seconds (default: now), for Stripe and Standard Webhooks.
 *
 * @example
 * const headers = signWebhook("github", secret, body);
 * await fetch(url, { method: "POST", headers, body });
 */
export function signWebhook(
  provider: WebhookProvider,
  secret: string,
  body: string | Uint8Array,
  {
    timestamp = Math.floor(Date.now() / 1000),
    id = "msg_conformance",
  }: { timestamp?: number; id?: string } = {},
): Record<string, string> {
  const bytes = Buffer.from(body);
  if (provider === "github") {
    return { "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}` };
  }
  if (provider === "stripe") {
    const v1 = createHmac("sha256", secret).update(`${timestamp}.`).update(bytes).digest("hex");
    return { "stripe-signature": `t=${timestamp},v1=${v1}` };
  }
  const signature = new Webhook(secret).sign(id, new Date(timestamp * 1000), bytes);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
}

/** A body whose bytes a re-serializing parser would change (spacing, key order, a non-ASCII character, a newline). */
const BODY = '{"zeta": 1,  "alpha":"caf\u00e9 \u2713", "n": 1.50}\n';

interface WebhookCase {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: 200 | 401;
}

/** Every case, built at call time (timestamps are relative to now). */
export function webhookCases(): WebhookCase[] {
  const now = Math.floor(Date.now() / 1000);
  const cases: WebhookCase[] = [];
  for (const provider of PROVIDERS) {
    const [current, previous] = SECRETS[provider];
    const path = `/hooks/${provider}`;
    const json = { "content-type": "application/json" };
    const add = (
      name: string,
      at: string,
      headers: Record<string, string>,
      body: string,
      status: 200 | 401,
    ) =>
      cases.push({ name: `${provider}: ${name}`, path: at, headers: { ...json, ...headers }, body, status });
    add("valid signature", path, signWebhook(provider, current, BODY), BODY, 200);
    add("tampered body", path, signWebhook(provider, current, BODY), BODY.replace("1.50", "150"), 401);
    add("wrong secret", path, signWebhook(provider, WRONG[provider], BODY), BODY, 401);
    add("missing signature header", path, {}, BODY, 401);
    add("previous secret, not configured", path, signWebhook(provider, previous, BODY), BODY, 401);
    add("rotated: previous secret", `${path}-rotated`, signWebhook(provider, previous, BODY), BODY, 200);
    add("rotated: current secret", `${path}-rotated`, signWebhook(provider, current, BODY), BODY, 200);
    if (provider !== "github") {
      add("stale timestamp", path, signWebhook(provider, current, BODY, { timestamp: now - 600 }), BODY, 401);
      add(
        "timestamp from the future",
        path,
        signWebhook(provider, current, BODY, { timestamp: now + 600 }),
        BODY,
        401,
      );
      add(
        "inside the tolerance",
        path,
        signWebhook(provider, current, BODY, { timestamp: now - 200 }),
        BODY,
        200,
      );
    }
  }
  return cases;
}

/** One recorded answer: everything a client can observe that keyward decides. */
export interface RecordedWebhookResponse {
  request: string;
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  body: string;
}

/** Sends every case to `app` and records the answers, in order. */
export async function recordWebhookResponses(app: ConformanceApp): Promise<RecordedWebhookResponse[]> {
  const recorded: RecordedWebhookResponse[] = [];
  for (const c of webhookCases()) {
    const response = await fetch(app.url + c.path, { method: "POST", headers: c.headers, body: c.body });
    recorded.push({
      request: c.name,
      status: response.status,
      contentType: response.headers.get("content-type"),
      cacheControl: response.headers.get("cache-control"),
      body: await response.text(),
    });
  }
  return recorded;
}

/** Registers the webhook checks against the app `createApp` mounts {@link WEBHOOK_ROUTES} on. */
export function runWebhookConformance(t: ConformanceRunner, createApp: CreateWebhookApp): void {
  const { describe, it, expect } = t;
  const a = assertions(t);
  let app: Promise<ConformanceApp> | null = null;
  const start = () => {
    app ??= createApp(WEBHOOK_ROUTES);
    return app;
  };
  const stop = async () => {
    if (app) await (await app).close();
    app = null;
  };
  describe("keyward webhookAuth", () => {
    if (t.afterAll) t.afterAll(stop);
    for (const c of webhookCases()) {
      it(`${c.name}: ${c.status === 200 ? "passes, with the exact raw body" : "401 invalid_signature"}`, async () => {
        const server = await start();
        // Rebuilt here so that timestamps are fresh when the request is sent.
        const fresh = webhookCases().find((x) => x.name === c.name)!;
        const response = await fetch(server.url + fresh.path, {
          method: "POST",
          headers: fresh.headers,
          body: fresh.body,
        });
        const text = await response.text();
        const answer = { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
        if (fresh.status === 200) {
          expect(answer.status).toBe(200);
          expect(text).toBe(webhookConformanceBody(Buffer.from(fresh.body)));
        } else {
          a.problem(answer, "invalid_signature", 401);
        }
      });
    }
    if (!t.afterAll) t.it("closes the app", stop);
  });
}
