import { createKeyward, type Keyward } from "@keyward/core";
import type { Command, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { clusterSlot, connect, deletePrefix, randomPrefix } from "./helpers.js";

// Every command and script the store sends is recorded with the keys ioredis routes it by
// (for EVALSHA/EVAL: the declared KEYS). Redis Cluster refuses a call whose keys hash to two
// slots, so each recorded call must map to exactly one slot.
const prefix = randomPrefix("slots");
let client: Redis;
let admin: Redis;
const calls: { name: string; keys: string[] }[] = [];

beforeAll(async () => {
  client = await connect();
  admin = await connect();
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command: Command, stream?: never) => {
    calls.push({ name: command.name.toLowerCase(), keys: command.getKeys().map(String) });
    return send(command, stream);
  }) as typeof client.sendCommand;
});
afterAll(async () => {
  await deletePrefix(admin, prefix);
  await Promise.all([client.quit(), admin.quit()]);
});

const crossSlot = () =>
  calls
    .filter((call) => new Set(call.keys.map(clusterSlot)).size > 1)
    .map((c) => `${c.name} ${c.keys.join(" ")}`);

function instance(pepper: string[]): Keyward {
  return createKeyward({
    store: redisStore({ client, prefix }),
    prefix: "sk_slot",
    pepper,
    rateLimit: [
      { name: "default", limit: 1000, window: "1m" },
      { name: "burst", limit: 500, window: "10s", algorithm: "token-bucket", autoApply: true },
    ],
    ownerRateLimit: { limit: 5000, window: "1m", algorithm: "fixed-window" },
    writeBehind: { interval: 60_000 },
  });
}

describe("Cluster safety", () => {
  it("every command and script touches one slot, through a whole key lifecycle", async () => {
    const keyward = instance(["pepper-1"]);
    const owned = await keyward.create({ ownerId: "org{1}", scopes: ["task:read"], quota: { limit: 100 } });
    const solo = await keyward.create({
      scopes: ["task:read"],
      quota: { limit: 10, refill: { interval: "1h" } },
    });
    for (const { token } of [owned, solo]) {
      expect((await keyward.verify(token)).ok).toBe(true);
      expect((await keyward.verify(token, { rateLimit: ["default", "burst"], cost: 2 })).ok).toBe(true);
    }
    await keyward.update(owned.key.id, { name: "renamed", quota: { limit: 50 } });
    const rotated = await keyward.rotate(owned.key.id, { gracePeriod: "1h" });
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
    await keyward.get(owned.key.id);
    await keyward.list({ ownerId: "org{1}", scope: "task:read" });
    await keyward.list({ limit: 5 });
    await keyward.flush();
    await keyward.close();

    // A second pepper: verifying with the old one re-hashes the secret behind the scenes.
    const repeppered = instance(["pepper-2", "pepper-1"]);
    expect((await repeppered.verify(solo.token)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await repeppered.verify(solo.token)).ok).toBe(true);
    await repeppered.revoke(solo.key.id);
    await repeppered.delete(owned.key.id);
    await repeppered.store.purge(Date.now() + 10_000, 10);
    await repeppered.close();
    await repeppered.store.close?.();

    const scripts = calls.filter((call) => call.name === "evalsha" || call.name === "eval");
    // The check means something: multi-key scripts ran (consume with limits and a quota).
    expect(scripts.some((call) => call.keys.length >= 3)).toBe(true);
    expect(calls.filter((call) => call.keys.length > 0).length).toBeGreaterThan(30);
    expect(crossSlot()).toEqual([]);
  });

  it("recovers from SCRIPT FLUSH mid-run without a failed request", async () => {
    const keyward = instance(["pepper-1"]);
    const keys = await Promise.all(
      Array.from({ length: 4 }, () => keyward.create({ quota: { limit: 10_000 } })),
    );
    const evalsBefore = calls.filter((call) => call.name === "eval").length;
    let failed = 0;
    let passed = 0;
    for (let round = 0; round < 10; round++) {
      if (round === 5) expect(await admin.script("FLUSH")).toBe("OK");
      const results = await Promise.all(
        keys.flatMap(({ token }) => [keyward.verify(token), keyward.verify(token)]),
      );
      for (const result of results) result.ok ? passed++ : failed++;
      if (round === 6) await keyward.update(keys[0]!.key.id, { name: `after flush ${round}` });
    }
    await keyward.close();
    expect(failed).toBe(0);
    expect(passed).toBe(80);
    // The flush was hit: NOSCRIPT answers were followed by EVAL, which reloaded the scripts.
    expect(calls.filter((call) => call.name === "eval").length).toBeGreaterThan(evalsBefore);
    expect(crossSlot()).toEqual([]);
  });

  it("a verification is one round trip for a cached key and two for an uncached one", async () => {
    const keyward = instance(["pepper-1"]);
    const { token } = await keyward.create({ ownerId: "org_rt", quota: { limit: 100 } });
    await keyward.verify(token); // loads the scripts on this connection if needed
    const uncached = instance(["pepper-1"]);
    let from = calls.length;
    expect((await uncached.verify(token)).ok).toBe(true);
    const first = calls.slice(from).map((call) => call.name);
    from = calls.length;
    expect((await uncached.verify(token, { rateLimit: ["default", "burst"] })).ok).toBe(true);
    const second = calls.slice(from).map((call) => call.name);
    console.log(`uncached verify: ${first.join(", ")}; cached verify: ${second.join(", ")}`);
    expect(first).toEqual(["hmget", "evalsha"]);
    expect(second).toEqual(["evalsha"]);
    await Promise.all([keyward.close(), uncached.close()]);
  });
});
