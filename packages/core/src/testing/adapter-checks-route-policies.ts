/**
 * Route policies through a real adapter and a real store: a router's own per-key budget, a
 * route policy and a key limit refusing all-or-nothing, a per-owner counter shared by an
 * owner's keys, and a route adding its limits behind a router — each exact under 200 parallel
 * requests. Every adapter runs it (memory store); the PostgreSQL and Redis packages run it
 * against all three adapters on their stores.
 */
import { createKeyward } from "../service/index.js";
import { memoryStore } from "../store/memory/index.js";
import type { KeywardStore } from "../store/types.js";
import type { CreateKeyInput, Keyward, RoutePolicy } from "../types.js";
import { assertions, type ConformanceRunner, get } from "./adapter-checks.js";
import type {
  ConformanceApp,
  ConformanceGroup,
  ConformanceRoute,
  CreateConformanceApp,
} from "./adapter-routes.js";

/** How many requests each exactness check sends at once. */
export const ROUTE_POLICY_PARALLEL = 200;

const V1: RoutePolicy = { name: "v1", limit: 150, window: "1h" };
const MIXED: RoutePolicy = { name: "mixed", limit: 100, window: "1h" };
const TEAM: RoutePolicy = { name: "team", limit: 120, window: "1h", per: "owner" };
const WRITE: RoutePolicy = { name: "write", limit: 4, window: "1h" };

/** The routes outside any router: a policy beside a key limit, each alone, and a per-owner one. */
export const ROUTE_POLICY_ROUTES: readonly ConformanceRoute[] = Object.freeze([
  { path: "/mixed", auth: { rateLimit: ["default", MIXED] } },
  { path: "/mixed-policy", auth: { rateLimit: [MIXED] } },
  { path: "/plain", auth: { rateLimit: ["default"] } },
  { path: "/team", auth: { rateLimit: [TEAM] } },
]);

/** `/v1`: a router with its own per-key policy; `/v1/write` adds the key's default and its own, at cost 2. */
export const ROUTE_POLICY_GROUPS: readonly ConformanceGroup[] = Object.freeze([
  {
    prefix: "/v1",
    auth: { rateLimit: [V1] },
    routes: [
      { path: "/tasks", auth: false },
      { path: "/write", auth: { rateLimit: ["default", WRITE], cost: 2 } },
    ],
  },
]);

const KEYS = {
  alpha: { ownerId: "org_a", rateLimit: null },
  beta: { ownerId: "org_b", rateLimit: null },
  mixedA: { rateLimit: { limit: 120, window: "1h" } },
  mixedB: { rateLimit: { limit: 50, window: "1h" } },
  teamA: { ownerId: "org_team", rateLimit: null },
  teamB: { ownerId: "org_team", rateLimit: null },
  other: { ownerId: "org_other", rateLimit: null },
  nested: { ownerId: "org_n", rateLimit: { limit: 100, window: "1h" } },
} satisfies Record<string, CreateKeyInput>;

/** Options of {@link runRoutePolicyConformance}. */
export interface RoutePolicyConformanceOptions {
  /** The store to count on (a fresh, empty one). @defaultValue a new memory store */
  store?: () => KeywardStore | Promise<KeywardStore>;
}

interface Context {
  app: ConformanceApp;
  keyward: Keyward;
  tokens: Record<keyof typeof KEYS, string>;
}

/** Sends `count` requests at once, `tokens` taken in turn, and counts the answers by status. */
async function burst(app: ConformanceApp, path: string, tokens: readonly string[], count: number) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      get(app, path, { authorization: `Bearer ${tokens[i % tokens.length]}` }),
    ),
  );
  const statuses: Record<number, number> = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  return { answers, statuses };
}

/**
 * Registers the route-policy checks. `createApp` must mount `setup.routes` and `setup.groups`
 * exactly as for {@link runAdapterConformance} (a group's auth at router level).
 */
export function runRoutePolicyConformance(
  t: ConformanceRunner,
  createApp: CreateConformanceApp,
  options: RoutePolicyConformanceOptions = {},
): void {
  const { describe, it, expect } = t;
  const a = assertions(t);
  let started: Promise<Context> | null = null;
  const start = (): Promise<Context> => {
    started ??= (async () => {
      const store = options.store ? await options.store() : memoryStore();
      // A generous store deadline: this suite measures exactness, and 200 calls queued on one
      // row lock of a busy machine's PostgreSQL may take longer than the 2 s default.
      const keyward = createKeyward({ store, prefix: "sk_test", timeout: "20s" }) as unknown as Keyward;
      const tokens: Partial<Record<keyof typeof KEYS, string>> = {};
      for (const [name, input] of Object.entries(KEYS) as [keyof typeof KEYS, CreateKeyInput][]) {
        tokens[name] = (await keyward.create({ name, ...input })).token;
      }
      const app = await createApp({ keyward, routes: ROUTE_POLICY_ROUTES, groups: ROUTE_POLICY_GROUPS });
      return { app, keyward, tokens: tokens as Record<keyof typeof KEYS, string> };
    })();
    return started;
  };
  const stop = async (): Promise<void> => {
    if (!started) return;
    const { app, keyward } = await started;
    started = null;
    await app.close();
    await keyward.close();
  };
  const n = ROUTE_POLICY_PARALLEL;

  describe("keyward route policies", () => {
    if (t.beforeAll) t.beforeAll(async () => void (await start()));
    if (t.afterAll) t.afterAll(stop);

    it(`a router's policy gives each key its own budget: exactly 150 of ${n} parallel pass, another key is unaffected`, async () => {
      const { app, tokens } = await start();
      const { answers, statuses } = await burst(app, "/v1/tasks", [tokens.alpha], n);
      expect(statuses).toEqual({ 200: 150, 429: n - 150 });
      const refused = answers.find((answer) => answer.status === 429)!;
      a.problem(refused, "rate_limited", 429);
      expect(refused.json["violated-policies"]).toEqual(["v1"]);
      const other = await get(app, "/v1/tasks", { authorization: `Bearer ${tokens.beta}` });
      expect(other.status).toBe(200);
      a.header(other, "ratelimit-policy", '"v1";q=150;w=3600');
      expect(other.headers.get("ratelimit")).toMatch(/^"v1";r=149;t=\d+$/);
    });

    it(`a route policy and a key limit refuse all-or-nothing under ${n} parallel requests`, async () => {
      const { app, tokens } = await start();
      // The route policy (100) is the tighter: refused calls leave the key's "default" (120) alone.
      const first = await burst(app, "/mixed", [tokens.mixedA], n);
      expect(first.statuses).toEqual({ 200: 100, 429: n - 100 });
      const ok = first.answers.find((answer) => answer.status === 200)!;
      a.header(ok, "ratelimit-policy", '"default";q=120;w=3600, "mixed";q=100;w=3600');
      const plain = await get(app, "/plain", { authorization: `Bearer ${tokens.mixedA}` });
      expect(plain.headers.get("ratelimit")).toMatch(/^"default";r=19;t=\d+$/);
      // The key limit (50) is the tighter: refused calls leave the route policy's counter alone.
      const second = await burst(app, "/mixed", [tokens.mixedB], n);
      expect(second.statuses).toEqual({ 200: 50, 429: n - 50 });
      const policy = await get(app, "/mixed-policy", { authorization: `Bearer ${tokens.mixedB}` });
      expect(policy.status).toBe(200);
      expect(policy.headers.get("ratelimit")).toMatch(/^"mixed";r=49;t=\d+$/);
    });

    it(`per: "owner" shares one counter among an owner's keys: exactly 120 of ${n} parallel pass`, async () => {
      const { app, tokens } = await start();
      const { statuses } = await burst(app, "/team", [tokens.teamA, tokens.teamB], n);
      expect(statuses).toEqual({ 200: 120, 429: n - 120 });
      const other = await get(app, "/team", { authorization: `Bearer ${tokens.other}` });
      expect(other.status).toBe(200);
      expect(other.headers.get("ratelimit")).toMatch(/^"team";r=119;t=\d+$/);
    });

    it("a route behind a router adds its own limits and cost, and the headers report every policy", async () => {
      const { app, tokens } = await start();
      const headers = { authorization: `Bearer ${tokens.nested}` };
      const first = await get(app, "/v1/write", headers);
      expect(first.status).toBe(200);
      a.header(first, "ratelimit-policy", '"v1";q=150;w=3600, "default";q=100;w=3600, "write";q=4;w=3600');
      expect(first.headers.get("ratelimit")).toMatch(
        /^"v1";r=149;t=\d+, "default";r=98;t=\d+, "write";r=2;t=\d+$/,
      );
      expect((await get(app, "/v1/write", headers)).status).toBe(200);
      const refused = await get(app, "/v1/write", headers);
      a.problem(refused, "rate_limited", 429);
      expect(refused.json["violated-policies"]).toEqual(["write"]);
      // The route's refusal is all-or-nothing for what the route adds: "default" kept its 96.
      expect(refused.headers.get("ratelimit")).toMatch(
        /^"v1";r=147;t=\d+, "default";r=96;t=\d+, "write";r=0;t=\d+$/,
      );
    });

    if (!t.afterAll) t.it("closes the app", stop);
  });
}
