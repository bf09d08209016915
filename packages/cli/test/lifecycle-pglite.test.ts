import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { createKeyward } from "@keyward/core";
import { postgresStore } from "@keyward/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keywardOk, tempDir } from "./helpers/cli.js";
import { runLifecycle } from "./helpers/lifecycle.js";

describe("keyward CLI on the embedded PGlite database (no connection flags)", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it("keeps keys in ./.keyward and runs create → list → rotate → revoke → purge", {
    timeout: 300_000,
  }, async () => {
    const migrated = await keywardOk(["migrate"], { cwd: dir.path });
    expect(migrated.stdout).toMatch(/applied|up to date/);
    await runLifecycle(
      dir.path,
      [],
      async (offset) => {
        // The CLI has exited: the test opens the same data directory with the library.
        const db = await PGlite.create(join(dir.path, ".keyward"));
        const keyward = createKeyward({
          store: postgresStore({ client: db, listen: false }),
          prefix: "sk_live",
          cache: false,
          clock: () => Date.now() + offset,
        });
        return {
          keyward,
          async close() {
            await keyward.close();
            await db.close();
          },
        };
      },
      { full: false },
    );
  });
});
