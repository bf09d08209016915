/**
 * `keyward status`, `keyward events list` and `keyward events retry`, in process (`run()`), over
 * an outbox in PostgreSQL (its own schema) and in Redis (its own prefix) that the test fills
 * through the store itself.
 */
import type { KeywardStore } from "@keyward/core";
import type { OutboxAppend, OutboxStore } from "@keyward/core/store";
import { migrate, postgresStore } from "@keyward/postgres";
import { createRedisClient, redisStore } from "@keyward/redis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_URL, REDIS_URL, randomSchema, runCaptured, tempDir } from "./helpers/cli.js";

const MINUTE = 60_000;
const now = Date.now();
const event = (n: number, endpoints: string[]): OutboxAppend => ({
  event: {
    id: `evt_${String(n).padStart(6, "0")}`,
    type: "key.created",
    timestamp: now - 10 * MINUTE,
    data: { id: `key_${n}`, preview: "sk_live_ab…wxyz" },
    dedupeKey: null,
    deliverAfter: now - 10 * MINUTE,
  },
  endpoints,
});

/** One delivered, one retrying, one dead delivery; one still waiting since 10 minutes. */
async function fill(outbox: OutboxStore): Promise<void> {
  await outbox.append([event(1, ["hooks"]), event(2, ["hooks"]), event(3, ["hooks"]), event(4, ["hooks"])]);
  const leased = await outbox.lease(now - 10 * MINUTE, MINUTE, 3);
  const [ok, flaky, down] = leased;
  await outbox.finish(ok!.event.id, "hooks", ok!.lease, { status: "delivered", at: now - 9 * MINUTE });
  const failed = (error: string, next: number | null) =>
    ({ status: "failed", at: now - 8 * MINUTE, error, nextAttemptAt: next }) as const;
  await outbox.finish(flaky!.event.id, "hooks", flaky!.lease, failed("HTTP 503", now + MINUTE));
  await outbox.finish(down!.event.id, "hooks", down!.lease, failed("timeout after 10000 ms", null));
}

const schema = randomSchema();
const redisPrefix = `kwcli-events-${Math.random().toString(36).slice(2, 10)}`;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const opened: KeywardStore[] = [];
let redis: Awaited<ReturnType<typeof createRedisClient>>;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir();
  await migrate(pool, { schema });
  redis = await createRedisClient(REDIS_URL);
  for (const store of [
    postgresStore({ client: pool, schema, listen: false }),
    redisStore({ client: redis, prefix: redisPrefix }),
  ]) {
    opened.push(store);
    await fill(store.outbox!);
  }
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close?.()));
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await dir.remove();
});

const connections: [string, () => string[]][] = [
  ["PostgreSQL", () => ["--database-url", DATABASE_URL, "--schema", schema]],
  ["Redis", () => ["--redis-url", REDIS_URL, "--redis-prefix", redisPrefix]],
];

describe.each(connections)("outbox commands on %s", (_, connection) => {
  const cli = (...argv: string[]) => runCaptured([...argv, ...connection()], dir.path);

  it("status reports the counts and exits 3 while a delivery is dead or one waits too long", async () => {
    const json = await cli("status", "--json");
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      ok: false,
      outbox: {
        pending: 1,
        retrying: 1,
        dead: 1,
        endpoints: [{ endpoint: "hooks", lastError: "timeout after 10000 ms" }],
      },
    });
    expect(report.outbox.oldestDueAge).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(report.problems).toHaveLength(2);
    const text = await cli("status", "--max-age", "1h");
    expect(text.code).toBe(3);
    expect(text.stdout).toContain("pending 1 · retrying 1 · dead 1");
    expect(text.stdout).toMatch(/1 delivery is dead/);
    expect(text.stdout).not.toMatch(/waited/);
  });

  it("events list filters by status, in a table or as JSON", async () => {
    const failed = await cli("events", "list", "--status", "failed", "--json");
    expect(failed.code).toBe(0);
    expect(
      JSON.parse(failed.stdout)
        .items.map((d: { status: string }) => d.status)
        .sort(),
    ).toEqual(["dead", "pending"]);
    const table = await cli("events", "list");
    expect(table.stdout.split("\n")[0]).toMatch(/^EVENT\s+TYPE\s+ENDPOINT\s+STATUS/);
    expect(table.stdout.trim().split("\n")).toHaveLength(5);
    const bad = await cli("events", "list", "--status", "broken");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("events retry makes a dead delivery pending again, and status is healthy once none is dead or stale", async () => {
    const [dead] = JSON.parse((await cli("events", "list", "--status", "dead", "--json")).stdout).items;
    const retried = await cli("events", "retry", dead.eventId);
    expect(retried).toMatchObject({ code: 0, stdout: `1 delivery of ${dead.eventId} pending again\n` });
    const missing = await cli("events", "retry", "evt_nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('keyward: no dead or pending delivery of event "evt_nope"\n');
    const report = await cli("status", "--json", "--max-age", "1h");
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: true, problems: [], outbox: { dead: 0 } });
  });
});
