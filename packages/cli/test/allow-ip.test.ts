import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyward, keywardJson, keywardOk, REDIS_URL, tempDir } from "./helpers/cli.js";
import { expectOneLineFailure } from "./helpers/lifecycle.js";

// --allow-ip on create and update, keys verify --ip, and the start…last4 preview, against Redis.
describe("keyward CLI: --allow-ip and the key preview", () => {
  const prefix = `kwcliip${Math.random().toString(36).slice(2, 10)}`;
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

  it("sets, shows, checks and lifts an allowlist; refuses a bad entry in one line", {
    timeout: 120_000,
  }, async () => {
    const options = { cwd: dir.path };
    const created = await keywardJson<{
      token: string;
      key: { id: string; start: string; allowedIps: string[] | null };
    }>(
      [
        "keys",
        "create",
        "--allow-ip",
        "203.0.113.0/24",
        "--allow-ip",
        "2001:db8::/32,10.0.0.1",
        ...connection,
      ],
      options,
    );
    expect(created.key.allowedIps).toEqual(["203.0.113.0/24", "2001:db8::/32", "10.0.0.1"]);
    const { token, key } = created;

    const verify = (ip: string) =>
      keyward(["keys", "verify", "--ip", ip, ...connection], { ...options, input: token });
    expect((await verify("203.0.113.9")).code).toBe(0);
    expect((await verify("::ffff:10.0.0.1")).code).toBe(0);
    const outside = await verify("192.0.2.1");
    expectOneLineFailure(outside, [token]);
    expect(outside.stderr).toContain("ip_not_allowed");

    const shown = await keywardOk(["keys", "get", key.id, ...connection], options);
    expect(shown.stdout).toContain(`${key.start}…${token.slice(-4)}`);
    expect(shown.stdout).toMatch(/allowed ips\s+203\.0\.113\.0\/24 2001:db8::\/32 10\.0\.0\.1/);
    const table = await keywardOk(["keys", "list", ...connection], options);
    expect(table.stdout).toContain(`${key.start}…${token.slice(-4)}`);
    expect(table.stdout).not.toContain(token);

    const lifted = await keywardJson<{ allowedIps: string[] | null }>(
      ["keys", "update", key.id, "--allow-ip", "any", ...connection],
      options,
    );
    expect(lifted.allowedIps).toBeNull();
    expect((await verify("192.0.2.1")).code).toBe(0);

    const bad = await keyward(["keys", "create", "--allow-ip", "10.0.0.0/33", ...connection], options);
    expectOneLineFailure(bad);
    expect(bad.stderr).toContain("allowedIps[0]");
  });
});
