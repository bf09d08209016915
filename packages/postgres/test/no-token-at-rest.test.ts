import { createHash } from "node:crypto";
import { createKeyward, isKeywardError, memoryStore } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresStore, type QueryClient } from "../src/index.js";
import { createPglite, createPool, dropSchema, randomSchema } from "./helpers.js";

// After keys are created, verified, rotated, imported, updated and revoked, a dump of every
// table holds no token — not whole, and no 12-character piece of its secret part either.
const schema = randomSchema("dump");
const pool = createPool();
beforeAll(async () => {
  await migrate(pool, { schema });
});
afterAll(async () => {
  await pool.end();
  await dropSchema(schema);
});

async function dumpEverything(client: QueryClient): Promise<string> {
  const tables = await client.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
    [schema],
  );
  const dump: Record<string, unknown[]> = {};
  for (const { table_name } of tables.rows as { table_name: string }[]) {
    dump[table_name] = (await client.query(`SELECT * FROM "${schema}"."${table_name}"`, [])).rows;
  }
  return JSON.stringify(dump, (_, value) => (typeof value === "bigint" ? value.toString() : value));
}

/** Every 12-character window of the part of a token that is not shown as `start`. */
const secretPieces = (token: string, start: string): string[] => {
  const secret = token.slice(start.length);
  return Array.from({ length: Math.max(1, secret.length - 11) }, (_, i) => secret.slice(i, i + 12));
};

describe.each(["pg", "pglite"] as const)("no token at rest (%s)", (driver) => {
  it("dumps every table after create, verify, rotate, import, update, revoke: no token anywhere", async () => {
    const client: QueryClient = driver === "pg" ? pool : await createPglite();
    if (driver === "pglite") await migrate(client, { schema });
    const store = postgresStore({ client, schema });
    const keyward = createKeyward({
      store,
      prefix: "sk_dump",
      pepper: driver === "pg" ? "pepper-for-the-dump-test" : undefined,
      legacyTokens: true,
      writeBehind: { interval: "1h" },
    });
    const tokens: { token: string; start: string }[] = [];

    const created = await keyward.create({ name: "created", ownerId: "org_1", quota: { limit: 100 } });
    tokens.push({ token: created.token, start: created.key.start });
    expect((await keyward.verify(created.token)).ok).toBe(true);

    const rotated = await keyward.rotate(created.key.id, { gracePeriod: "1h" });
    tokens.push({ token: rotated.token, start: rotated.key.start });
    expect((await keyward.verify(created.token)).ok).toBe(true); // still in its grace period
    expect((await keyward.verify(rotated.token)).ok).toBe(true);

    // An existing keyward-format token from elsewhere, a legacy token, and a legacy token by its SHA-256.
    const elsewhere = createKeyward({ store: memoryStore(), prefix: "sk_dump" });
    const foreign = (await elsewhere.create()).token;
    await elsewhere.close();
    const imported = await keyward.import({ token: foreign, name: "imported" });
    tokens.push({ token: foreign, start: imported.start });
    const legacy = "legacy-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    const importedLegacy = await keyward.import({ token: legacy, name: "legacy" });
    tokens.push({ token: legacy, start: importedLegacy.start });
    const legacyBySha = "legacy-by-sha-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210";
    await keyward.import({ sha256: createHash("sha256").update(legacyBySha).digest("hex"), name: "by sha" });
    tokens.push({ token: legacyBySha, start: "" });
    for (const { token } of tokens.slice(2)) expect((await keyward.verify(token)).ok).toBe(true);

    // A duplicate import fails with a conflict that names no hash (PostgreSQL's own message would).
    const duplicate = await keyward.import({ token: legacy }).catch((error: unknown) => error);
    expect(isKeywardError(duplicate, "conflict")).toBe(true);
    const described = JSON.stringify(duplicate, Object.getOwnPropertyNames(duplicate as object));
    const hashes = (await client.query(`SELECT hash FROM "${schema}".secrets`, [])).rows.map((r) =>
      String(r.hash),
    );
    expect(hashes.length).toBeGreaterThan(4);
    for (const hash of hashes) expect(described).not.toContain(hash);

    await keyward.update(created.key.id, { metadata: { note: "updated" }, scopes: ["task:read"] });
    await keyward.revoke(imported.id);
    await keyward.flush();

    const dump = await dumpEverything(client);
    expect(dump).toContain(created.key.id); // the dump has the keys...
    expect(dump).toContain("sk_dump"); // ...their display prefix...
    for (const { token, start } of tokens) {
      expect(dump).not.toContain(token);
      for (const piece of secretPieces(token, start)) expect(dump).not.toContain(piece);
    }
    await keyward.close();
  });
});
