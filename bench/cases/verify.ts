import { hash } from "node:crypto";
import { apiKey } from "@better-auth/api-key";
import { createKeyward, memoryStore } from "@keyward/core";
import { type BetterAuthPlugin, betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { compareThroughput, ratio } from "../lib/compare.js";
import { missedTargetNotes } from "../lib/notes.js";
import type { BenchCase } from "../lib/types.js";

/**
 * The two server calls the benchmark uses. Typed here because better-auth and its api-key
 * plugin resolve to two releases of @better-auth/core whose plugin types do not line up.
 */
interface ApiKeyServerApi {
  createApiKey(input: { body: { userId: string } }): Promise<{ key: string }>;
  verifyApiKey(input: { body: { key: string } }): Promise<{ valid: boolean }>;
}

// Where the time goes, from `node --cpu-prof` on these loops (bench/cpu-top.ts); printed only
// when a target is missed.
const MISSED: Record<string, string> = {
  "keyward / floor":
    "Where the time goes: the SHA-256 (the floor's own work) is about 40% of a cached verify(); the rest is the await of the promise verify() returns (compare “floor as a promise”), lru-cache's get (recency and TTL bookkeeping over a Map lookup the floor also makes), and the key's checks (revoked, enabled, expiry, scopes) with the clock read and the usage write-behind count. The promise is the API's contract, so the floor itself, awaited, is the bound this ratio can reach.",
  "rate-limited keyward / floor + rate-limiter-flexible":
    "Where the time goes: the cached verify() above, then one synchronous consume of the memory store (two Map lookups, the window arithmetic on the counter's state in place, a result object per limit) and the RateLimitState per limit the result reports; both sides pay one promise. To close it: report the limit states straight from the counter state, without the store's intermediate result objects.",
};

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
    // The floor under verify()'s contract (a promise, which the caller awaits): what the async
    // API itself costs, apart from keyward's work.
    const promisedFloor = () => Promise.resolve(floor());
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
    // rate-limiter-flexible's own promise, returned: one promise per call, like verify().
    const limitedFloor = () => {
      const found = limitedTable.get(hash("sha256", limitedKey.token, "hex"));
      if (found === undefined) throw new Error("floor lost its key");
      return flexible.consume(found.id, 1);
    };
    const viaLimited = () => limited.verify(limitedKey.token);

    const rounds = ctx.quick ? 3 : 15;
    const roundMs = ctx.quick ? 150 : 600;
    const results = await compareThroughput(
      [
        { label: "floor: sha256 + Map.get", op: floor },
        { label: "floor as a promise", op: promisedFloor },
        { label: "keyward verify()", op: viaKeyward },
        { label: "better-auth verifyApiKey", op: viaBetterAuth },
        { label: "floor: sha256 + Map.get + rate-limiter-flexible consume", op: limitedFloor },
        { label: "keyward verify(), rate-limited", op: viaLimited },
      ],
      { rounds, roundMs, time: "cpu" },
    );
    await keyward.close();
    await limited.close();
    const ratios = [
      ratio("keyward / floor", results, "keyward verify()", "floor: sha256 + Map.get", 0.7),
      ratio("keyward / floor as a promise", results, "keyward verify()", "floor as a promise", null),
      ratio("keyward / better-auth", results, "keyward verify()", "better-auth verifyApiKey", 1),
      ratio(
        "rate-limited keyward / floor + rate-limiter-flexible",
        results,
        "keyward verify(), rate-limited",
        "floor: sha256 + Map.get + rate-limiter-flexible consume",
        1,
      ),
    ];
    return {
      id: "verify",
      title: this.title,
      unit: "ops/s",
      higherIsBetter: true,
      variants: results,
      ratios,
      notes: [
        "Sequential calls in one process, timed by this process's CPU time (user + system), so that a round which lost the CPU to another process on a shared machine does not count slower. keyward's verify() returns a promise (a store may be remote) and the caller awaits it; the floor is synchronous, and “floor as a promise” is the floor returned through Promise.resolve and awaited, to show what the async contract alone costs.",
        ...missedTargetNotes(ratios, MISSED),
      ],
    };
  },
};
