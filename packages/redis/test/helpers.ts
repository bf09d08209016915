/** Shared pieces of the Redis tests: connections, random prefixes, cleanup, Cluster slots. */
import { randomBytes } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll } from "vitest";
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

/**
 * A client connected before a file's tests and a prefix of their own; after them the prefix's
 * keys are deleted and the client quits. Read `client` inside the tests (it is set by then).
 */
export function clientForFile(name: string): { readonly client: Redis; readonly prefix: string } {
  const handle = { client: undefined as unknown as Redis, prefix: randomPrefix(name) };
  beforeAll(async () => {
    handle.client = await connect();
  });
  afterAll(async () => {
    await deletePrefix(handle.client, handle.prefix);
    await handle.client.quit();
  });
  return handle;
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
