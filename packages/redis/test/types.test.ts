/**
 * Every supported client type-checks as `client` (and `subscriber`) of the Redis factories,
 * and anything else is refused at construction with a TypeError naming the option. Nothing
 * connects: the factories send no command until the store is used.
 */
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { describe, expect, it } from "vitest";
import { redisCounters, redisInvalidation, redisStore } from "../src/index.js";

describe("client types", () => {
  it("accepts ioredis Redis and Cluster, node-redis createClient and createCluster", () => {
    const ioredis = new Redis({ lazyConnect: true });
    const ioCluster = new Cluster([{ host: "127.0.0.1", port: 7101 }], { lazyConnect: true });
    const nodeRedis = createClient();
    const nodeCluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:7101" }] });
    for (const client of [ioredis, ioCluster, nodeRedis, nodeCluster]) {
      expect(redisStore({ client }).kind).toBe("redis");
      expect(typeof redisCounters({ client }).consume).toBe("function");
      expect(typeof redisInvalidation({ client, subscriber: client }).subscribe).toBe("function");
    }
    ioredis.disconnect();
    ioCluster.disconnect();
  });

  it("refuses anything else, naming the option", () => {
    // @ts-expect-error not a Redis client
    expect(() => redisStore({ client: { get: () => null } })).toThrow(/option "client"/);
    // @ts-expect-error not a Redis client
    expect(() => redisCounters({ client: {} })).toThrow(TypeError);
  });
});
