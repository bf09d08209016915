/**
 * The two-instance scenario on the local 3-master Cluster, with ioredis `Cluster` and
 * node-redis `createCluster`; and a check that the store's keys really spread over the
 * masters (a Cluster test whose keys all sat on one node would prove little).
 */

import { createKeyward } from "@keyward/core";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { type ClientKind, connectClient } from "./clients.js";
import { CLUSTER_PORTS } from "./cluster-setup.js";
import { randomPrefix } from "./helpers.js";
import { runMultiInstance } from "./multi-instance-scenario.js";

for (const kind of ["ioredis 6", "node-redis"] as const satisfies ClientKind[]) {
  runMultiInstance(`two instances over one Redis Cluster (${kind})`, async () => {
    const [one, two] = await Promise.all([connectClient(kind, "cluster"), connectClient(kind, "cluster")]);
    return {
      clients: [one.client, two.client] as const,
      deletePrefix: (prefix: string) => one.deletePrefix(prefix),
      close: () => Promise.all([one.close(), two.close()]),
    };
  });
}

describe("keys on the local Cluster", () => {
  it("spread over all three masters (node-redis createCluster)", async () => {
    const prefix = randomPrefix("spread");
    const connection = await connectClient("node-redis", "cluster");
    const keyward = createKeyward({ store: redisStore({ client: connection.client, prefix }) });
    try {
      const created = await Promise.all(
        Array.from({ length: 24 }, () => keyward.create({ quota: { limit: 5 } })),
      );
      for (const { token } of created) expect((await keyward.verify(token)).ok).toBe(true);
      const perNode: number[] = [];
      for (const port of CLUSTER_PORTS) {
        const node = new Redis(port, "127.0.0.1");
        const [, keys] = await node.scan("0", "MATCH", `${prefix}:*`, "COUNT", 10_000);
        perNode.push(keys.length);
        node.disconnect();
      }
      expect(
        perNode.every((count) => count > 0),
        `keys per master: ${perNode.join(", ")}`,
      ).toBe(true);
    } finally {
      await keyward.close();
      await keyward.store.close?.();
      await connection.deletePrefix(prefix);
      await connection.close();
    }
  });
});
