/**
 * Address allowlists with the address the framework itself knows (Express `req.ip`, Fastify
 * `request.ip`): over IPv4, over IPv6, over IPv4-mapped IPv6 (a dual-stack server reached on
 * 127.0.0.1), and behind a trusted proxy (the framework's own trust-proxy setting decides
 * which X-Forwarded-For entry is the client). Also checks that the handler sees the owner.
 */
import { createKeyward } from "../service/keyward.js";
import { memoryStore } from "../store/memory/index.js";
import type { Keyward } from "../types.js";
import { type ConformanceRunner, get } from "./adapter-checks.js";
import type { ConformanceApp } from "./adapter-routes.js";

/** Where and how the app under test listens. */
export interface AddressAppOptions {
  /** `"127.0.0.1"`, `"::1"`, or `"::"` (dual stack). */
  host: string;
  /** Trust X-Forwarded-For from a loopback proxy (Express `trust proxy`, Fastify `trustProxy`). */
  trustProxy: boolean;
}

/**
 * Starts an app with one route, `GET /whoami`, protected by the adapter's auth with default
 * options and answering `addressBody(key, owner)` (the verified key and the request's owner).
 */
export type CreateAddressApp = (keyward: Keyward, options: AddressAppOptions) => Promise<ConformanceApp>;

/** What `/whoami` answers. */
export function addressBody(key: { id: string } | null | undefined, owner: unknown): string {
  return JSON.stringify({ keyId: key?.id ?? null, owner: owner ?? null });
}

/** Registers the checks. */
export function runClientAddressChecks(t: ConformanceRunner, createApp: CreateAddressApp): void {
  const { describe, it, expect } = t;
  let fixture: Promise<{
    keyward: Keyward;
    tokens: Record<string, string>;
    ids: Record<string, string>;
  }> | null = null;
  const setup = () => {
    fixture ??= (async () => {
      const keyward = createKeyward({
        store: memoryStore(),
        resolveOwner: async (id: string) => ({ id, plan: "pro" }),
      }) as unknown as Keyward;
      const lists = { loop4: ["127.0.0.0/8"], loop6: ["::1"], proxied: ["203.0.113.0/24"] };
      const tokens: Record<string, string> = {};
      const ids: Record<string, string> = {};
      for (const [name, allowedIps] of Object.entries(lists)) {
        const created = await keyward.create({ ownerId: "org_a", allowedIps });
        tokens[name] = created.token;
        ids[name] = created.key.id;
      }
      return { keyward, tokens, ids };
    })();
    return fixture;
  };
  const call = async (
    options: AddressAppOptions,
    key: string,
    headers: Record<string, string> = {},
    url?: string,
  ) => {
    const { keyward, tokens } = await setup();
    const app = await createApp(keyward, options);
    try {
      const base = url === undefined ? app.url : url.replace("PORT", new URL(app.url).port);
      return await get({ url: base, close: app.close }, "/whoami", {
        authorization: `Bearer ${tokens[key]}`,
        ...headers,
      });
    } finally {
      await app.close();
    }
  };

  describe("client address from the framework", () => {
    if (t.afterAll) t.afterAll(async () => (await fixture)?.keyward.close());

    it("IPv4: a key for 127.0.0.0/8 passes and its handler sees the owner; a key for ::1 answers 403", async () => {
      const { ids } = await setup();
      const ipv4 = { host: "127.0.0.1", trustProxy: false };
      const ok = await call(ipv4, "loop4");
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ keyId: ids.loop4, owner: { id: "org_a", plan: "pro" } });
      const refused = await call(ipv4, "loop6");
      expect({ status: refused.status, code: refused.json?.code }).toEqual({
        status: 403,
        code: "ip_not_allowed",
      });
    });

    it("IPv6: a key for ::1 passes over [::1]; a key for 127.0.0.0/8 answers 403", async () => {
      const ipv6 = { host: "::1", trustProxy: false };
      expect((await call(ipv6, "loop6", {}, "http://[::1]:PORT")).status).toBe(200);
      expect((await call(ipv6, "loop4", {}, "http://[::1]:PORT")).status).toBe(403);
    });

    it("IPv4-mapped IPv6: a dual-stack server reached on 127.0.0.1 matches the IPv4 range", async () => {
      const dual = { host: "::", trustProxy: false };
      expect((await call(dual, "loop4", {}, "http://127.0.0.1:PORT")).status).toBe(200);
      expect((await call(dual, "loop6", {}, "http://127.0.0.1:PORT")).status).toBe(403);
    });

    it("behind a trusted proxy: X-Forwarded-For counts only when the framework trusts the proxy", async () => {
      const forwarded = { "x-forwarded-for": "203.0.113.9" };
      const trusted = { host: "127.0.0.1", trustProxy: true };
      expect((await call(trusted, "proxied", forwarded)).status).toBe(200);
      expect((await call({ host: "127.0.0.1", trustProxy: false }, "proxied", forwarded)).status).toBe(403);
      // The entry a client wrote before the proxy's own is not the client address.
      const spoofed = await call(trusted, "proxied", { "x-forwarded-for": "203.0.113.9, 192.0.2.1" });
      expect(spoofed.status).toBe(403);
    });
  });
}
