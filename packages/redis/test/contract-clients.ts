/**
 * The whole store contract on one client × topology (see `clients.ts`): whole-store mode,
 * two connections so that two `makeStore()` calls are two instances sharing one Redis and one
 * invalidation channel. The limits-only modes run once, in `contract.test.ts`: they exercise
 * the same scripts through the same client surface.
 */
import type { KeywardStore } from "@keyward/core";
import { runStoreContract } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { type ClientKind, connectClient, type TestClient, type Topology } from "./clients.js";
import { randomPrefix } from "./helpers.js";

export function runClientContract(kind: ClientKind, topology: Topology): void {
  const prefix = randomPrefix(`contract-${kind.replace(/\W/g, "")}-${topology}`);
  let clients: TestClient[] = [];
  const opened: KeywardStore[] = [];

  beforeAll(async () => {
    clients = await Promise.all([connectClient(kind, topology), connectClient(kind, topology)]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close?.()));
    await clients[0]?.deletePrefix(prefix);
    await Promise.all(clients.map((client) => client.close()));
  });

  describe(`redisStore on ${kind}, ${topology}`, () => {
    let calls = 0;
    const make = () => {
      const store = redisStore({ client: clients[calls++ % 2]!.client, prefix });
      opened.push(store);
      return store;
    };
    runStoreContract({ describe, it, expect }, make, { ownClock: true, invalidation: true });
  });
}
