/**
 * @keyward/postgres — the PostgreSQL store for keyward (pg Pool or PGlite), its migrations and
 * LISTEN/NOTIFY invalidation.
 * @module
 */
export type { QueryClient } from "./client.js";
export { type PostgresJsClient, type PostgresJsSql, postgresJsClient } from "./clients/postgres-js.js";
export { type MigrateResult, type MigrationScript, migrate, migrationScripts } from "./migrate.js";
export type { PostgresStoreOptions, TableOptions } from "./options.js";
export { type PostgresStore, postgresStore } from "./store.js";
