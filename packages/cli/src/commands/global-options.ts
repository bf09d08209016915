import type { OptionSpec } from "./types.js";

/** Options every command accepts: where the keys live and how tokens are made. */
export const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  "database-url": {
    type: "string",
    value: "<url>",
    description: "PostgreSQL connection string (env KEYWARD_DATABASE_URL)",
  },
  "redis-url": {
    type: "string",
    value: "<url>",
    description: "Redis connection string (env KEYWARD_REDIS_URL)",
  },
  "data-dir": {
    type: "string",
    value: "<dir>",
    description: "embedded PGlite directory when no URL is set (env KEYWARD_DATA_DIR; default ./.keyward)",
  },
  schema: {
    type: "string",
    value: "<name>",
    description: "PostgreSQL schema of keyward's tables (env KEYWARD_SCHEMA)",
  },
  "table-prefix": {
    type: "string",
    value: "<prefix>",
    description: "prefix of keyward's table names (env KEYWARD_TABLE_PREFIX)",
  },
  "redis-prefix": {
    type: "string",
    value: "<prefix>",
    description: "prefix of keyward's Redis keys (env KEYWARD_REDIS_PREFIX)",
  },
  prefix: {
    type: "string",
    value: "<prefix>",
    description: "token prefix, e.g. sk_live (env KEYWARD_PREFIX)",
  },
  config: {
    type: "string",
    value: "<path>",
    description: "configuration file (env KEYWARD_CONFIG; default ./keyward.config.json)",
  },
  "no-migrate": { type: "boolean", description: "do not apply pending PostgreSQL migrations first" },
};

/** Options every command accepts, shown in help separately from the connection options. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print one JSON document on stdout" },
  help: { type: "boolean", short: "h", description: "show this help" },
};
