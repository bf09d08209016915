/** Shared pieces of the Redis tests: connections, random prefixes, cleanup, Cluster slots. */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { RECOMMENDED_CLIENT_OPTIONS } from "../src/index.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A prefix no other test file uses. */
export const randomPrefix = (name: string): string => `kwtest-${name}-${randomBytes(4).toString("hex")}`;

/** A connected client with the recommended options. */
export async function connect(options: RedisOptions = {}, url = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, { ...RECOMMENDED_CLIENT_OPTIONS, ...options, lazyConnect: true });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Deletes every key under a prefix. */
export async function deletePrefix(client: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}

/** CRC16/XMODEM (polynomial 0x1021, init 0), the checksum Redis Cluster hashes keys with. */
export function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The Redis Cluster slot of a key: CRC16 of its hash tag (or of the whole key) mod 16384. */
export function clusterSlot(key: string): number {
  const open = key.indexOf("{");
  if (open !== -1) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) return crc16(Buffer.from(key.slice(open + 1, close))) % 16384;
  }
  return crc16(Buffer.from(key)) % 16384;
}

/** A free TCP port on 127.0.0.1 (free when asked; taken by whoever binds it first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway redis-server of the caller's own (no persistence), for a test that does what
 * every client of a server would feel — `CLIENT PAUSE` — while other test files, and other runs
 * on the machine, use the shared Redis at the same time.
 */
export async function startOwnRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawn(
      "redis-server",
      ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
    const stop = async () => {
      if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
      await exited;
    };
    const url = `redis://127.0.0.1:${port}`;
    const until = Date.now() + 10_000;
    while (server.exitCode === null && Date.now() < until) {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on("error", () => {});
      const up = await probe.connect().then(
        () => probe.ping(),
        () => null,
      );
      probe.disconnect();
      if (up === "PONG") return { url, stop };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop();
    // The port was taken between the probe and redis-server's bind: try another one.
    if (attempt === 3) throw new Error("could not start a redis-server of the test's own");
  }
}
