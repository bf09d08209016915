/**
 * Route policies counted in Redis, through every adapter: a router's per-key budget, a route
 * policy and a key limit refusing all-or-nothing, a per-owner counter — each exact under 200
 * parallel requests. Each adapter gets a key prefix of its own.
 */

import type { KeywardStore } from "@keyward/core";
import { type CreateConformanceApp, runRoutePolicyConformance } from "@keyward/core/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { express4App, expressApp } from "../../express/test/app.js";
import { fastifyApp } from "../../fastify/test/app.js";
import { nextApp } from "../../next/test/app.js";
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

const adapters: [string, CreateConformanceApp][] = [
  ["Express 5", expressApp()],
  ["Express 4", express4App()],
  ["Fastify 5", fastifyApp],
  ["Next", nextApp],
];

for (const [name, createApp] of adapters) {
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
