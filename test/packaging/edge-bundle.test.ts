// Tests the built `@keyward/core/edge` entry (dist/edge.js) the way an edge runtime sees it: its
// import graph, jose included, must bundle for a platform with no Node built-ins, and the
// bundle must verify a real access token inside a V8 context that has the Web globals and
// nothing of Node (no require, process or Buffer). Needs `pnpm build` first.
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const dist = resolve(import.meta.dirname, "../../packages/core/dist");

interface EdgeModule {
  verifyAccessToken(jwt: string, options: object): Promise<{ ok: boolean; code?: string }>;
  createEdgeAuth(options: object): (request: Request) => Promise<{ ok: boolean; response?: Response }>;
}

/** The parts of the built @keyward/core this test calls. */
interface BuiltCore {
  memoryStore(): object;
  createKeyward(options: object): {
    create(input: object): Promise<{ token: string }>;
    exchange(token: string, options: object): Promise<{ accessToken: string }>;
    jwks(): object;
    close(): Promise<void>;
  };
}

let bundle = "";

beforeAll(async () => {
  if (!existsSync(join(dist, "edge.js"))) {
    throw new Error("packages/core/dist is missing: run `pnpm build` before this test");
  }
  // platform "neutral": no Node built-in resolves, so a `node:` import anywhere fails the build.
  const result = await build({
    entryPoints: [join(dist, "edge.js")],
    bundle: true,
    platform: "neutral",
    format: "iife",
    globalName: "keywardEdge",
    write: false,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]!.text;
});

/** A context with the Web platform globals an edge runtime offers, and nothing of Node. */
function edgeContext() {
  const context = createContext({
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    URL,
    Headers,
    Request,
    Response,
    fetch,
    atob,
    btoa,
    structuredClone,
    AbortController,
    AbortSignal,
    setTimeout,
    clearTimeout,
  });
  runInContext(bundle, context);
  return context as { keywardEdge: EdgeModule };
}

describe("@keyward/core/edge bundle", () => {
  it("imports no Node built-in", () => {
    // The bundler writes built-ins with or without the "node:" scheme (core's index.js has `from 'crypto'`).
    const specifiers = /(?:\bfrom\s*|\bimport\(\s*|\brequire\(\s*)["']([^"']+)["']/g;
    const builtinsIn = (file: string) =>
      [...readFileSync(join(dist, file), "utf8").matchAll(specifiers)]
        .map((match) => match[1]!)
        .filter((name) => name.startsWith("node:") || builtinModules.includes(name.split("/")[0]!));
    expect(builtinsIn("index.js")).toContain("crypto"); // the check sees them where they are
    expect(builtinsIn("edge.js")).toEqual([]);
    expect(builtinsIn("edge.cjs")).toEqual([]);
    expect(bundle).not.toMatch(/["']node:/);
  });

  it("verifies an access token from exchange() in a context without require, process or Buffer", async () => {
    const { createKeyward, memoryStore } = (await import(join(dist, "index.js"))) as BuiltCore;
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const { kty, crv, x, d } = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const jwk = { kty, crv, x, d, kid: "k1", alg: "EdDSA" } as never;
    const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", signingKeys: [jwk] });
    const { token } = await keyward.create({ scopes: ["task:read"] });
    const { accessToken } = await keyward.exchange(token, { audience: "edge" });

    const context = edgeContext();
    expect(runInContext("[typeof require, typeof process, typeof Buffer, typeof module]", context)).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
    const edge = context.keywardEdge;
    const jwks = keyward.jwks();
    expect(await edge.verifyAccessToken(accessToken, { jwks, audience: "edge" })).toMatchObject({ ok: true });
    expect(await edge.verifyAccessToken(accessToken, { jwks, audience: "other" })).toMatchObject({
      ok: false,
      code: "invalid_key",
    });
    const auth = edge.createEdgeAuth({ jwks, audience: "edge", scopes: ["task:write"] });
    const outcome = await auth(
      new Request("https://edge.test/", { headers: { authorization: `Bearer ${accessToken}` } }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.response?.status).toBe(403);
    await keyward.close();
  });
});
