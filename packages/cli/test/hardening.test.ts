/**
 * CLI fixes found by using keyward from the outside: the embedded database directory is
 * private, refused inputs say why in one line (a Redis database the server lacks, a negative
 * expiry, a zero quota, a MySQL URL), imports refuse tokens that could never verify, and
 * rotate says when the old token stops working.
 */
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyward, keywardJson, REDIS_URL, tempDir } from "./helpers/cli.js";
import { expectOneLineFailure } from "./helpers/lifecycle.js";

describe("keyward CLI hardening", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it("creates the embedded .keyward/ directory for its owner only (0700)", { timeout: 120_000 }, async () => {
    await keywardJson(["keys", "create", "--name", "private"], { cwd: dir.path });
    const mode = (await stat(join(dir.path, ".keyward"))).mode & 0o777;
    expect(mode.toString(8)).toBe("700");
  });

  it("rotate says when the old token stops working", { timeout: 120_000 }, async () => {
    const created = await keywardJson<{ key: { id: string } }>(["keys", "create", "--name", "r"], {
      cwd: dir.path,
    });
    const rotated = await keyward(["keys", "rotate", created.key.id, "--grace-period", "24h"], {
      cwd: dir.path,
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(
      /The old token keeps working until \d{4}-\d{2}-\d{2}T[\d:.]+Z \(24h\), then stops\./,
    );
    const json = await keywardJson<{ previousTokenExpiresAt: string }>(["keys", "rotate", created.key.id], {
      cwd: dir.path,
    });
    expect(Math.abs(Date.parse(json.previousTokenExpiresAt) - Date.now())).toBeLessThan(60_000);
  });

  it("import refuses a keyward-format token whose checksum does not match", {
    timeout: 120_000,
  }, async () => {
    const file = join(dir.path, "bad.jsonl");
    // The example docs/cli.md used to show: right shape and prefix, wrong checksum.
    await writeFile(file, '{"token": "sk_live_8ZergJ5X935tWWBYxnXyz7ol0CCmwlmA01uJN7", "name": "Sync"}\n');
    const result = await keyward(["import", file, "--prefix", "sk_live"], { cwd: dir.path });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout + result.stderr).toContain("checksum does not match");
    expect(result.stdout + result.stderr).not.toContain("8ZergJ5X935tWWBYxnXyz7ol0CCmwlmA01uJN7");
  });

  it("--redis-url …/99 refuses clearly when Redis has no database 99", { timeout: 60_000 }, async () => {
    const result = await keyward(["keys", "list", "--redis-url", `${REDIS_URL}/99`], { cwd: dir.path });
    expectOneLineFailure(result);
    expect(result.stderr).toContain("cannot select database 99");
  });

  it("a mysql:// URL is refused by name, not sent to port 5432", async () => {
    const result = await keyward(["keys", "list", "--database-url", "mysql://root@127.0.0.1/app"], {
      cwd: dir.path,
    });
    expectOneLineFailure(result);
    expect(result.stderr).toContain("must start with postgres:// or postgresql:// (got mysql://)");
  });

  it("--expires -1d and --quota 0 get a clear message", async () => {
    const dash = await keyward(["keys", "create", "--expires", "-1d"], { cwd: dir.path });
    expectOneLineFailure(dash);
    expect(dash.stderr).toContain(
      '--expires needs a value; one that starts with "-" must be written --expires=<value>',
    );
    const negative = await keyward(["keys", "create", "--expires=-1d"], { cwd: dir.path });
    expectOneLineFailure(negative);
    expect(negative.stderr).toContain("--expires must be in the future");
    const zero = await keyward(["keys", "create", "--quota", "0"], { cwd: dir.path });
    expectOneLineFailure(zero);
    expect(zero.stderr).toContain("--quota limit must be at least 1");
  });
});
