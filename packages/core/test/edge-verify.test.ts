/**
 * `verifyAccessToken()` from `@keyward/core/edge`: tokens from `exchange()` verify with only
 * the public keys; tampered, expired, wrong-audience, unknown-kid and forged tokens are refused
 * with verify()'s codes; a retired signing key's tokens verify until they expire.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import { type AccessTokenJwk, verifyAccessToken } from "@keyward/core/edge";
import { importJWK, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicOnly, signingKey } from "./edge-fixtures.js";

let k1: AccessTokenJwk;
let k2: AccessTokenJwk;
let keyward: Keyward;
let apiKey: string;
let keyId: string;

beforeAll(async () => {
  k1 = await signingKey("k1");
  k2 = await signingKey("k2", "ES256");
  keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", signingKeys: [k1] });
  const created = await keyward.create({ ownerId: "org_1", scopes: ["task:read", "project:*"] });
  apiKey = created.token;
  keyId = created.key.id;
});

afterAll(() => keyward.close());

/** Replaces one character in the middle of a JWT part (0 header, 1 payload, 2 signature). */
function tamper(jwt: string, part: number): string {
  const parts = jwt.split(".");
  const text = parts[part]!;
  const at = Math.floor(text.length / 2);
  parts[part] = text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
  return parts.join(".");
}

describe("verifyAccessToken", () => {
  it("accepts a token from exchange() and reports the key it speaks for", async () => {
    const { accessToken } = await keyward.exchange(apiKey, { audience: "edge" });
    const result = await verifyAccessToken(accessToken, { jwks: keyward.jwks(), audience: "edge" });
    expect(result).toMatchObject({
      ok: true,
      key: { id: keyId, ownerId: "org_1", scopes: ["task:read", "project:*"] },
      claims: { sub: keyId, aud: "edge" },
    });
    if (result.ok) expect(result.key.expiresAt.getTime()).toBe(result.claims.exp * 1000);
  });

  it("accepts a single public JWK as `key`", async () => {
    const { accessToken } = await keyward.exchange(apiKey);
    const result = await verifyAccessToken(accessToken, { key: keyward.jwks().keys[0]! as never });
    expect(result.ok).toBe(true);
  });

  it("refuses a tampered header, payload or signature as invalid_key", async () => {
    const { accessToken } = await keyward.exchange(apiKey);
    for (const part of [0, 1, 2]) {
      const result = await verifyAccessToken(tamper(accessToken, part), { jwks: keyward.jwks() });
      expect(result, `part ${part}`).toMatchObject({ ok: false, code: "invalid_key", status: 401 });
    }
    expect(await verifyAccessToken("not.a.jwt", { jwks: keyward.jwks() })).toMatchObject({
      code: "invalid_key",
    });
  });

  it("refuses an expired token as expired_key, within clockTolerance as valid", async () => {
    const { accessToken, expiresIn } = await keyward.exchange(apiKey, { ttl: "1m" });
    const later = Date.now() + (expiresIn + 5) * 1000;
    expect(await verifyAccessToken(accessToken, { jwks: keyward.jwks(), clock: () => later })).toEqual({
      ok: false,
      code: "expired_key",
      status: 401,
      message: "The access token has expired.",
    });
    const tolerant = await verifyAccessToken(accessToken, {
      jwks: keyward.jwks(),
      clock: () => later,
      clockTolerance: "30s",
    });
    expect(tolerant.ok).toBe(true);
  });

  it("refuses a token for another audience or issuer as invalid_key", async () => {
    const { accessToken } = await keyward.exchange(apiKey, { audience: "billing" });
    const wrongAudience = await verifyAccessToken(accessToken, { jwks: keyward.jwks(), audience: "edge" });
    expect(wrongAudience).toMatchObject({ ok: false, code: "invalid_key" });
    if (!wrongAudience.ok) expect(wrongAudience.message).toContain('"aud"');
    const noAudience = await keyward.exchange(apiKey);
    expect(
      await verifyAccessToken(noAudience.accessToken, { jwks: keyward.jwks(), audience: "edge" }),
    ).toMatchObject({ code: "invalid_key" });
    expect(
      await verifyAccessToken(accessToken, { jwks: keyward.jwks(), issuer: "https://issuer.test" }),
    ).toMatchObject({ code: "invalid_key" });
  });

  it("refuses a token signed by a key the JWK Set does not hold (unknown kid)", async () => {
    const other = createKeyward({ store: memoryStore(), prefix: "sk_test", signingKeys: [k2] });
    const { token } = await other.create();
    const { accessToken } = await other.exchange(token);
    const result = await verifyAccessToken(accessToken, { jwks: keyward.jwks() });
    expect(result).toMatchObject({ ok: false, code: "invalid_key" });
    if (!result.ok) expect(result.message).toMatch(/not \(or no longer\) trusted/);
    await other.close();
  });

  it("refuses forged tokens: same kid but another key, alg none, a JWT without typ at+jwt", async () => {
    const impostor = await signingKey("k1");
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: keyId, owner: "org_1", scope: "*", jti: "x", iat: now, exp: now + 60 };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "k1", typ: "at+jwt" })
      .sign(await importJWK(impostor, "EdDSA"));
    expect(await verifyAccessToken(forged, { jwks: keyward.jwks() })).toMatchObject({ code: "invalid_key" });

    const unsecured = new UnsecuredJWT(claims).encode();
    expect(await verifyAccessToken(unsecured, { jwks: keyward.jwks() })).toMatchObject({
      code: "invalid_key",
    });

    const untyped = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
      .sign(await importJWK(k1, "EdDSA"));
    expect(await verifyAccessToken(untyped, { jwks: keyward.jwks() })).toMatchObject({ code: "invalid_key" });
  });

  it("checks required scopes against the token's scope claim, wildcards included", async () => {
    const { accessToken } = await keyward.exchange(apiKey);
    const check = (scopes: Parameters<typeof verifyAccessToken>[1]["scopes"]) =>
      verifyAccessToken(accessToken, { jwks: keyward.jwks(), scopes });
    expect((await check(["task:read", "project:delete"])).ok).toBe(true);
    expect((await check("task:write OR project:read")).ok).toBe(true);
    const denied = await check(["task:write"]);
    expect(denied).toMatchObject({ ok: false, code: "insufficient_scope", status: 403 });
    const narrowed = await keyward.exchange(apiKey, { scopes: ["task:read"] });
    expect(
      await verifyAccessToken(narrowed.accessToken, { jwks: keyward.jwks(), scopes: ["project:read"] }),
    ).toMatchObject({ code: "insufficient_scope" });
  });

  it("answers missing_key without a token and throws TypeError for bad options", async () => {
    expect(await verifyAccessToken("", { jwks: keyward.jwks() })).toMatchObject({ code: "missing_key" });
    await expect(verifyAccessToken("x", {})).rejects.toThrow(/"jwks"/);
    await expect(verifyAccessToken("x", { jwks: keyward.jwks(), key: k1 })).rejects.toThrow(TypeError);
    await expect(verifyAccessToken("x", { jwks: keyward.jwks(), scopes: "a:b AND" })).rejects.toThrow(
      TypeError,
    );
  });
});

describe("signing-key rotation", () => {
  it("tokens signed by the previous key verify until they expire; the new key signs", async () => {
    const store = memoryStore();
    const before = createKeyward({ store, prefix: "sk_test", signingKeys: [k1] });
    const { token } = await before.create();
    const old = await before.exchange(token, { ttl: "2m" });
    // Rotation: the new key first (it signs), the previous one kept, public part only.
    const after = createKeyward({ store, prefix: "sk_test", signingKeys: [k2, publicOnly(k1)] });
    const fresh = await after.exchange(token);
    const jwks = after.jwks();
    expect(await verifyAccessToken(old.accessToken, { jwks })).toMatchObject({ ok: true });
    expect(await verifyAccessToken(fresh.accessToken, { jwks })).toMatchObject({ ok: true });
    expect(fresh.accessToken.split(".")[0]).not.toBe(old.accessToken.split(".")[0]);
    const expired = Date.now() + (old.expiresIn + 1) * 1000;
    expect(await verifyAccessToken(old.accessToken, { jwks, clock: () => expired })).toMatchObject({
      code: "expired_key",
    });
    // Once the previous key is dropped, its tokens no longer verify at all.
    const retired = createKeyward({ store, prefix: "sk_test", signingKeys: [k2] });
    expect(await verifyAccessToken(old.accessToken, { jwks: retired.jwks() })).toMatchObject({
      code: "invalid_key",
    });
    await Promise.all([before.close(), after.close(), retired.close()]);
  });
});

describe("remote JWK Set", () => {
  it("fetches the keys from a URL, and answers unavailable when it cannot", async () => {
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(keyward.jwks()));
    });
    server.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const { accessToken } = await keyward.exchange(apiKey);
    const jwks = new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`);
    expect(await verifyAccessToken(accessToken, { jwks })).toMatchObject({ ok: true });
    expect(await verifyAccessToken(accessToken, { jwks: jwks.href })).toMatchObject({ ok: true });
    expect(fetches).toBe(1);
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const down = new URL(`http://127.0.0.1:${port}/other/jwks.json`);
    expect(await verifyAccessToken(accessToken, { jwks: down })).toMatchObject({
      ok: false,
      code: "unavailable",
      status: 503,
      retryAfter: 1,
    });
  });
});
