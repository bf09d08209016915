import { hash } from "node:crypto";
import { apiKey } from "@better-auth/api-key";
import { createKeyward, memoryStore } from "@keyward/core";
import { type BetterAuthPlugin, betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { compareThroughput, ratio } from "../lib/compare.js";
import type { BenchCase } from "../lib/types.js";

/**
 * The two server calls the benchmark uses. Typed here because better-auth and its api-key
 * plugin resolve to two releases of @better-auth/core whose plugin types do not line up.
 */
interface ApiKeyServerApi {
  createApiKey(input: { body: { userId: string } }): Promise<{ key: string }>;
  verifyApiKey(input: { body: { key: string } }): Promise<{ valid: boolean }>;
}

/** better-auth with its api-key plugin on the memory adapter, one user and one key. */
async function betterAuthVerifier() {
  const now = new Date();
  const db: Record<string, Record<string, unknown>[]> = {
    user: [
      {
        id: "user_1",
        name: "bench",
        email: "bench@example.com",
        emailVerified: true,
        createdAt: now,
        updatedAt: now,
      },
    ],
    session: [],
    account: [],
    verification: [],
    apikey: [],
  };
  const auth = betterAuth({
    database: memoryAdapter(db),
    secret: "bench-secret-bench-secret-bench-secret",
    baseURL: "http://127.0.0.1",
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [apiKey({ rateLimit: { enabled: false } }) as unknown as BetterAuthPlugin],
  });
  const api = auth.api as unknown as ApiKeyServerApi;
  const created = await api.createApiKey({ body: { userId: "user_1" } });
  const check = await api.verifyApiKey({ body: { key: created.key } });
  if (!check.valid) throw new Error("better-auth did not verify its own key");
  return () => api.verifyApiKey({ body: { key: created.key } });
}

export const verifyCase: BenchCase = {
  id: "verify",
  title: "verify() hot path (cached key, memory store; without and with a rate limit)",
  async run(ctx) {
    const keyward = createKeyward({ store: memoryStore(), prefix: "sk_live" });
    const { token, key } = await keyward.create({ name: "bench", scopes: ["task:read"] });
    const first = await keyward.verify(token);
    if (!first.ok) throw new Error(`keyward rejected its own key: ${first.code}`);

    // The floor: the same work done by hand — SHA-256 of the token, one Map lookup.
    const table = new Map([[hash("sha256", token, "hex"), key]]);
    const floor = () => {
      if (table.get(hash("sha256", token, "hex")) === undefined) throw new Error("floor lost its key");
    };
    const viaKeyward = () => keyward.verify(token);
    const viaBetterAuth = await betterAuthVerifier();

    // Rate-limited: keyward with one sliding-window limit nothing reaches, against the floor
    // composed by hand with rate-limiter-flexible's memory limiter (a fixed window).
    const limited = createKeyward({
      store: memoryStore(),
      prefix: "sk_live",
      rateLimit: { limit: 1_000_000_000, window: "1m" },
    });
    const limitedKey = await limited.create({ name: "bench", scopes: ["task:read"] });
    if (!(await limited.verify(limitedKey.token)).ok) throw new Error("keyward rejected its own limited key");
    const flexible = new RateLimiterMemory({ points: 1_000_000_000, duration: 60 });
    const limitedTable = new Map([[hash("sha256", limitedKey.token, "hex"), limitedKey.key]]);
    const limitedFloor = async () => {
      const found = limitedTable.get(hash("sha256", limitedKey.token, "hex"));
      if (found === undefined) throw new Error("floor lost its key");
      await flexible.consume(found.id, 1);
    };
    const viaLimited = () => limited.verify(limitedKey.token);

    const rounds = ctx.quick ? 3 : 15;
    const roundMs = ctx.quick ? 150 : 600;
    const results = await compareThroughput(
      [
        { label: "floor: sha256 + Map.get", op: floor },
        { label: "keyward verify()", op: viaKeyward },
        { label: "better-auth verifyApiKey", op: viaBetterAuth },
        { label: "floor: sha256 + Map.get + rate-limiter-flexible consume", op: limitedFloor },
        { label: "keyward verify(), rate-limited", op: viaLimited },
      ],
      { rounds, roundMs },
    );
    await keyward.close();
    await limited.close();
    return {
      id: "verify",
      title: this.title,
      unit: "ops/s",
      higherIsBetter: true,
      variants: results,
      ratios: [
        ratio("keyward / floor", results, "keyward verify()", "floor: sha256 + Map.get", 0.7),
        ratio("keyward / better-auth", results, "keyward verify()", "better-auth verifyApiKey", 1),
        ratio(
          "rate-limited keyward / floor + rate-limiter-flexible",
          results,
          "keyward verify(), rate-limited",
          "floor: sha256 + Map.get + rate-limiter-flexible consume",
          1,
        ),
      ],
      notes: [
        "Sequential calls in one process. keyward's verify() is async (a store may be remote); the floor is synchronous.",
      ],
    };
  },
};
