/**
 * What node-redis support promises beyond the contract: scripts are called by SHA and
 * reloaded with EVAL after a SCRIPT FLUSH without a failed request (standalone and Cluster),
 * and invalidation subscribes on a duplicated connection, so the client you pass keeps
 * running commands.
 */
import { createKeyward } from "@keyward/core";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { connectClient, type TestClient, type Topology } from "./clients.js";
import { CLUSTER_PORTS } from "./cluster-setup.js";
import { REDIS_URL, randomPrefix } from "./helpers.js";

const opened: TestClient[] = [];
afterAll(() => Promise.all(opened.map((client) => client.close())));

/** Records the name of every command node-redis sends (standalone and Cluster signatures). */
function recordCommands(client: { sendCommand: (...args: never[]) => Promise<unknown> }): string[] {
  const names: string[] = [];
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => Promise<unknown>;
  client.sendCommand = ((...args: unknown[]) => {
    const command = args.find(Array.isArray) as string[];
    names.push(String(command[0]).toLowerCase());
    return send(...args);
  }) as never;
  return names;
}

async function flushScripts(topology: Topology): Promise<void> {
  const urls =
    topology === "standalone" ? [REDIS_URL] : CLUSTER_PORTS.map((port) => `redis://127.0.0.1:${port}`);
  for (const url of urls) {
    const admin = new Redis(url);
    expect(await admin.script("FLUSH")).toBe("OK");
    admin.disconnect();
  }
}

describe.each(["standalone", "cluster"] as const)("node-redis, %s", (topology) => {
  it("calls scripts by SHA and recovers from SCRIPT FLUSH with EVAL, without a failed request", async () => {
    const connection = await connectClient("node-redis", topology);
    opened.push(connection);
    const names = recordCommands(connection.client as never);
    const prefix = randomPrefix(`noscript-${topology}`);
    const keyward = createKeyward({ store: redisStore({ client: connection.client, prefix }) });
    try {
      const keys = await Promise.all(
        Array.from({ length: 4 }, () => keyward.create({ quota: { limit: 100 } })),
      );
      const verifyAll = () => Promise.all(keys.map(({ token }) => keyward.verify(token)));
      expect((await verifyAll()).every((result) => result.ok)).toBe(true);
      const before = names.length;
      await flushScripts(topology);
      expect((await verifyAll()).every((result) => result.ok)).toBe(true);
      const afterFlush = names.slice(before);
      // NOSCRIPT answered the EVALSHA of the consume script; EVAL ran it and cached it again.
      expect(afterFlush).toContain("evalsha");
      expect(afterFlush).toContain("eval");
      const reloaded = names.length;
      expect((await verifyAll()).every((result) => result.ok)).toBe(true);
      expect(names.slice(reloaded)).not.toContain("eval");
      expect(names.slice(reloaded)).toContain("evalsha");
    } finally {
      await keyward.close();
      await keyward.store.close?.();
      await connection.deletePrefix(prefix);
    }
  });
});

describe("node-redis pub/sub", () => {
  it("subscribes on a duplicated connection; the given client keeps running commands", async () => {
    const client = createClient({ url: REDIS_URL });
    client.on("error", () => {});
    await client.connect();
    const prefix = randomPrefix("nr-pubsub");
    const listening = redisStore({ client, prefix });
    const publishing = redisStore({ client, prefix });
    const received: string[] = [];
    try {
      const stop = await listening.invalidation!.subscribe((keyId) => received.push(keyId));
      // One subscriber on the channel, and it is not the client we passed.
      const [, subscribers] = (await client.sendCommand(["PUBSUB", "NUMSUB", `${prefix}:invalidate`])) as [
        string,
        number,
      ];
      expect(subscribers).toBe(1);
      expect(String(await client.sendCommand(["CLIENT", "INFO"]))).toMatch(/ sub=0 /);
      expect(await client.sendCommand(["SET", `${prefix}:probe`, "1"])).toBe("OK");

      await publishing.invalidation!.publish("key_123");
      const until = Date.now() + 2_000;
      while (received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(received).toEqual(["key_123"]);

      await stop();
      await listening.close?.();
      const [, after] = (await client.sendCommand(["PUBSUB", "NUMSUB", `${prefix}:invalidate`])) as [
        string,
        number,
      ];
      expect(after).toBe(0);
    } finally {
      await client.sendCommand(["DEL", `${prefix}:probe`]);
      await client.close();
    }
  });
});
