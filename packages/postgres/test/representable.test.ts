import { createKeyward, KeywardError } from "@keyward/core";
import type { StoredKey } from "@keyward/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresStore } from "../src/index.js";
import { createPool, dropSchema, randomSchema } from "./helpers.js";

// A value PostgreSQL refuses is the value's fault, never an outage; and a row no validation
// would let in today (written by an older version or by hand) cannot make a read fail.
const schema = randomSchema("repr");
const pool = createPool({ max: 4 });
const store = postgresStore({ client: pool, schema, listen: false });
const keyward = createKeyward({ store, prefix: "sk_repr", cache: false });

beforeAll(async () => {
  await migrate(pool, { schema });
});
afterAll(async () => {
  await keyward.close();
  await pool.end();
  await dropSchema(schema);
});

const stored = (id: string, overrides: Partial<StoredKey> = {}): StoredKey => ({
  id,
  name: null,
  ownerId: "org_repr",
  prefix: "sk_repr",
  start: "sk_repr_abc",
  last4: "",
  allowedIps: null,
  scopes: [],
  metadata: {},
  enabled: true,
  createdAt: Date.now(),
  updatedAt: Date.now(),
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  usageCount: 0,
  rateLimit: null,
  quota: null,
  ...overrides,
});

describe("PostgreSQL and values it cannot represent", () => {
  it("reports a NUL character the database refuses as invalid_request, not unavailable", async () => {
    const key = stored(`key_nul${Date.now()}`, { name: "a\u0000b" });
    let refused: unknown;
    try {
      await store.insertKey(key, { hash: "e".repeat(64), keyId: key.id, createdAt: 0, expiresAt: null });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(KeywardError);
    expect((refused as KeywardError).code).toBe("invalid_request");
    // Through keyward the same input never reaches the database.
    const viaKeyward = await keyward.create({ name: "a\u0000b" }).catch((error: unknown) => error);
    expect((viaKeyward as KeywardError).code).toBe("invalid_request");
  });

  it("still lists an owner's keys when one row holds an expiry past any Date and 10,000-deep metadata", async () => {
    const { key: good } = await keyward.create({ ownerId: "org_poison", name: "good" });
    const id = `${good.id}z`;
    await store.insertKey(stored(id, { ownerId: "org_poison", name: "poisoned" }), {
      hash: "d".repeat(64),
      keyId: id,
      createdAt: 0,
      expiresAt: null,
    });
    const deep = `${'{"a":'.repeat(10_000)}{}${"}".repeat(10_000)}`;
    await pool.query(`UPDATE "${schema}".keys SET expires_at = $2, metadata = $3::json WHERE id = $1`, [
      id,
      "8640000000000000000",
      deep,
    ]);
    const page = await keyward.list({ ownerId: "org_poison" });
    expect(page.items.map((k) => k.name).sort()).toEqual(["good", "poisoned"]);
    expect(await keyward.get(id)).not.toBeNull();
  });
});
