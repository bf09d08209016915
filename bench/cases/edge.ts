import { hash } from "node:crypto";
import { createKeyward, memoryStore } from "@keyward/core";
import { type AccessTokenJwk, verifyAccessToken } from "@keyward/core/edge";
import { compareThroughput, ratio } from "../lib/compare.js";
import type { BenchCase } from "../lib/types.js";

/** A fresh private signing JWK through Web Crypto (what `@keyward/core/edge` runs on). */
async function signingJwk(alg: "EdDSA" | "ES256", kid: string): Promise<AccessTokenJwk> {
  const algorithm = alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" };
  const pair = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey("jwk", pair.privateKey);
  return { kty, crv, x, ...(y === undefined ? {} : { y }), d, kid, alg } as AccessTokenJwk;
}

export const edgeCase: BenchCase = {
  id: "edge",
  title: "edge access token verification vs cached verify() vs the SHA-256 floor",
  async run(ctx) {
    const ed = await signingJwk("EdDSA", "ed");
    const es = await signingJwk("ES256", "es");
    const keyward = createKeyward({ store: memoryStore(), prefix: "sk_live", signingKeys: [ed, es] });
    const esKeyward = createKeyward({ store: memoryStore(), prefix: "sk_live", signingKeys: [es] });
    const { token, key } = await keyward.create({ name: "bench", scopes: ["task:read"] });
    const esToken = (await esKeyward.create({ name: "bench" })).token;
    if (!(await keyward.verify(token)).ok) throw new Error("keyward rejected its own key");

    const jwks = keyward.jwks();
    const options = { jwks, audience: "edge", scopes: ["task:read"] };
    const edToken = (await keyward.exchange(token, { audience: "edge", ttl: "1h" })).accessToken;
    const esAccess = (await esKeyward.exchange(esToken, { audience: "edge", ttl: "1h", scopes: [] }))
      .accessToken;
    const check = async (jwt: string, opts: object) => {
      const result = await verifyAccessToken(jwt, opts);
      if (!result.ok) throw new Error(`edge verification failed: ${result.code}`);
    };
    await check(edToken, options);
    await check(esAccess, { jwks, audience: "edge" });

    const table = new Map([[hash("sha256", token, "hex"), key]]);
    const floor = () => {
      if (table.get(hash("sha256", token, "hex")) === undefined) throw new Error("floor lost its key");
    };
    const rounds = ctx.quick ? 3 : 15;
    const roundMs = ctx.quick ? 150 : 600;
    const results = await compareThroughput(
      [
        { label: "floor: sha256 + Map.get", op: floor },
        { label: "keyward verify() (cached)", op: () => keyward.verify(token) },
        { label: "edge verifyAccessToken (EdDSA)", op: () => check(edToken, options) },
        { label: "edge verifyAccessToken (ES256)", op: () => check(esAccess, { jwks, audience: "edge" }) },
      ],
      { rounds, roundMs },
    );
    await Promise.all([keyward.close(), esKeyward.close()]);
    return {
      id: "edge",
      title: this.title,
      unit: "ops/s",
      higherIsBetter: true,
      variants: results,
      ratios: [
        ratio(
          "edge EdDSA / cached verify()",
          results,
          "edge verifyAccessToken (EdDSA)",
          "keyward verify() (cached)",
          null,
        ),
        ratio(
          "edge EdDSA / floor",
          results,
          "edge verifyAccessToken (EdDSA)",
          "floor: sha256 + Map.get",
          null,
        ),
      ],
      notes: [
        "Sequential calls in one process, on Node's Web Crypto. The edge check is a signature verification per request with no store and no cache; cached verify() needs the process to hold the key (an instance near its store).",
        "What the edge saves is the round trip to a store (30 ms or more across regions), not CPU: compare with the postgres and propagation rows.",
      ],
    };
  },
};
