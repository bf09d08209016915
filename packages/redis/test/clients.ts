/**
 * Every client × topology the Redis store supports, connected the same way for each test
 * file: ioredis 6 (`ioredis`) and ioredis 5 (the `ioredis5` alias), node-redis (`redis`),
 * each on the standalone Redis of this machine and on the local 3-master Cluster that
 * `cluster-setup.ts` starts (127.0.0.1:7101-7103).
 */
import { Cluster, Redis } from "ioredis";
import { Cluster as Cluster5, Redis as Redis5 } from "ioredis5";
import { createClient, createCluster } from "redis";
import { type AnyRedisClient, RECOMMENDED_CLIENT_OPTIONS } from "../src/index.js";
import { CLUSTER_PORTS } from "./cluster-setup.js";
import { REDIS_URL } from "./helpers.js";

export type ClientKind = "ioredis 6" | "ioredis 5" | "node-redis";
export type Topology = "standalone" | "cluster";

/** A connected client, and how to empty a prefix and close it. */
export interface TestClient {
  readonly client: AnyRedisClient;
  /** Deletes every key under `prefix` (on every master of a Cluster). */
  deletePrefix(prefix: string): Promise<void>;
  close(): Promise<void>;
}

const clusterNodes = CLUSTER_PORTS.map((port) => ({ host: "127.0.0.1", port }));

/** SCAN + UNLINK of one prefix through an ioredis standalone connection. */
async function scanDelete(node: Redis | Redis5, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    // One key per UNLINK: on a Cluster node, keys of one scan belong to many slots.
    await Promise.all(keys.map((key) => node.unlink(key)));
  } while (cursor !== "0");
}

/** Deletes a prefix on the standalone Redis or on every master of the local Cluster. */
async function deleteEverywhere(topology: Topology, prefix: string): Promise<void> {
  const urls =
    topology === "standalone" ? [REDIS_URL] : CLUSTER_PORTS.map((port) => `redis://127.0.0.1:${port}`);
  for (const url of urls) {
    const node = new Redis(url, { lazyConnect: true });
    await node.connect();
    try {
      await scanDelete(node, prefix);
    } finally {
      node.disconnect();
    }
  }
}

async function ioredisClient(
  version: 5 | 6,
  topology: Topology,
): Promise<AnyRedisClient & { quit(): Promise<unknown> }> {
  const options = { ...RECOMMENDED_CLIENT_OPTIONS, lazyConnect: true };
  if (topology === "standalone") {
    const client = version === 6 ? new Redis(REDIS_URL, options) : new Redis5(REDIS_URL, options);
    client.on("error", () => {});
    await client.connect();
    // An app has one ioredis; here the `ioredis5` alias' types differ from ioredis 6's.
    return client as unknown as Redis;
  }
  // The Cluster's own offline queue holds commands while it discovers the slots.
  const clusterOptions = { redisOptions: { ...options, lazyConnect: false }, lazyConnect: true };
  const client =
    version === 6 ? new Cluster(clusterNodes, clusterOptions) : new Cluster5(clusterNodes, clusterOptions);
  client.on("error", () => {});
  await client.connect();
  return client as unknown as Cluster;
}

async function nodeRedisClient(topology: Topology) {
  const client =
    topology === "standalone"
      ? createClient({ url: REDIS_URL })
      : createCluster({ rootNodes: CLUSTER_PORTS.map((port) => ({ url: `redis://127.0.0.1:${port}` })) });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Connects one client of `kind` to `topology`. */
export async function connectClient(kind: ClientKind, topology: Topology): Promise<TestClient> {
  const deletePrefix = (prefix: string) => deleteEverywhere(topology, prefix);
  if (kind === "node-redis") {
    const client = await nodeRedisClient(topology);
    return { client, deletePrefix, close: () => client.close() };
  }
  const client = await ioredisClient(kind === "ioredis 6" ? 6 : 5, topology);
  return { client, deletePrefix, close: async () => void (await client.quit()) };
}
