import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateToken } from "@keyward/core";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE_URL, keyward, randomSchema, runCaptured, tempDir } from "./helpers/cli.js";
import { expectOneLineFailure } from "./helpers/lifecycle.js";

const token = generateToken("sk_live");

/** Mistakes in the command line itself: exit 2, one line, and no database is ever opened. */
const USAGE: [string, string[], RegExp][] = [
  ["unknown command", ["frobnicate"], /unknown command "frobnicate"/],
  ["unknown subcommand", ["keys", "frob"], /unknown command "keys frob"/],
  ["unknown flag", ["keys", "list", "--bogus"], /unknown option --bogus/],
  ["flag without its value", ["keys", "create", "--name"], /--name needs a value/],
  ["boolean flag given a value", ["keys", "list", "--json=yes"], /--json does not take a value/],
  ["bad duration", ["keys", "create", "--expires", "9x"], /"--expires" must be a duration/],
  ["bad scope", ["keys", "create", "--scope", "not a scope"], /bad scope "not a scope"/],
  ["unknown preset", ["keys", "create", "--scope", "reader"], /bad scope "reader"/],
  ["malformed --rate-limit", ["keys", "create", "--rate-limit", "10"], /--rate-limit must look like/],
  ["bad --rate-limit window", ["keys", "create", "--rate-limit", "10/1x"], /--rate-limit window/],
  ["bad --rate-limit algorithm", ["keys", "create", "--rate-limit", "10/1m:leaky"], /algorithm must be/],
  [
    "repeated limit name",
    ["keys", "create", "--rate-limit", "1/1s", "--rate-limit", "2/1m"],
    /names "default" twice/,
  ],
  ["malformed --quota", ["keys", "create", "--quota", "lots"], /--quota must look like/],
  ["bad --metadata", ["keys", "create", "--metadata", "novalue"], /--metadata must look like/],
  ["--quiet with --json", ["keys", "create", "--quiet", "--json"], /cannot be combined/],
  ["expiry in the past", ["keys", "create", "--expires", "2001-01-01"], /must be in the future/],
  ["missing id", ["keys", "get"], /needs <id>/],
  ["too many arguments (a token, never echoed)", ["keys", "list", token], /too many arguments/],
  ["purge without --older-than", ["purge"], /purge needs --older-than/],
  [
    "bad --grace-period",
    ["keys", "rotate", "key_x", "--grace-period", "soon"],
    /"--grace-period" must be a duration/,
  ],
  ["--limit out of range", ["keys", "list", "--limit", "0"], /--limit must be a whole number/],
  ["--enabled with --disabled", ["keys", "list", "--enabled", "--disabled"], /cannot be combined/],
  ["nothing to update", ["keys", "update", "key_x"], /nothing to update/],
  ["bad --schema", ["keys", "list", "--schema", "Bad-Schema"], /schema must be/],
  [
    "two connections at once",
    ["keys", "list", "--database-url", "postgres://x", "--redis-url", "redis://x"],
    /both/,
  ],
  ["bad --format", ["import", "x.csv", "--format", "xml"], /--format must be csv or jsonl/],
  ["missing command", ["--json"], /missing command/],
];

/** Usage mistakes that also go through the real binary: its exit code, its stderr. */
const SPAWNED_USAGE = new Set(["unknown command", "too many arguments (a token, never echoed)"]);

const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => dir.remove()));
});
const cwd = async () => {
  const dir = await tempDir();
  dirs.push(dir);
  return dir.path;
};

/** Exit 2, one stderr line that says why, nothing on stdout, and no embedded database created. */
async function expectUsageFailure(
  result: { code: number | null; stdout: string; stderr: string },
  message: RegExp,
  path: string,
) {
  expect(result.code, result.stderr).toBe(2);
  expectOneLineFailure(result, [token]);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe("");
  await expect(access(join(path, ".keyward"))).rejects.toThrow();
}

// A usage mistake is decided by run() before any store is opened, so these run in-process
// through run(argv, io): milliseconds each, where a spawned binary costs a Node start. They run
// one after another (run() swaps console.warn while it runs). The spawned binary is kept below
// for a few usage mistakes, for the operational failures and for KEYWARD_DEBUG, where what the
// process itself writes (and the exit code it ends with) is the point.
describe("every usage mistake, in-process: exit 2 and exactly one line on stderr, never a stack", () => {
  for (const [title, args, message] of USAGE) {
    it(`usage: ${title} → exit 2`, async () => {
      const path = await cwd();
      await expectUsageFailure(await runCaptured(args, path), message, path);
    });
  }

  it("config file that is not JSON → exit 2", async () => {
    const path = await cwd();
    await writeFile(join(path, "keyward.config.json"), "{ prefix: sk_live");
    const result = await runCaptured(["keys", "list"], path);
    expect(result.code, result.stderr).toBe(2);
    expectOneLineFailure(result);
    expect(result.stderr).toMatch(/is not valid JSON/);
  });

  it("config file with an unknown field → exit 2", async () => {
    const path = await cwd();
    await writeFile(join(path, "keyward.config.json"), JSON.stringify({ prefx: "sk_live" }));
    const result = await runCaptured(["keys", "list"], path);
    expect(result.code, result.stderr).toBe(2);
    expectOneLineFailure(result);
    expect(result.stderr).toMatch(/unknown field "prefx"/);
  });
});

describe.concurrent("the real binary: a non-zero exit code and exactly one line on stderr, never a stack", () => {
  const schema = randomSchema();
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  for (const [title, args, message] of USAGE.filter(([title]) => SPAWNED_USAGE.has(title))) {
    it(`usage: ${title} → exit 2`, { timeout: 120_000 }, async () => {
      const path = await cwd();
      await expectUsageFailure(await keyward(args, { cwd: path }), message, path);
    });
  }

  const db = () => ["--database-url", DATABASE_URL, "--schema", schema];
  const OPERATIONAL: [
    string,
    string[],
    RegExp,
    { input?: string; setup?: (dir: string) => Promise<void> }?,
  ][] = [
    ["unknown id (get)", ["keys", "get", "key_doesnotexist", ...db()], /no key with id "key_doesnotexist"/],
    ["unknown id (revoke)", ["keys", "revoke", "key_doesnotexist", ...db()], /not found|no key/i],
    ["unknown id (rotate)", ["keys", "rotate", "key_doesnotexist", ...db()], /not found|no key/i],
    ["unknown id (update)", ["keys", "update", "key_doesnotexist", "--add-scope", "a:b", ...db()], /no key/],
    [
      "a token that is not in the store",
      ["keys", "verify", ...db()],
      /token rejected: invalid_key/,
      { input: token },
    ],
    [
      "unreachable PostgreSQL",
      ["keys", "list", "--database-url", "postgres://postgres@127.0.0.1:1/test"],
      /cannot reach the database/,
    ],
    ["unreachable Redis", ["keys", "list", "--redis-url", "redis://127.0.0.1:1"], /cannot reach Redis/],
    ["unreadable import file", ["import", "missing.csv"], /cannot read missing\.csv \(ENOENT\)/],
    [
      "missing --config file",
      ["keys", "list", "--config", "nope.json"],
      /cannot read config file .*nope\.json/,
    ],
  ];
  for (const [title, args, message, extra] of OPERATIONAL) {
    it(`operational: ${title} → exit 1`, { timeout: 120_000 }, async () => {
      const path = await cwd();
      await extra?.setup?.(path);
      const result = await keyward(args, {
        cwd: path,
        ...(extra?.input !== undefined && { input: extra.input }),
      });
      expect(result.code, result.stderr).toBe(1);
      expectOneLineFailure(result, [token]);
      expect(result.stderr).toMatch(message);
    });
  }

  it("KEYWARD_DEBUG=1 adds the stack trace, still without the token", { timeout: 60_000 }, async () => {
    const result = await keyward(["keys", "list", token, "--limit", "0"], {
      cwd: await cwd(),
      env: { KEYWARD_DEBUG: "1" },
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(token);
  });
});
