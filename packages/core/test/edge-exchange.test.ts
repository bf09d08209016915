/**
 * `keyward.exchange()` and `keyward.jwks()`: API keys traded for signed access tokens that an
 * independent JOSE implementation accepts, with the key's usual refusals.
 */
import { createKeyward, ExchangeError, isKeywardError, type Keyward, memoryStore } from "@keyward/core";
import type { AccessTokenJwk } from "@keyward/core/edge";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { publicOnly, signingKey } from "./edge-fixtures.js";
import { setup, T0 } from "./keyward-fixtures.js";

let ed: AccessTokenJwk;
let es: AccessTokenJwk;
const open: Keyward[] = [];

beforeAll(async () => {
  ed = await signingKey("ed-1");
  es = await signingKey("es-1", "ES256");
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((keyward) => keyward.close()));
});

function make(options: Partial<Parameters<typeof createKeyward>[0]> = {}): Keyward {
  const keyward = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    signingKeys: [ed],
    scopes: { reader: ["task:read", "project:read"] },
    ...options,
  });
  open.push(keyward);
  return keyward;
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error("the exchange was not refused");
}

describe("exchange", () => {
  it("returns a Bearer JWT that jose verifies against jwks(), with every claim", async () => {
    const keyward = make({ issuer: "https://api.example.test" });
    const { token, key } = await keyward.create({ ownerId: "org_1", scopes: ["reader", "task:write"] });
    const result = await keyward.exchange(token, { audience: "edge" });
    expect(result).toMatchObject({ tokenType: "Bearer", expiresIn: 300 });

    const { payload, protectedHeader } = await jwtVerify(
      result.accessToken,
      createLocalJWKSet(keyward.jwks()),
      {
        audience: "edge",
        issuer: "https://api.example.test",
        typ: "at+jwt",
      },
    );
    expect(protectedHeader).toEqual({ alg: "EdDSA", kid: "ed-1", typ: "at+jwt" });
    expect(payload).toMatchObject({
      sub: key.id,
      client_id: key.id,
      owner: "org_1",
      scope: "task:read project:read task:write",
      aud: "edge",
      iss: "https://api.example.test",
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
    expect(result.scopes).toEqual(["task:read", "project:read", "task:write"]);
  });

  it("signs with ES256 when the first key is a P-256 key", async () => {
    const keyward = make({ signingKeys: [es] });
    const { token } = await keyward.create();
    const { accessToken } = await keyward.exchange(token);
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: "ES256", kid: "es-1" });
    await expect(jwtVerify(accessToken, createLocalJWKSet(keyward.jwks()))).resolves.toBeTruthy();
  });

  it("gives a new jti to every token", async () => {
    const keyward = make();
    const { token } = await keyward.create();
    const jtis = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const { accessToken } = await keyward.exchange(token);
      jtis.add((await jwtVerify(accessToken, createLocalJWKSet(keyward.jwks()))).payload.jti);
    }
    expect(jtis.size).toBe(5);
  });

  it("narrows the token to the requested scopes, presets expanded, and refuses scopes the key lacks", async () => {
    const keyward = make();
    const { token } = await keyward.create({ scopes: ["reader", "admin:*"] });
    expect((await keyward.exchange(token, { scopes: ["task:read"] })).scopes).toEqual(["task:read"]);
    expect((await keyward.exchange(token, { scopes: ["admin:users"] })).scopes).toEqual(["admin:users"]);
    expect((await keyward.exchange(token, { scopes: ["reader"] })).scopes).toEqual([
      "task:read",
      "project:read",
    ]);
    expect((await keyward.exchange(token, { scopes: [] })).scopes).toEqual([]);
    const error = await refusal(keyward.exchange(token, { scopes: ["task:read", "task:write"] }));
    expect(error).toMatchObject({ code: "insufficient_scope", status: 403 });
    expect(error.failure.message).toContain("task:write");
  });

  it("refuses a revoked, disabled, expired, unknown or missing key with verify()'s codes", async () => {
    const { keyward, set } = setup({ signingKeys: [ed] });
    const revoked = await keyward.create();
    await keyward.revoke(revoked.key.id);
    const disabled = await keyward.create({ enabled: false });
    const expiring = await keyward.create({ expiresIn: "1h" });
    set(T0 + 3_600_000);
    const codes = async (token: string | undefined) => (await refusal(keyward.exchange(token))).code;
    expect(await codes(revoked.token)).toBe("revoked_key");
    expect(await codes(disabled.token)).toBe("disabled_key");
    expect(await codes(expiring.token)).toBe("expired_key");
    expect(await codes("sk_test_0000000000000000000000000000000000000")).toBe("invalid_key");
    expect(await codes(undefined)).toBe("missing_key");
    const error = await refusal(keyward.exchange(revoked.token));
    expect(isKeywardError(error, "revoked_key")).toBe(true);
    expect(error.status).toBe(401);
    await keyward.close();
  });

  it("charges rate limits and quota like a verification, and answers rate_limited with retryAfter", async () => {
    const keyward = make();
    const { token } = await keyward.create({ rateLimit: { limit: 2, window: "1m" }, quota: { limit: 10 } });
    const first = await keyward.exchange(token);
    expect(first.rateLimit).toEqual([expect.objectContaining({ name: "default", limit: 2, remaining: 1 })]);
    await keyward.exchange(token);
    const error = await refusal(keyward.exchange(token));
    expect(error).toMatchObject({ code: "rate_limited", status: 429 });
    expect(error.failure.retryAfter).toBeGreaterThan(0);
    expect(error.failure.rateLimit?.[0]).toMatchObject({ name: "default", exceeded: true });
    const [charged] = (await keyward.list()).items;
    expect(charged?.quota?.remaining).toBe(8);
  });

  it("never issues a token that outlives its key", async () => {
    const { keyward } = setup({ signingKeys: [ed] });
    const { token } = await keyward.create({ expiresIn: "90s" });
    const result = await keyward.exchange(token, { ttl: "5m" });
    expect(result.expiresIn).toBe(90);
    const { payload } = await jwtVerify(result.accessToken, createLocalJWKSet(keyward.jwks()), {
      currentDate: new Date(T0),
    });
    expect(payload.exp).toBe(T0 / 1000 + 90);
    await keyward.close();
  });

  it("takes ttl as a duration from 1s to 24h and rejects bad options with a TypeError naming them", async () => {
    const keyward = make();
    const { token } = await keyward.create();
    expect((await keyward.exchange(token, { ttl: "30s" })).expiresIn).toBe(30);
    expect((await keyward.exchange(token, { ttl: 90_000 })).expiresIn).toBe(90);
    await expect(keyward.exchange(token, { ttl: "25h" })).rejects.toThrow(/"ttl"/);
    await expect(keyward.exchange(token, { ttl: "500ms" })).rejects.toThrow(TypeError);
    await expect(keyward.exchange(token, { audience: "" })).rejects.toThrow(/"audience"/);
    await expect(keyward.exchange(token, { scopes: ["not a scope"] })).rejects.toThrow(/scopes\[0\]/);
    await expect(keyward.exchange(token, { scope: ["a:b"] } as never)).rejects.toThrow(/"scope"/);
  });

  it("needs signing keys", async () => {
    const keyward = make({ signingKeys: undefined });
    const { token } = await keyward.create();
    await expect(keyward.exchange(token)).rejects.toThrow(/signingKeys/);
    expect(keyward.jwks()).toEqual({ keys: [] });
  });
});

describe("jwks", () => {
  it("publishes every key's public part and never a private member", async () => {
    const previous = publicOnly(await signingKey("ed-0"));
    const keyward = make({ signingKeys: [ed, es, previous] });
    const { keys } = keyward.jwks();
    expect(keys.map((key) => key.kid)).toEqual(["ed-1", "es-1", "ed-0"]);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(
        key.kty === "EC"
          ? ["alg", "crv", "kid", "kty", "use", "x", "y"]
          : ["alg", "crv", "kid", "kty", "use", "x"],
      );
    }
    expect(JSON.stringify(keyward.jwks())).not.toContain(ed.d);
    expect(JSON.stringify(keyward.jwks())).not.toContain(es.d);
  });

  it("returns a copy each time", async () => {
    const keyward = make();
    const first = keyward.jwks();
    first.keys[0]!.kid = "changed";
    expect(keyward.jwks().keys[0]!.kid).toBe("ed-1");
  });
});

describe("signingKeys option", () => {
  const store = memoryStore();
  const build = (signingKeys: unknown) => () => createKeyward({ store, signingKeys: signingKeys as never });

  it("rejects anything but a non-empty list of EdDSA / ES256 JWKs with kid, naming the option", () => {
    expect(build([])).toThrow(/"signingKeys"/);
    expect(build("key")).toThrow(TypeError);
    expect(build([{ ...ed, alg: "RS256" }])).toThrow(/"signingKeys\[0\]\.alg"/);
    expect(build([{ ...ed, kid: undefined }])).toThrow(/"signingKeys\[0\]\.kid"/);
    expect(build([{ ...ed, alg: "ES256" }])).toThrow(/"signingKeys\[0\]"/);
    expect(build([{ ...ed, x: "short" }])).toThrow(/"signingKeys\[0\]\.x"/);
    expect(build([{ ...es, y: undefined }])).toThrow(/"signingKeys\[0\]\.y"/);
  });

  it("needs the first key to be private, lets the others be public, and wants distinct kids", () => {
    expect(build([publicOnly(ed)])).toThrow(/"signingKeys\[0\]\.d".*private/);
    expect(build([ed, publicOnly(es)])).not.toThrow();
    expect(build([ed, { ...es, kid: "ed-1" }])).toThrow(/"signingKeys\[1\]\.kid"/);
  });

  it("rejects an empty issuer", () => {
    expect(() => createKeyward({ store, issuer: "" })).toThrow(/"issuer"/);
  });
});
