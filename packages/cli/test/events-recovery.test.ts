/**
 * Webhook delivery on PostgreSQL (pg Pool) and Redis (standalone) as an operator sees it, and
 * an application process killed mid-delivery.
 *
 * - A receiver down, then up: while an application instance retries one webhook-id, `keyward
 *   status --json` (in process, `run()`) says retrying and exits 0; once a delivery is dead it
 *   exits 3; `keyward events retry <id>` makes it pending and the instance delivers it once the
 *   receiver is back.
 * - A real crash: an instance in a child process leases the `key.created` delivery and sends it;
 *   the receiver holds the request; the process is killed with SIGKILL. An instance in this
 *   process delivers the event only after the dead one's lease has ended, exactly once, and
 *   never while the killed process's request was still open.
 *
 * Each test has a schema or key prefix of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createKeyward, type Keyward, type KeywardStore } from "@keyward/core";
import { migrate, postgresStore } from "@keyward/postgres";
import { createRedisClient, redisStore } from "@keyward/redis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OperatorCli,
  runWebhookStoreScenarios,
  SECRET,
  startReceiver,
  until,
} from "../../core/test/events-store-scenarios.js";
import { DATABASE_URL, REDIS_URL, randomSchema, runCaptured, tempDir } from "./helpers/cli.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

/** `keyward status --json` and `keyward events retry <id>` on one connection. */
const operator = (connection: string[]): OperatorCli => ({
  async status() {
    const { code, stdout, stderr } = await runCaptured(["status", "--json", ...connection], dir.path);
    if (code !== 0 && code !== 3) throw new Error(`keyward status exited ${code}: ${stderr}`);
    return { code, report: JSON.parse(stdout) };
  },
  retry: (eventId) => runCaptured(["events", "retry", eventId, ...connection], dir.path),
});

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
pool.on("error", () => {});
afterAll(() => pool.end());

runWebhookStoreScenarios("PostgreSQL, watched through the CLI", async () => {
  const schema = randomSchema();
  await migrate(pool, { schema });
  return {
    make: () => postgresStore({ client: pool, schema, listen: false }),
    cli: operator(["--database-url", DATABASE_URL, "--schema", schema]),
    close: async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}, ["recovery"]);

let redis: Promise<Awaited<ReturnType<typeof createRedisClient>>> | undefined;
afterAll(async () => (await redis)?.quit());

runWebhookStoreScenarios("Redis, watched through the CLI", async () => {
  redis ??= createRedisClient(REDIS_URL);
  const client = await redis;
  const prefix = `kwcli-recovery-${Math.random().toString(36).slice(2, 10)}`;
  return {
    make: () => redisStore({ client, prefix }),
    cli: operator(["--redis-url", REDIS_URL, "--redis-prefix", prefix]),
    async close() {
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
    },
  };
}, ["recovery"]);

const INSTANCE = fileURLToPath(new URL("./fixtures/webhook-instance.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

/** Starts the instance of `fixtures/webhook-instance.ts` in a child process; resolves with the key it created. */
function spawnInstance(config: unknown): { child: ChildProcess; created: Promise<string> } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    ["--import", TSX, "--conditions=@keyward/source", INSTANCE, JSON.stringify(config)],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const created = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const id = /created (\S+)\n/.exec(stdout)?.[1];
      if (id) resolve(id);
    });
    child.on("exit", (code) => reject(new Error(`the instance exited (${code}): ${stderr}`)));
  });
  return { child, created };
}

interface CrashBackend {
  name: string;
  /** The child's store, as fixtures/webhook-instance.ts reads it. */
  config: unknown;
  /** Makes the schema, or connects. */
  open(): Promise<void>;
  make(): KeywardStore;
  /** When the lease on the only delivery of `eventId` ends, read from the store's own rows. */
  leaseUntil(eventId: string): Promise<number>;
  close(): Promise<void>;
}

function postgresCrash(): CrashBackend {
  const schema = randomSchema();
  return {
    name: "PostgreSQL",
    config: { kind: "postgres", url: DATABASE_URL, schema },
    open: async () => void (await migrate(pool, { schema })),
    make: () => postgresStore({ client: pool, schema, listen: false }),
    async leaseUntil(eventId) {
      const { rows } = await pool.query(
        `SELECT lease_until FROM "${schema}".outbox_deliveries WHERE event_id = $1`,
        [eventId],
      );
      return Number(rows[0]?.lease_until);
    },
    close: async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}

function redisCrash(): CrashBackend {
  const prefix = `kwcli-crash-${Math.random().toString(36).slice(2, 10)}`;
  let opened: Awaited<ReturnType<typeof createRedisClient>>;
  return {
    name: "Redis",
    config: { kind: "redis", url: REDIS_URL, prefix },
    async open() {
      redis ??= createRedisClient(REDIS_URL);
      opened = await redis;
    },
    make: () => redisStore({ client: opened, prefix }),
    async leaseUntil(eventId) {
      const states = await opened.hgetall(`${prefix}:{outbox}:deliveries`);
      const [state] = Object.entries(states).filter(([field]) => field.startsWith(`${eventId}\n`));
      return Number(JSON.parse(state![1]).lu);
    },
    async close() {
      const keys = await opened.keys(`${prefix}:*`);
      if (keys.length > 0) await opened.del(...keys);
    },
  };
}

describe.each([postgresCrash(), redisCrash()])("an instance killed mid-delivery, on $name", (backend) => {
  it("is taken over after its lease: delivered once, never at the same time", async () => {
    await backend.open();
    const rx = await startReceiver();
    rx.answer = (r) => (r.seq === 1 ? "hang" : 204); // the dying instance's request is never answered
    let b: Keyward | undefined;
    const { child, created } = spawnInstance({
      store: backend.config,
      webhook: { url: rx.url, secret: SECRET, timeout: "300ms" },
    });
    try {
      const keyId = await created;
      await until(() => rx.requests.length === 1, "the instance's request", 15_000);
      const [fromA] = rx.requests;
      expect(fromA!.payload.data.id).toBe(keyId);
      const leaseUntil = await backend.leaseUntil(fromA!.id);
      expect(leaseUntil).toBeGreaterThan(fromA!.arrivedAt); // held by the child
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const killedAt = Date.now();
      b = createKeyward({
        store: backend.make(),
        prefix: "sk_test",
        webhooks: [{ url: rx.url, secret: SECRET, timeout: "2s" }],
        events: { poll: "10ms" },
      });
      await until(() => rx.delivered().length === 1, "the takeover", 15_000);
      await until(async () => (await b!.events.list({ status: "delivered" })).length === 1, "its finish");
      await new Promise((resolve) => setTimeout(resolve, 200)); // a duplicate would arrive now
      const [, fromB] = rx.requests;
      expect(rx.requests).toHaveLength(2);
      expect(fromB).toMatchObject({ id: fromA!.id, status: 204, verified: true });
      expect(fromA!.status).toBe(0);
      expect(fromB!.arrivedAt).toBeGreaterThanOrEqual(leaseUntil);
      expect(fromB!.arrivedAt).toBeGreaterThanOrEqual(killedAt);
      expect(rx.maxInFlightPerId).toBe(1);
      expect(await b.events.list({})).toMatchObject([{ status: "delivered", attempts: 1, lastError: null }]);
    } finally {
      child.kill("SIGKILL");
      await b?.close();
      await rx.stop();
      await backend.close();
    }
  }, 30_000);
});
