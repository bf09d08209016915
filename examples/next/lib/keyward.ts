/**
 * The app's keyward instance, on the in-memory store.
 *
 * It lives on `globalThis` so that every route handler shares one instance even where Next
 * loads a module more than once (separate route bundles, dev-mode reloads). With PostgreSQL
 * or Redis (`postgresStore` / `redisStore`) the keys would live in the database instead and
 * this would only save connections.
 */
import { createKeyward, type Keyward, memoryStore, type ScopeName } from "@keyward/core";

const presets = {
  reader: ["task:read"],
  writer: ["task:read", "task:write"],
  admin: ["task:*", "admin:*"],
} as const;

type Scope = ScopeName<typeof presets>;

interface Shared {
  keyward: Keyward<Scope>;
  seeded: Promise<void>;
}

function create(): Shared {
  const keyward = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    scopes: presets,
    rateLimit: [
      { name: "default", limit: 100, window: "1m" },
      { name: "search", limit: 10, window: "1m" },
    ],
  });
  // KEYWARD_DEMO_TOKEN: an existing token (keyward's format, prefix sk_test) accepted from the
  // first request on, as a "writer" key of org_demo. This is how existing keys are migrated
  // without re-issuing them; here it gives the tests and the README a known key.
  const token = process.env.KEYWARD_DEMO_TOKEN;
  const seeded = token
    ? keyward.import({ token, name: "Demo key", ownerId: "org_demo", scopes: ["writer"] }).then(() => {})
    : Promise.resolve();
  return { keyward, seeded };
}

const holder = globalThis as typeof globalThis & { __keywardExample?: Shared };
holder.__keywardExample ??= create();
const shared = holder.__keywardExample;

await shared.seeded;

export const keyward = shared.keyward;
