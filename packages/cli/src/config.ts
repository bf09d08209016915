import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CliError, UsageError } from "./errors.js";

/**
 * The shape of `keyward.config.json`. Every field is optional; flags and environment
 * variables override it (flags > env > file > defaults).
 *
 * @example
 * {
 *   "prefix": "sk_live",
 *   "scopes": { "read": ["project:read", "task:read"] },
 *   "databaseUrl": "postgres://keyward@db.internal/app"
 * }
 */
export interface KeywardConfigFile {
  /** Token prefix of newly created keys. @defaultValue "sk" */
  prefix?: string;
  /** HMAC pepper(s), current first. Prefer `KEYWARD_PEPPER` over writing secrets to a file. */
  pepper?: string | string[];
  /** Scope presets, exactly as the application passes them to `createKeyward()`. */
  scopes?: Record<string, string[]>;
  /** Accept tokens that are not in keyward's format (imported legacy keys) in `keys verify`. */
  legacyTokens?: boolean;
  /** PostgreSQL connection string. */
  databaseUrl?: string;
  /** Redis connection string. */
  redisUrl?: string;
  /** PostgreSQL schema of keyward's tables (PostgreSQL and PGlite). */
  schema?: string;
  /** Prefix of keyward's table names (PostgreSQL and PGlite). */
  tablePrefix?: string;
  /** Prefix of keyward's Redis keys. */
  redisPrefix?: string;
  /** Directory of the embedded PGlite database, relative to this file. @defaultValue ".keyward" */
  dataDir?: string;
  /** Whether commands apply pending PostgreSQL migrations first. @defaultValue true */
  autoMigrate?: boolean;
}

/** Where keys are stored, resolved from flags, environment, file and defaults. */
export type Connection =
  | { kind: "postgres"; url: string; schema?: string; tablePrefix?: string }
  | { kind: "pglite"; dataDir: string; schema?: string; tablePrefix?: string }
  | { kind: "redis"; url: string; prefix?: string };

/** Everything a command needs to open the store and build a keyward instance. */
export interface CliConfig {
  connection: Connection;
  autoMigrate: boolean;
  prefix?: string;
  pepper?: string[];
  scopes?: Record<string, string[]>;
  legacyTokens: boolean;
}

/** The connection and keyward flags every command accepts. */
export interface ConfigFlags {
  config?: string;
  "database-url"?: string;
  "redis-url"?: string;
  schema?: string;
  "table-prefix"?: string;
  "redis-prefix"?: string;
  "data-dir"?: string;
  prefix?: string;
  "no-migrate"?: boolean;
}

const FILE_NAME = "keyward.config.json";
const FILE_KEYS = new Set([
  "$schema",
  "prefix",
  "pepper",
  "scopes",
  "legacyTokens",
  "databaseUrl",
  "redisUrl",
  "schema",
  "tablePrefix",
  "redisPrefix",
  "dataDir",
  "autoMigrate",
]);

/**
 * Resolves the configuration: flags > environment (`KEYWARD_*`) > `keyward.config.json`
 * (in `cwd`, or `--config` / `KEYWARD_CONFIG`) > defaults. The connection comes from the
 * first of those levels that names one; one level naming both PostgreSQL and Redis is an error.
 */
export async function loadConfig(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<CliConfig> {
  const explicit = flags.config ?? nonEmpty(env.KEYWARD_CONFIG);
  const filePath = resolve(cwd, explicit ?? FILE_NAME);
  const file = await readConfigFile(filePath, explicit !== undefined);
  const fileDir = dirname(filePath);

  const fromEnv = {
    database: nonEmpty(env.KEYWARD_DATABASE_URL),
    redis: nonEmpty(env.KEYWARD_REDIS_URL),
  };
  const database = pickConnection([
    ["flags", flags["database-url"], flags["redis-url"]],
    ["environment", fromEnv.database, fromEnv.redis],
    [FILE_NAME, file.databaseUrl, file.redisUrl],
  ]);

  const schema = identifier(flags.schema ?? nonEmpty(env.KEYWARD_SCHEMA) ?? file.schema, "schema", 40);
  const tablePrefix = identifier(
    flags["table-prefix"] ?? nonEmpty(env.KEYWARD_TABLE_PREFIX) ?? file.tablePrefix,
    "table prefix",
    20,
  );
  let connection: Connection;
  if (database?.kind === "redis") {
    const prefix = flags["redis-prefix"] ?? nonEmpty(env.KEYWARD_REDIS_PREFIX) ?? file.redisPrefix;
    connection = { kind: "redis", url: database.url, ...(prefix !== undefined && { prefix }) };
  } else {
    const tables = {
      ...(schema !== undefined && { schema }),
      ...(tablePrefix !== undefined && { tablePrefix }),
    };
    if (database) connection = { kind: "postgres", url: database.url, ...tables };
    else {
      const dataDir =
        flags["data-dir"] !== undefined
          ? resolve(cwd, flags["data-dir"])
          : env.KEYWARD_DATA_DIR
            ? resolve(cwd, env.KEYWARD_DATA_DIR)
            : file.dataDir !== undefined
              ? resolve(fileDir, file.dataDir)
              : resolve(cwd, ".keyward");
      connection = { kind: "pglite", dataDir, ...tables };
    }
  }

  const prefix = flags.prefix ?? nonEmpty(env.KEYWARD_PREFIX) ?? file.prefix;
  const envPepper = nonEmpty(env.KEYWARD_PEPPER)
    ?.split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const filePepper = typeof file.pepper === "string" ? [file.pepper] : file.pepper;
  const pepper = envPepper && envPepper.length > 0 ? envPepper : filePepper;
  const autoMigrate = flags["no-migrate"]
    ? false
    : (parseBool(env.KEYWARD_AUTO_MIGRATE) ?? file.autoMigrate ?? true);

  return {
    connection,
    autoMigrate,
    legacyTokens: file.legacyTokens ?? false,
    ...(prefix !== undefined && { prefix }),
    ...(pepper !== undefined && { pepper }),
    ...(file.scopes !== undefined && { scopes: file.scopes }),
  };
}

type Level = [source: string, database: string | undefined, redis: string | undefined];

const POSTGRES_SCHEMES = ["postgres:", "postgresql:"];
const REDIS_SCHEMES = ["redis:", "rediss:"];

/**
 * A database URL whose scheme the store understands. pg reads any URL as PostgreSQL (a
 * `mysql://` one would be sent to port 5432), so anything else is refused here, by name.
 */
function checkScheme(url: string, schemes: readonly string[], source: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && schemes.includes(scheme)) return url;
  const kind = schemes === REDIS_SCHEMES ? "Redis" : "PostgreSQL";
  const got = scheme === undefined ? "no scheme" : `${scheme}//`;
  throw new UsageError(
    `${source}: the ${kind} URL must start with ${schemes.map((s) => `${s}//`).join(" or ")} (got ${got}); keyward stores keys in PostgreSQL or Redis`,
  );
}

function pickConnection(levels: Level[]): { kind: "postgres" | "redis"; url: string } | null {
  for (const [source, database, redis] of levels) {
    if (database !== undefined && redis !== undefined) {
      throw new UsageError(`${source} name both a PostgreSQL and a Redis URL; keep one`);
    }
    if (database !== undefined)
      return { kind: "postgres", url: checkScheme(database, POSTGRES_SCHEMES, source) };
    if (redis !== undefined) return { kind: "redis", url: checkScheme(redis, REDIS_SCHEMES, source) };
  }
  return null;
}

async function readConfigFile(path: string, required: boolean): Promise<KeywardConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!required && code === "ENOENT") return {};
    throw new CliError(`cannot read config file ${path} (${code ?? "error"})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`config file ${path} is not valid JSON`);
  }
  return checkConfigFile(parsed, path);
}

function checkConfigFile(value: unknown, path: string): KeywardConfigFile {
  const fail = (what: string) => new UsageError(`config file ${path}: ${what}`);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail("must hold a JSON object");
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FILE_KEYS.has(key)) throw fail(`unknown field "${key}"`);
  }
  for (const key of [
    "prefix",
    "databaseUrl",
    "redisUrl",
    "schema",
    "tablePrefix",
    "redisPrefix",
    "dataDir",
  ]) {
    if (record[key] !== undefined && typeof record[key] !== "string") throw fail(`"${key}" must be a string`);
  }
  for (const key of ["legacyTokens", "autoMigrate"]) {
    if (record[key] !== undefined && typeof record[key] !== "boolean")
      throw fail(`"${key}" must be true or false`);
  }
  const pepper = record.pepper;
  if (
    pepper !== undefined &&
    typeof pepper !== "string" &&
    !(Array.isArray(pepper) && pepper.every((entry) => typeof entry === "string"))
  ) {
    throw fail(`"pepper" must be a string or a list of strings`);
  }
  const scopes = record.scopes;
  if (scopes !== undefined) {
    const valid =
      typeof scopes === "object" &&
      scopes !== null &&
      !Array.isArray(scopes) &&
      Object.values(scopes).every(
        (list) => Array.isArray(list) && list.every((entry) => typeof entry === "string"),
      );
    if (!valid) throw fail(`"scopes" must map preset names to lists of scopes`);
  }
  return record as KeywardConfigFile;
}

/** Schema and table prefix end up in SQL identifiers: checked here so the message names the flag. */
function identifier(value: string | undefined, what: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[a-z_][a-z0-9_]*$/.test(value) || value.length > max) {
    throw new UsageError(
      `${what} must be 1-${max} characters of a-z, 0-9 and _, starting with a letter or _`,
    );
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new UsageError(`KEYWARD_AUTO_MIGRATE must be true or false`);
}
