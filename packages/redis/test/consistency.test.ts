import { createKeyward } from "@keyward/core";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { createKeyIo } from "../src/key-io.js";
import { keyspace } from "../src/keyspace.js";
import { connect, deletePrefix, randomPrefix } from "./helpers.js";

// A management write is a few single-slot steps (record, then the secret entries' copies).
// These tests stop a write after its first step, as a Redis failure or a crash would, and pin
// that the store heals before anyone can rely on the stale copy: a revoke retried after a
// failure must reach what verify() reads.
const prefix = randomPrefix("heal");
let client: Redis;

beforeAll(async () => {
  client = await connect();
});
afterAll(async () => {
  await deletePrefix(client, prefix);
  await client.quit();
});

/** Writes the record's first step only: the record changes, the secret entries do not. */
async function interruptedRevoke(id: string, at: number): Promise<void> {
  const io = createKeyIo(client, keyspace(prefix));
  const state = await io.read(id);
  if (!state) throw new Error("no such key");
  expect(await io.write(id, state.v, { key: { ...state.key, revokedAt: at, updatedAt: at } })).toBe(
    state.v + 1,
  );
}

describe("interrupted writes", () => {
  it("getKey refreshes stale secret entries before answering", async () => {
    const store = redisStore({ client, prefix });
    const keyward = createKeyward({ store, prefix: "sk_heal", rateLimit: false, cache: false });
    const { token, key } = await keyward.create();
    await interruptedRevoke(key.id, Date.now());
    // The gap an interruption leaves: the entry verify() reads still holds the old copy.
    expect((await keyward.verify(token)).ok).toBe(true);

    const read = await store.getKey(key.id);
    expect(read?.revokedAt).not.toBeNull();
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "revoked_key" });
    await keyward.close();
  });

  it("a revoke retried after an interruption takes effect although the key already reads revoked", async () => {
    const store = redisStore({ client, prefix });
    const keyward = createKeyward({ store, prefix: "sk_heal", rateLimit: false, cache: false });
    const { token, key } = await keyward.create();
    await interruptedRevoke(key.id, Date.now());
    const again = await keyward.revoke(key.id);
    expect(again.revokedAt).not.toBeNull();
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "revoked_key" });
    await keyward.close();
  });

  it("a freshly inserted key is marked synced (getKey stays one HMGET)", async () => {
    const store = redisStore({ client, prefix });
    const keyward = createKeyward({ store, prefix: "sk_heal", rateLimit: false, cache: false });
    const { key } = await keyward.create();
    const [v, synced] = await client.hmget(`${prefix}:{${key.id}}:key`, "v", "s");
    expect(synced).toBe(v);
    await keyward.close();
  });
});
