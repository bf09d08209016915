import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyward, keywardJson, REDIS_URL, tempDir } from "./helpers/cli.js";
import { expectOneLineFailure } from "./helpers/lifecycle.js";

describe("keyward CLI against Redis (--redis-url, --redis-prefix)", () => {
  const prefix = `kwcli${Math.random().toString(36).slice(2, 10)}`;
  const connection = ["--redis-url", REDIS_URL, "--redis-prefix", prefix];
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await dir.remove();
  });

  it("creates, verifies, revokes and deletes; migrate has nothing to do", { timeout: 120_000 }, async () => {
    const options = { cwd: dir.path };
    const migrated = await keywardJson<{ store: string; applied: string[] }>(
      ["migrate", ...connection],
      options,
    );
    expect(migrated).toEqual({ store: "redis", applied: [] });

    const created = await keywardJson<{ token: string; key: { id: string } }>(
      ["keys", "create", "--name", "redis key", "--scope", "task:read", ...connection],
      options,
    );
    const verified = await keyward(["keys", "verify", "--json", "--scope", "task:read", ...connection], {
      ...options,
      input: created.token,
    });
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      key: { id: created.key.id, name: "redis key" },
    });

    const wrongScope = await keyward(["keys", "verify", "--scope", "task:write", ...connection], {
      ...options,
      input: created.token,
    });
    expectOneLineFailure(wrongScope, [created.token]);
    expect(wrongScope.stderr).toContain("insufficient_scope");

    await keywardJson(["keys", "revoke", created.key.id], {
      ...options,
      env: { KEYWARD_REDIS_URL: REDIS_URL, KEYWARD_REDIS_PREFIX: prefix },
    });
    const revoked = await keyward(["keys", "verify", "--json", ...connection], {
      ...options,
      input: created.token,
    });
    expect(revoked.code, revoked.stderr).toBe(1);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ ok: false, code: "revoked_key" });
    expectOneLineFailure(revoked, [created.token]);

    const deleted = await keywardJson(["keys", "delete", created.key.id, ...connection], options);
    expect(deleted).toEqual({ id: created.key.id, deleted: true });
    expect(await keywardJson(["keys", "list", ...connection], options)).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});
