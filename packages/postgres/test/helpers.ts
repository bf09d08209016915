/**
 * Test helpers: a pg Pool on the machine's PostgreSQL, a fresh schema per test file (random
 * suffix) dropped afterwards, and PGlite instances.
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema name no other test file uses. */
export const randomSchema = (label: string): string => `kw_${label}_${randomBytes(4).toString("hex")}`;

/** A pool that survives connections dropped under it (the outage tests drop them on purpose). */
export function createPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10, ...options });
  pool.on("error", () => {});
  return pool;
}

export async function dropSchema(schema: string): Promise<void> {
  const pool = createPool({ max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

export async function createPglite(): Promise<PGlite> {
  const db = new PGlite();
  await db.waitReady;
  return db;
}
