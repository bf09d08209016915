// Tests the shipped artifact, not the sources: packs the built packages with pnpm, installs the
// tarballs into a scratch project with npm, then uses them from ESM, from CJS and from a
// TypeScript consumer compiled with node16 resolution. Needs `pnpm build` first (the root
// `pnpm test` builds before it runs the tests).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
/** Every published package: its folder under packages/ and its name on npm. */
const packed = {
  core: "@keyward/core",
  express: "@keyward/express",
  fastify: "@keyward/fastify",
  next: "@keyward/next",
  postgres: "@keyward/postgres",
  redis: "@keyward/redis",
  hono: "@keyward/hono",
  openapi: "@keyward/openapi",
  cli: "keyward",
} as const;
/**
 * The latest release of every peer (required and optional), so that a peer range that
 * excludes a new major fails `npm install` here, as it would for a user.
 */
const peers = ["express", "fastify", "hono", "ioredis", "redis", "pg", "postgres", "@electric-sql/pglite"];
let scratch = "";

const sh = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Like `sh`, without blocking: the packs and registry lookups below run side by side. */
const shAsync = async (command: string, args: string[], cwd: string) =>
  (await promisify(execFile)(command, args, { cwd, encoding: "utf8" })).stdout;

/** The version the registry's `latest` tag points at. */
const latest = async (name: string): Promise<string> =>
  (await shAsync("npm", ["view", name, "version"], root)).trim();

beforeAll(async () => {
  for (const dir of Object.keys(packed)) {
    if (!existsSync(join(root, "packages", dir, "dist", "index.js"))) {
      throw new Error(`packages/${dir}/dist is missing: run \`pnpm build\` before this test`);
    }
  }
  scratch = mkdtempSync(join(tmpdir(), "keyward-scratch-"));
  const [packs, versions] = await Promise.all([
    Promise.all(
      Object.entries(packed).map(async ([dir, name]) => {
        const out = await shAsync(
          "pnpm",
          ["pack", "--pack-destination", scratch],
          join(root, "packages", dir),
        );
        return [name, `file:${out.trim().split("\n").pop()}`] as const;
      }),
    ),
    Promise.all([...peers, "@types/express"].map(async (name) => [name, await latest(name)] as const)),
  ]);
  const tarballs: Record<string, string> = Object.fromEntries(packs);
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({
      name: "scratch",
      private: true,
      dependencies: {
        ...tarballs,
        // Exact versions (a dist-tag would leave `npm ls` unable to check them).
        ...Object.fromEntries(versions),
      },
      // The packages depend on each other by version; point those at the tarballs too.
      overrides: tarballs,
    }),
  );
  // No --legacy-peer-deps: a peer range that excludes the latest release fails here. The
  // versions are exact, so npm may take what its cache already holds (CI starts without one).
  sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], scratch);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const tour = (importLine: string) => `${importLine}
const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test" });
const { token, key } = await keyward.create({ name: "packed", scopes: ["task:read"] });
const ok = await keyward.verify(token, { scopes: ["task:read"] });
const denied = await keyward.verify(token, { scopes: ["task:write"] });
const garbage = await keyward.verify("sk_test_notatoken");
console.log(JSON.stringify({
  token: isKeywardToken(token, "sk_test"),
  start: key.start,
  ok: ok.ok,
  denied: denied.ok ? "allowed" : denied.code,
  garbage: garbage.ok ? "allowed" : garbage.code,
}));
await keyward.close();
`;

describe("packed tarballs", () => {
  const expected = { token: true, ok: true, denied: "insufficient_scope", garbage: "invalid_key" };

  it("work from ESM", () => {
    writeFileSync(
      join(scratch, "esm.mjs"),
      tour('import { createKeyward, memoryStore, isKeywardToken } from "@keyward/core";'),
    );
    const result = JSON.parse(sh("node", ["esm.mjs"], scratch));
    expect(result).toMatchObject(expected);
    expect(result.start).toMatch(/^sk_test_[0-9A-Za-z]{4}$/);
  });

  it("work from CommonJS", () => {
    writeFileSync(
      join(scratch, "cjs.cjs"),
      `(async () => {\n${tour('const { createKeyward, memoryStore, isKeywardToken } = require("@keyward/core");')}\n})();`,
    );
    expect(JSON.parse(sh("node", ["cjs.cjs"], scratch))).toMatchObject(expected);
  });

  it("load the adapters and the testing subpath from both module systems", () => {
    writeFileSync(
      join(scratch, "adapters.mjs"),
      `import { apiKeyAuth } from "@keyward/express";
import { withApiKeyAuth } from "@keyward/next";
import { runStoreContract } from "@keyward/core/testing";
console.log([typeof apiKeyAuth, typeof withApiKeyAuth, typeof runStoreContract].join(","));`,
    );
    writeFileSync(
      join(scratch, "adapters.cjs"),
      `const { apiKeyAuth } = require("@keyward/express");
const { withApiKeyAuth } = require("@keyward/next");
const { runStoreContract } = require("@keyward/core/testing");
console.log([typeof apiKeyAuth, typeof withApiKeyAuth, typeof runStoreContract].join(","));`,
    );
    expect(sh("node", ["adapters.mjs"], scratch).trim()).toBe("function,function,function");
    expect(sh("node", ["adapters.cjs"], scratch).trim()).toBe("function,function,function");
  });

  it("install every package beside the latest release of each peer, with no invalid peer", () => {
    // `npm ls` exits non-zero on a missing or invalid (out of range) peer dependency.
    const tree = JSON.parse(sh("npm", ["ls", "--json", "--depth=0"], scratch)) as {
      dependencies: Record<string, { version: string }>;
    };
    for (const name of [...Object.values(packed), ...peers])
      expect(tree.dependencies[name], name).toBeDefined();
    console.log(peers.map((peer) => `${peer}@${tree.dependencies[peer]!.version}`).join(" "));
  });

  it("import every package from ESM and CommonJS", () => {
    const probes: [string, string][] = [
      ["@keyward/express", "apiKeyAuth"],
      ["@keyward/fastify", "keywardPlugin"],
      ["@keyward/next", "withApiKeyAuth"],
      ["@keyward/hono", "apiKeyAuth"],
      ["@keyward/postgres", "postgresStore"],
      ["@keyward/redis", "redisStore"],
      ["@keyward/openapi", "loadOpenApi"],
      ["keyward", "run"],
    ];
    const esm = probes.map(([name, member], i) => `import { ${member} as m${i} } from "${name}";`);
    esm.push(`console.log([${probes.map((_, i) => `typeof m${i}`).join(", ")}].join(","));`);
    writeFileSync(join(scratch, "every.mjs"), esm.join("\n"));
    const cjs = probes.map(([name, member]) => `typeof require("${name}").${member}`);
    writeFileSync(join(scratch, "every.cjs"), `console.log([${cjs.join(", ")}].join(","));`);
    const expected = probes.map(() => "function").join(",");
    expect(sh("node", ["every.mjs"], scratch).trim()).toBe(expected);
    expect(sh("node", ["every.cjs"], scratch).trim()).toBe(expected);
  });

  it("type-check in a TypeScript consumer with node16 resolution", () => {
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ["consumer.mts"],
      }),
    );
    writeFileSync(
      join(scratch, "consumer.mts"),
      `import { createKeyward, memoryStore, KeywardError, type ApiKey, type KeywardErrorCode } from "@keyward/core";
const keyward = createKeyward({ store: memoryStore(), scopes: { reader: ["task:read"] } as const });
export async function mint(): Promise<ApiKey> {
  const { key } = await keyward.create({ scopes: ["reader"] });
  return key;
}
export const code: KeywardErrorCode = new KeywardError("not_found", "x").code;
`,
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    expect(() => sh("node", [tsc, "-p", "tsconfig.json"], scratch)).not.toThrow();
  });
});
