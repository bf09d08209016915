import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { tempDir } from "./helpers/cli.js";

describe("configuration precedence: flags > environment > keyward.config.json > defaults", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(
      join(dir.path, "keyward.config.json"),
      JSON.stringify({
        prefix: "sk_file",
        pepper: "file-pepper",
        scopes: { reader: ["task:read"] },
        databaseUrl: "postgres://file/db",
        schema: "from_file",
      }),
    );
    await mkdir(join(dir.path, "conf"));
    await writeFile(
      join(dir.path, "conf", "other.json"),
      JSON.stringify({ redisUrl: "redis://other", dataDir: "data" }),
    );
  });
  afterAll(() => dir.remove());

  it("uses the file when nothing else is set", async () => {
    const config = await loadConfig({}, {}, dir.path);
    expect(config).toEqual({
      connection: { kind: "postgres", url: "postgres://file/db", schema: "from_file" },
      autoMigrate: true,
      legacyTokens: false,
      prefix: "sk_file",
      pepper: ["file-pepper"],
      scopes: { reader: ["task:read"] },
    });
  });

  it("lets the environment override the file, and a comma-separated KEYWARD_PEPPER become a list", async () => {
    const env = {
      KEYWARD_PREFIX: "sk_env",
      KEYWARD_PEPPER: "new, old",
      KEYWARD_REDIS_URL: "redis://env",
      KEYWARD_AUTO_MIGRATE: "false",
    };
    const config = await loadConfig({}, env, dir.path);
    expect(config.prefix).toBe("sk_env");
    expect(config.pepper).toEqual(["new", "old"]);
    expect(config.connection).toEqual({ kind: "redis", url: "redis://env" });
    expect(config.autoMigrate).toBe(false);
  });

  it("lets flags override both", async () => {
    const env = { KEYWARD_PREFIX: "sk_env", KEYWARD_REDIS_URL: "redis://env", KEYWARD_SCHEMA: "from_env" };
    const flags = { prefix: "sk_flag", "database-url": "postgres://flag/db", "no-migrate": true };
    const config = await loadConfig(flags, env, dir.path);
    expect(config.prefix).toBe("sk_flag");
    expect(config.connection).toEqual({ kind: "postgres", url: "postgres://flag/db", schema: "from_env" });
    expect(config.autoMigrate).toBe(false);
  });

  it("falls back to an embedded PGlite directory; --config files resolve dataDir next to themselves", async () => {
    const empty = await tempDir();
    try {
      expect((await loadConfig({}, {}, empty.path)).connection).toEqual({
        kind: "pglite",
        dataDir: join(empty.path, ".keyward"),
      });
    } finally {
      await empty.remove();
    }
    const viaEnv = await loadConfig(
      { "redis-url": undefined },
      { KEYWARD_CONFIG: "conf/other.json" },
      dir.path,
    );
    expect(viaEnv.connection).toEqual({ kind: "redis", url: "redis://other" });
    const withFlag = await loadConfig(
      { config: "conf/other.json", "database-url": "postgres://x/y" },
      {},
      dir.path,
    );
    expect(withFlag.connection).toEqual({ kind: "postgres", url: "postgres://x/y" });
  });

  it("rejects a level that names both PostgreSQL and Redis", async () => {
    await expect(
      loadConfig({}, { KEYWARD_DATABASE_URL: "postgres://a", KEYWARD_REDIS_URL: "redis://b" }, dir.path),
    ).rejects.toThrow(/both a PostgreSQL and a Redis URL/);
  });
});
