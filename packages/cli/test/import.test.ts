import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createKeyward, generateToken, TOKEN_PATTERN } from "@keyward/core";
import { postgresStore } from "@keyward/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_URL, keyward, keywardOk, randomSchema, tempDir } from "./helpers/cli.js";
import { generateJsonlImport } from "./helpers/import-file.js";
import { expectOneLineFailure } from "./helpers/lifecycle.js";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("keyward import", () => {
  const schema = randomSchema();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 16 });
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
    await dir.remove();
  });

  it("imports a 10,000-line JSONL file with duplicates and malformed lines, and the keys verify", {
    timeout: 300_000,
  }, async () => {
    const file = generateJsonlImport(10_000);
    await writeFile(join(dir.path, "keys.jsonl"), file.text);
    const connection = ["--database-url", DATABASE_URL, "--schema", schema];

    const result = await keyward(["import", "keys.jsonl", "--json", ...connection], { cwd: dir.path });
    // The exit code first, with stderr as the message: a crash then reads as itself, not as
    // "Unexpected end of JSON input". Some failures exist, so the code is 1.
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      imported: number;
      skipped: number;
      failed: number;
      failures: { line: number; message: string }[];
    };
    expect(report.imported).toBe(file.expected.imported);
    expect(report.skipped).toBe(file.expected.skipped);
    expect(report.failed).toBe(file.expected.failedLines.length);
    expect(report.failures.map((failure) => failure.line)).toEqual(file.expected.failedLines);
    // Some failures exist, so the exit code says so — in one stderr line.
    expectOneLineFailure(result);
    // Malformed lines carried tokens; no token or digest is ever echoed back.
    expect(result.stdout).not.toMatch(TOKEN_PATTERN);
    expect(result.stdout).not.toMatch(/[0-9a-f]{64}/);

    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".keys`);
    expect(rows[0].n).toBe(file.expected.imported);

    // Imported keys verify with the library on the same database: plaintext and hashed alike.
    // A generous store deadline: this checks what was imported, not latency, and hundreds of
    // verifications at once queue for the pool's connections on a busy machine.
    const library = createKeyward({
      store: postgresStore({ client: pool, schema, listen: false }),
      cache: false,
      timeout: "30s",
    });
    try {
      const sample = [
        ...file.tokens.plaintext.filter((_, i) => i % 20 === 0),
        ...file.tokens.hashed.filter((_, i) => i % 20 === 0),
      ];
      const results = await Promise.all(sample.map((token) => library.verify(token, { rateLimit: false })));
      expect(results.filter((outcome) => !outcome.ok)).toEqual([]);
      const first = results[0];
      expect(first?.ok && first.key.scopes).toEqual(["task:read"]);
      expect((await library.verify(generateToken("sk"), { rateLimit: false })).ok).toBe(false);
    } finally {
      await library.close();
    }
    // …and with the CLI's own verify.
    for (const token of [file.tokens.plaintext.at(-1)!, file.tokens.hashed.at(-1)!]) {
      const verified = await keyward(["keys", "verify", ...connection], { cwd: dir.path, input: token });
      expect(verified.code, verified.stderr).toBe(0);
    }
  });

  it("imports CSV with a header, quoted fields and SHA-256 hashes; a second run skips everything", {
    timeout: 300_000,
  }, async () => {
    const csvDir = await tempDir();
    try {
      const plain = generateToken("sk");
      const hashed = generateToken("sk");
      const csv = [
        "token,sha256,name,owner,scopes,expires_at,metadata",
        `${plain},,"Sync, EU",org_1,task:read task:write,2099-01-01T00:00:00Z,"{""team"":""ops""}"`,
        `,${sha256(hashed).toUpperCase()},"multi`,
        `line name",org_2,task:read,,`,
        `${plain},,duplicate of line 2,org_1,,,`,
        `,nothex,bad hash,org_1,,,`,
        `${generateToken("sk")},,too,many,fields,,,,`,
        "",
      ].join("\n");
      await writeFile(join(csvDir.path, "legacy.csv"), csv);

      const first = await keyward(["import", "legacy.csv"], { cwd: csvDir.path });
      expect(first.code, first.stderr).toBe(1);
      expect(first.stdout).toContain("imported 2, skipped 1 (duplicates), failed 2\n");
      expect(first.stdout).toContain("line 6: sha256 must be 64 hexadecimal characters\n");
      expect(first.stdout).toMatch(/line 7: has 9 fields, the header has 7\n/);
      expect(first.stdout).toContain("failed lines: 6, 7\n");
      expectOneLineFailure(first, [plain, hashed]);

      const second = await keyward(["import", "legacy.csv", "--json"], { cwd: csvDir.path });
      expect(second.code, second.stderr).toBe(1);
      expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, skipped: 3, failed: 2 });

      const list = JSON.parse((await keywardOk(["keys", "list", "--json"], { cwd: csvDir.path })).stdout) as {
        items: {
          name: string;
          ownerId: string;
          scopes: string[];
          metadata: unknown;
          expiresAt: string | null;
        }[];
      };
      const byName = Object.fromEntries(list.items.map((item) => [item.name, item]));
      expect(byName["Sync, EU"]).toMatchObject({
        ownerId: "org_1",
        scopes: ["task:read", "task:write"],
        metadata: { team: "ops" },
        expiresAt: "2099-01-01T00:00:00.000Z",
      });
      expect(byName["multi\nline name"]).toMatchObject({ ownerId: "org_2", scopes: ["task:read"] });
      for (const token of [plain, hashed]) {
        expect((await keyward(["keys", "verify"], { cwd: csvDir.path, input: token })).code).toBe(0);
      }
    } finally {
      await csvDir.remove();
    }
  });

  it("rejects an unknown CSV column before importing anything (exit 2)", { timeout: 60_000 }, async () => {
    const badDir = await tempDir();
    try {
      await writeFile(join(badDir.path, "bad.csv"), "token,colour\nabc,red\n");
      const result = await keyward(["import", "bad.csv", "--no-migrate", "--data-dir", "db"], {
        cwd: badDir.path,
      });
      expect(result.code, result.stderr).toBe(2);
      expectOneLineFailure(result);
      expect(result.stderr).toContain('unknown column "colour"');
    } finally {
      await badDir.remove();
    }
  });
});
