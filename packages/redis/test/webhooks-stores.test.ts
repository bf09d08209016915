/**
 * Lifecycle webhooks on Redis, standalone and on the local Cluster (ioredis 6, a key prefix of
 * their own per test): a receiver down then up, an instance dying mid-delivery, reminders and
 * quota thresholds once each across two instances, and no secret in any outbox key, webhook or
 * log line (the scenarios of `events-store-scenarios.ts`). The CLI's view of the same
 * (`keyward status`, `events retry`) runs in packages/cli/test/events-recovery.test.ts.
 */
import { Cluster, type Redis } from "ioredis";
import { afterAll } from "vitest";
import { runWebhookStoreScenarios } from "../../core/test/events-store-scenarios.js";
import { redisStore } from "../src/index.js";
import { connectClient, type TestClient, type Topology } from "./clients.js";
import { randomPrefix } from "./helpers.js";

/** Every key under `<prefix>:{outbox}:` on every master, with its whole value, as text. */
async function dumpOutbox(client: Redis | Cluster, prefix: string): Promise<string> {
  const nodes = client instanceof Cluster ? client.nodes("master") : [client];
  const parts: string[] = [];
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:{outbox}:*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const type = await node.type(key);
        const value =
          type === "hash"
            ? await node.hgetall(key)
            : type === "zset"
              ? await node.zrange(key, "0", "-1", "WITHSCORES")
              : type === "set"
                ? await node.smembers(key)
                : type === "list"
                  ? await node.lrange(key, 0, -1)
                  : type === "string"
                    ? await node.get(key)
                    : `(${type})`;
        parts.push(`${key} ${JSON.stringify(value)}`);
      }
    } while (cursor !== "0");
  }
  if (parts.length === 0) throw new Error(`no outbox key under ${prefix}`);
  return parts.join("\n");
}

for (const topology of ["standalone", "cluster"] as const satisfies readonly Topology[]) {
  // One connection per topology for the file, a prefix of its own per test.
  let connection: Promise<TestClient> | undefined;
  afterAll(async () => (await connection)?.close());

  runWebhookStoreScenarios(`Redis ${topology}`, async () => {
    connection ??= connectClient("ioredis 6", topology);
    const { client, deletePrefix } = await connection;
    const prefix = randomPrefix(`webhooks-${topology}`);
    return {
      make: () => redisStore({ client, prefix }),
      dumpOutbox: () => dumpOutbox(client as Redis | Cluster, prefix),
      close: () => deletePrefix(prefix),
    };
  });
}
