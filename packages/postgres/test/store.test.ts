import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresStore } from "../src/index.js";
import { createPool, DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";
import { startProxy } from "./tcp-proxy.js";

// What the contract suite does not see: query plans, counter housekeeping, the LISTEN
// connection surviving a dropped connection, statement counts.
const schema = randomSchema("store");
const pool = createPool({ max: 10 });
const store = postgresStore({ client: pool, schema });

beforeAll(async () => {
  await migrate(pool, { schema });
});
afterAll(async () => {
  await store.close();
  await pool.end();
  await dropSchema(schema);
});

const plan = async (sql: string, values: unknown[]): Promise<string> => {
  const client = await pool.connect();
  try {
    // a tiny table would be scanned sequentially; ask what the planner does at scale
    await client.query("SET enable_seqscan = off");
    const rows = (await client.query(`EXPLAIN ${sql}`, values)).rows as { "QUERY PLAN": string }[];
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("RESET enable_seqscan");
    client.release();
  }
};

describe("indexes", () => {
  it("finds a key by hash through the secrets primary key, joined to keys by id", async () => {
    const text = `SELECT k.*, s.expires_at AS s_expires_at FROM "${schema}".secrets s JOIN "${schema}".keys k ON k.id = s.key_id WHERE s.hash = $1`;
    const explained = await plan(text, ["ab"]);
    expect(explained).toMatch(/Index Scan using secrets_pkey/);
    expect(explained).toMatch(/Index Scan using keys_pkey/);
  });

  it("lists one owner's keys newest first from the (owner_id, id desc) index", async () => {
    const explained = await plan(
      `SELECT id FROM "${schema}".keys WHERE owner_id = $1 AND id < $2 ORDER BY id DESC LIMIT 10`,
      ["o", "z"],
    );
    expect(explained).toMatch(/keys_owner_id_idx/);
    expect(explained).not.toMatch(/Sort/);
  });

  it("filters by scope with the GIN index", async () => {
    const explained = await plan(`SELECT id FROM "${schema}".keys WHERE scopes @> ARRAY[$1::text]`, ["a:b"]);
    expect(explained).toMatch(/keys_scopes_idx/);
  });
});

describe("counters housekeeping", () => {
  it("purge() drops idle limit state but never a quota balance", async () => {
    const now = 10_000_000;
    const partition = `purge-${Date.now()}`;
    const limits = [
      { key: "k:x:fixed", limit: 5, window: 1_000, algorithm: "fixed-window" as const, cost: 1 },
      { key: "k:x:sliding", limit: 5, window: 1_000, algorithm: "sliding-window" as const, cost: 1 },
      { key: "k:x:bucket", limit: 5, window: 1_000, algorithm: "token-bucket" as const, cost: 1 },
    ];
    const quota = { key: "q:x", config: { limit: 10, refill: null }, cost: 1 };
    expect((await store.consume({ partition, now, limits, quota })).allowed).toBe(true);
    const rows = async () =>
      (
        await pool.query(`SELECT key FROM "${schema}".counters WHERE partition = $1 ORDER BY key`, [
          partition,
        ])
      ).rows.map((r) => r.key);
    expect(await rows()).toEqual(["k:x:bucket", "k:x:fixed", "k:x:sliding", "q:x"]);
    // The bucket is full again 200 ms later, the fixed window ends at 1 s, the sliding one at 2 s.
    await store.purge(now + 250, 100);
    expect(await rows()).toEqual(["k:x:fixed", "k:x:sliding", "q:x"]);
    await store.purge(now + 1_001, 1); // batch of one: keeps going until nothing is left
    expect(await rows()).toEqual(["k:x:sliding", "q:x"]);
    await store.purge(now + 10_000_000, 100);
    expect(await rows()).toEqual(["q:x"]);
    expect((await store.getQuota({ partition, key: "q:x" }, quota.config, now + 1)).remaining).toBe(9);
  });
});

describe("invalidation", () => {
  it("the LISTEN connection comes back after the server drops it", async () => {
    const received: string[] = [];
    const stop = await store.invalidation!.subscribe((id) => received.push(id));
    try {
      const channel = `keyward_${schema}_invalidate`;
      const killed = await pool.query(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()",
        [`LISTEN ${channel}`],
      );
      expect(killed.rows).toEqual([{ ok: true }]);
      // Published until the new connection is listening again.
      let n = 0;
      await expect
        .poll(
          async () => {
            await store.invalidation!.publish(`key_${++n}`);
            return received.length;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBeGreaterThan(0);
    } finally {
      await stop();
    }
  });

  it("a subscription made while the database is unreachable starts listening once it is back", async () => {
    const proxy = await startProxy(
      Number(new URL(DATABASE_URL).port || 5432),
      new URL(DATABASE_URL).hostname,
    );
    await proxy.stop();
    const through = new URL(DATABASE_URL);
    through.hostname = "127.0.0.1";
    through.port = String(proxy.port);
    const down = createPool({ connectionString: through.toString(), connectionTimeoutMillis: 300 });
    const late = postgresStore({ client: down, schema });
    const received: string[] = [];
    try {
      const stop = await late.invalidation!.subscribe((id) => received.push(id));
      await proxy.start();
      await expect
        .poll(
          async () => {
            await store.invalidation!.publish("key_late");
            return received.length;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBeGreaterThan(0);
      await stop();
    } finally {
      await late.close();
      await down.end();
      await proxy.close();
    }
  });

  it("a subscriber ignores other schemas' channels and stops when asked", async () => {
    const other = postgresStore({ client: pool, schema: `${schema}_other`, tablePrefix: "x_" });
    const received: string[] = [];
    const stop = await store.invalidation!.subscribe((id) => received.push(id));
    await other.invalidation!.publish("key_other");
    await store.invalidation!.publish("key_mine");
    await expect.poll(() => received, { timeout: 2_000 }).toEqual(["key_mine"]);
    await stop();
    await store.invalidation!.publish("key_after_stop");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual(["key_mine"]);
  });
});
