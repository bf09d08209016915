import { createKeyward } from "@keyward/core";
import { postgresStore } from "@keyward/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_URL, keywardOk, randomSchema, tempDir } from "./helpers/cli.js";
import { runLifecycle } from "./helpers/lifecycle.js";

describe("keyward CLI against PostgreSQL (--database-url, --schema)", () => {
  const schema = randomSchema();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
    await dir.remove();
  });

  it("runs create → list → rotate → revoke → purge with migrations applied automatically", {
    timeout: 300_000,
  }, async () => {
    await runLifecycle(
      dir.path,
      ["--database-url", DATABASE_URL, "--schema", schema],
      async (offset) => {
        const keyward = createKeyward({
          store: postgresStore({ client: pool, schema, listen: false }),
          prefix: "sk_live",
          cache: false,
          clock: () => Date.now() + offset,
        });
        return { keyward, close: () => keyward.close() };
      },
      { full: true },
    );
    // The automatic migration created the schema; an explicit migrate finds nothing to do.
    const again = await keywardOk(["migrate", "--database-url", DATABASE_URL, "--schema", schema], {
      cwd: dir.path,
    });
    expect(again.stdout).toBe("schema is up to date\n");
  });

  it("reads the connection from KEYWARD_DATABASE_URL and KEYWARD_SCHEMA", { timeout: 60_000 }, async () => {
    const env = { KEYWARD_DATABASE_URL: DATABASE_URL, KEYWARD_SCHEMA: schema };
    const empty = await tempDir();
    const { stdout } = await keywardOk(["keys", "create", "--name", "from env", "--quiet"], {
      cwd: empty.path,
      env,
    });
    await empty.remove();
    const token = stdout.trim();
    const keyward = createKeyward({
      store: postgresStore({ client: pool, schema, listen: false }),
      cache: false,
    });
    try {
      const result = await keyward.verify(token, { rateLimit: false });
      expect(result.ok && result.key.name).toBe("from env");
    } finally {
      await keyward.close();
    }
  });
});
