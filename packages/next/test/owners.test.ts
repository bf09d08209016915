import { createKeyward, memoryStore } from "@keyward/core";
import { afterAll, describe, expect, it } from "vitest";
import { createFetchAuth, withApiKeyAuth } from "../src/index.js";

interface Org {
  id: string;
  plan: "free" | "pro";
}

const keyward = createKeyward({
  store: memoryStore(),
  resolveOwner: async (id: string): Promise<Org | null> => ({ id, plan: "pro" }),
});
afterAll(() => keyward.close());
const context = { params: Promise.resolve({}) };

describe("Next: owner and client address", () => {
  it("hands the handler ctx.owner, typed from resolveOwner", async () => {
    const { token } = await keyward.create({ ownerId: "org_1" });
    const GET = withApiKeyAuth(keyward, async (_request, ctx) => {
      const plan: "free" | "pro" | undefined = ctx.owner?.plan;
      return Response.json({ plan, owner: ctx.owner });
    });
    const response = await GET(
      new Request("http://x/", { headers: { authorization: `Bearer ${token}` } }),
      context,
    );
    expect(await response.json()).toEqual({ plan: "pro", owner: { id: "org_1", plan: "pro" } });
    const fetchAuth = await createFetchAuth(keyward)(
      new Request("http://x/", { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(fetchAuth).toMatchObject({ ok: true, owner: { id: "org_1" } });
  });

  it("without a trusted header Next knows no address: a key with an allowlist answers 403", async () => {
    const { token } = await keyward.create({ ownerId: "org_1", allowedIps: ["203.0.113.0/24"] });
    const headers = { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.7" };
    const untrusted = withApiKeyAuth(keyward, async () => new Response("ok"));
    const refused = await untrusted(new Request("http://x/", { headers }), context);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "ip_not_allowed" });
    const trusted = withApiKeyAuth(keyward, async () => new Response("ok"), {
      trustedIpHeader: "x-forwarded-for",
    });
    expect((await trusted(new Request("http://x/", { headers }), context)).status).toBe(200);
  });
});
