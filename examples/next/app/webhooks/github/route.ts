import { webhookAuth } from "@keyward/next";

// POST /webhooks/github — a declared public route: no key, GitHub's signature over the raw body
// instead. (The fallback secret is for trying the example locally only.)
export const POST = webhookAuth(
  { provider: "github", secret: process.env.GITHUB_WEBHOOK_SECRET ?? "example-only-webhook-secret" },
  async (request) => {
    const event = (await request.json()) as { action?: unknown };
    return Response.json({ received: typeof event.action === "string" ? event.action : null });
  },
);
