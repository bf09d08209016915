/**
 * A store that was never migrated, or whose connection URL names a database or password the
 * server refuses, says so: once in the log, and in the 503 detail of every verification (and
 * in the error of a management call) — not a generic "try again shortly" with nothing logged.
 */
import { createKeyward, generateToken } from "@keyward/core";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { postgresStore } from "../src/index.js";
import { createPool, DATABASE_URL, randomSchema } from "./helpers.js";

describe("PostgreSQL setup problems", () => {
  const pools: ReturnType<typeof createPool>[] = [];
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it("an unmigrated schema: create() and verify() say to run migrate(), logged once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const pool = createPool();
    pools.push(pool);
    const keyward = createKeyward({
      store: postgresStore({ client: pool, schema: randomSchema("unmigrated") }),
    });
    await expect(keyward.create({ name: "x" })).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("run migrate()"),
    });
    for (let i = 0; i < 3; i++) {
      const result = await keyward.verify(generateToken("sk"));
      expect(result).toMatchObject({
        ok: false,
        code: "unavailable",
        message: expect.stringContaining("run migrate()"),
      });
    }
    const logged = warn.mock.calls.filter((call) => String(call[0]).includes("run migrate()"));
    expect(logged).toHaveLength(1);
    await keyward.close();
  });

  it("a database name the server does not have: the detail says to check DATABASE_URL", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const url = new URL(DATABASE_URL);
    url.pathname = "/keyward_no_such_database";
    const pool = createPool({ connectionString: url.toString() });
    pools.push(pool);
    const keyward = createKeyward({ store: postgresStore({ client: pool }) });
    const result = await keyward.verify(generateToken("sk"));
    expect(result).toMatchObject({
      ok: false,
      code: "unavailable",
      message: expect.stringContaining("check DATABASE_URL"),
    });
    expect(JSON.stringify(result)).not.toContain("keyward_no_such_database");
    await keyward.close();
  });
});
