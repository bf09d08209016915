/**
 * When `createKeysApi()` serves the token endpoints, and how its `tokenExchange` option is
 * checked. (The endpoints' behaviour over HTTP is in token-scenario.ts, run by every adapter.)
 */
import { createKeysApi, createKeyward, type Keyward, memoryStore } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingKey } from "./edge-fixtures.js";

let signing: Keyward;
let plain: Keyward;

beforeAll(async () => {
  signing = createKeyward({ store: memoryStore(), signingKeys: [await signingKey("k1")] });
  plain = createKeyward({ store: memoryStore() });
});

afterAll(async () => {
  await Promise.all([signing.close(), plain.close()]);
});

const owner = () => "org_1";
const jwksRequest = { method: "GET", path: "/.well-known/jwks.json" };

describe("tokenExchange option", () => {
  it("serves the token endpoints when the instance has signing keys, and not otherwise", async () => {
    expect((await createKeysApi(signing, { owner })(jwksRequest)).status).toBe(200);
    expect((await createKeysApi(plain, { owner })(jwksRequest)).status).toBe(404);
    const off = createKeysApi(signing, { owner, tokenExchange: false });
    expect((await off(jwksRequest)).status).toBe(404);
    expect((await off({ method: "POST", path: "/token" })).status).toBe(404);
  });

  it("does not ask the owner callback who is calling", async () => {
    const api = createKeysApi(signing, { owner: () => null });
    expect((await api(jwksRequest)).status).toBe(200);
    expect((await api({ method: "GET", path: "/keys" })).status).toBe(401);
  });

  it("rejects a malformed value with a TypeError naming it", () => {
    expect(() => createKeysApi(plain, { owner, tokenExchange: true })).toThrow(
      /"tokenExchange".*signingKeys/,
    );
    expect(() => createKeysApi(signing, { owner, tokenExchange: "yes" as never })).toThrow(/"tokenExchange"/);
    expect(() => createKeysApi(signing, { owner, tokenExchange: { audiences: [""] } })).toThrow(
      /"tokenExchange\.audiences"/,
    );
    expect(() => createKeysApi(signing, { owner, tokenExchange: { ttl: "2d" } })).toThrow(
      /"tokenExchange\.ttl"/,
    );
    expect(() => createKeysApi(signing, { owner, tokenExchange: { audience: ["a"] } as never })).toThrow(
      /"tokenExchange\.audience"/,
    );
  });
});
