import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ApiKey, Keyward } from "@keyward/core";
import { expect } from "vitest";
import { type CliOptions, keyward, keywardJson, keywardOk } from "./cli.js";

/** A keyward instance of the test's own over the same database the CLI used. */
export type OpenLibrary = (clockOffsetMs: number) => Promise<{ keyward: Keyward; close(): Promise<void> }>;

const DAY = 86_400_000;

/** Asserts a failed run: non-zero exit, exactly one stderr line, no stack, no secret. */
export function expectOneLineFailure(
  result: { code: number | null; stderr: string },
  secrets: string[] = [],
) {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^keyward: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const secret of secrets) expect(result.stderr).not.toContain(secret);
}

/**
 * The operator's story, spawning the real binary for every step:
 * create → list → get → verify → rotate (old token works until the grace period ends) →
 * revoke → purge → delete; with `full`, also human and --quiet output, filters, paging and
 * the table, disable/enable and update (every spawn costs a process start, so the
 * embedded-database run keeps to the core story).
 */
export async function runLifecycle(
  cwd: string,
  connection: string[],
  openLibrary: OpenLibrary,
  { full }: { full: boolean },
): Promise<void> {
  // Prefix and presets come from keyward.config.json, as the application's would.
  await writeFile(
    join(cwd, "keyward.config.json"),
    JSON.stringify({ prefix: "sk_live", scopes: { reader: ["task:read", "project:read"] } }),
  );
  const options: CliOptions = { cwd };
  const json = <T>(args: string[]) => keywardJson<T>([...args, ...connection], options);
  const verify = (token: string) => keyward(["keys", "verify", ...connection], { ...options, input: token });

  const created = await json<{ token: string; key: ApiKey }>([
    "keys",
    "create",
    "--name",
    "Warehouse sync",
    "--owner",
    "org_1",
    "--scope",
    "reader",
    "--scope",
    "task:write",
    "--expires",
    "90d",
    "--metadata",
    "team=ops",
    "--rate-limit",
    "1000/1m",
    "--rate-limit",
    "search=10/1m",
    "--quota",
    "10000/30d",
  ]);
  expect(created.token).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
  const { key } = created;
  expect(key).toMatchObject({ name: "Warehouse sync", ownerId: "org_1", scopes: ["reader", "task:write"] });
  expect(key.metadata).toEqual({ team: "ops" });
  expect(key.rateLimit?.map((limit) => [limit.name, limit.limit, limit.window])).toEqual([
    ["default", 1000, 60_000],
    ["search", 10, 60_000],
  ]);
  expect(key.quota).toMatchObject({
    limit: 10_000,
    remaining: 10_000,
    refill: { interval: 30 * DAY, amount: 10_000 },
  });
  const expiresIn = new Date(key.expiresAt as unknown as string).getTime() - Date.now();
  expect(Math.abs(expiresIn - 90 * DAY)).toBeLessThan(DAY);

  const others = full ? await fullListing(cwd, connection, created.token, key) : 0;
  if (!full) {
    const listed = await json<{ items: ApiKey[] }>(["keys", "list"]);
    expect(listed.items.map((item) => item.id)).toEqual([key.id]);
  }

  const got = await json<ApiKey>(["keys", "get", key.id]);
  expect(got.id).toBe(key.id);

  const first = await verify(created.token);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain(key.id);

  // Rotation: both tokens work during the grace period; after it, only the new one.
  const rotated = await json<{ token: string; key: ApiKey }>([
    "keys",
    "rotate",
    key.id,
    "--grace-period",
    "24h",
  ]);
  expect(rotated.token).not.toBe(created.token);
  expect(rotated.key.id).toBe(key.id);
  expect((await verify(created.token)).code).toBe(0);
  expect((await verify(rotated.token)).code).toBe(0);
  const later = await openLibrary(25 * 3_600_000);
  try {
    const old = await later.keyward.verify(created.token, { rateLimit: false });
    expect(old.ok === false && old.code).toBe("expired_key");
    const fresh = await later.keyward.verify(rotated.token, { rateLimit: false });
    expect(fresh.ok).toBe(true);
  } finally {
    await later.close();
  }

  if (full) await changeKey(cwd, connection, key, [created.token, rotated.token]);

  const revoked = await json<ApiKey>(["keys", "revoke", key.id]);
  expect(revoked.revokedAt).not.toBeNull();
  const afterRevoke = await verify(rotated.token);
  expectOneLineFailure(afterRevoke, [rotated.token]);
  expect(afterRevoke.stderr).toContain("revoked_key");

  // Purge: a key revoked just now is younger than 30 days; with 0d it goes.
  const kept = await json<{ purged: number }>(["purge", "--older-than", "30d"]);
  expect(kept.purged).toBe(0);
  const gone = await json<{ purged: number }>(["purge", "--older-than", "0d"]);
  expect(gone.purged).toBe(1);
  const missing = await keyward(["keys", "get", key.id, ...connection], options);
  expectOneLineFailure(missing);
  expect(missing.code, missing.stderr).toBe(1);

  const remaining = await json<{ items: ApiKey[] }>(["keys", "list"]);
  expect(remaining.items).toHaveLength(others);
  for (const item of remaining.items) {
    const deleted = await json<{ id: string; deleted: boolean }>(["keys", "delete", item.id]);
    expect(deleted).toEqual({ id: item.id, deleted: true });
  }
  expect((await json<{ items: ApiKey[] }>(["keys", "list"])).items).toEqual([]);
}

/** Human and --quiet creation, filters, paging and the aligned table. Returns how many keys it added. */
async function fullListing(cwd: string, connection: string[], token: string, key: ApiKey): Promise<number> {
  const options: CliOptions = { cwd };
  const cli = (args: string[]) => keywardOk([...args, ...connection], options);
  const json = <T>(args: string[]) => keywardJson<T>([...args, ...connection], options);
  // Human mode: the token alone on the first line, exactly once; then the key.
  const human = await cli(["keys", "create", "--name", "second", "--owner", "org_2"]);
  const [firstLine, ...rest] = human.stdout.split("\n");
  expect(firstLine).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
  expect(rest.join("\n")).not.toContain(firstLine);
  expect(human.stdout).toContain("owner");
  // --quiet: only the token, for $(keyward keys create … --quiet).
  const quiet = await cli(["keys", "create", "--owner", "org_2", "--quiet"]);
  expect(quiet.stdout).toMatch(/^sk_live_[0-9A-Za-z]{38}\n$/);
  expect(quiet.stderr).toBe("");

  const all = await json<{ items: ApiKey[]; nextCursor: string | null }>(["keys", "list"]);
  expect(all.items).toHaveLength(3);
  const mine = await json<{ items: ApiKey[] }>(["keys", "list", "--owner", "org_1"]);
  expect(mine.items.map((item) => item.id)).toEqual([key.id]);
  const byScope = await json<{ items: ApiKey[] }>(["keys", "list", "--scope", "task:write"]);
  expect(byScope.items.map((item) => item.id)).toEqual([key.id]);
  const paged = await json<{ items: ApiKey[]; nextCursor: string | null }>(["keys", "list", "--limit", "2"]);
  expect(paged.items).toHaveLength(2);
  expect(paged.nextCursor).toEqual(expect.any(String));
  const table = await cli(["keys", "list"]);
  const tableLines = table.stdout.trimEnd().split("\n");
  expect(tableLines[0]).toMatch(/^ID\s+NAME\s+OWNER\s+PREVIEW\s+SCOPES\s+STATUS\s+EXPIRES\s+LAST USED$/);
  expect(tableLines).toHaveLength(4);
  const statusColumn = tableLines[0]!.indexOf("STATUS");
  for (const line of tableLines.slice(1)) expect(line.slice(statusColumn, statusColumn + 6)).toBe("active");
  expect(table.stdout).toContain(key.start);
  expect(table.stdout).not.toContain(token);

  return 2;
}

/** disable → (rejected) → enable → update. */
async function changeKey(
  cwd: string,
  connection: string[],
  key: ApiKey,
  tokens: [string, string],
): Promise<void> {
  const options: CliOptions = { cwd };
  const cli = (args: string[]) => keywardOk([...args, ...connection], options);
  const json = <T>(args: string[]) => keywardJson<T>([...args, ...connection], options);
  const verify = (token: string) => keyward(["keys", "verify", ...connection], { ...options, input: token });
  const [created, rotated] = tokens;
  const disabled = await json<ApiKey>(["keys", "disable", key.id]);
  expect(disabled.enabled).toBe(false);
  const rejected = await verify(rotated);
  expectOneLineFailure(rejected, [rotated, created]);
  expect(rejected.stderr).toContain("disabled_key");
  await cli(["keys", "enable", key.id]);
  expect((await verify(rotated)).code).toBe(0);

  const updated = await json<ApiKey>([
    "keys",
    "update",
    key.id,
    "--name",
    "Warehouse sync (EU)",
    "--add-scope",
    "project:write",
    "--remove-scope",
    "task:write",
    "--metadata",
    "region=eu",
    "--rate-limit",
    "none",
  ]);
  expect(updated).toMatchObject({
    name: "Warehouse sync (EU)",
    scopes: ["reader", "project:write"],
    rateLimit: [],
  });
  expect(updated.metadata).toEqual({ team: "ops", region: "eu" });
}
