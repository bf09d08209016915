/**
 * Route policies counted in Redis, through every adapter: a router's per-key budget, a route
 * policy and a key limit refusing all-or-nothing, a per-owner counter — each exact under 200
 * parallel requests. Each adapter gets a key prefix of its own.
 */

import type { KeywardStore } from "@keyward/core";
import { runRoutePolicyConformance } from "@keyward/core/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_ADAPTERS } from "../../next/test/adapters.js";
import { redisStore } from "../src/index.js";
import { connect, deletePrefix, randomPrefix } from "./helpers.js";

let client: Redis;
const prefixes: string[] = [];
const stores: KeywardStore[] = [];

beforeAll(async () => {
  client = await connect();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close?.()));
  for (const prefix of prefixes) await deletePrefix(client, prefix);
  await client.quit();
});

for (const [name, createApp] of ALL_ADAPTERS) {
  describe(`${name} on Redis`, () => {
    const store = () => {
      const prefix = randomPrefix("routes");
      prefixes.push(prefix);
      const opened = redisStore({ client, prefix });
      stores.push(opened);
      return opened;
    };
    runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, createApp, { store });
  });
}
