/**
 * The migration list, in order. Each entry's SQL is also shipped as `sql/<version>_<name>.sql`
 * for teams that run migrations with their own tool.
 */
import { sql as init } from "./001_init.js";
import { sql as deadlinesAndLocks } from "./002_deadlines_and_locks.js";
import { sql as keyAccess } from "./003_key_access.js";
import { sql as outbox } from "./004_outbox.js";

/** One versioned migration; `sql` holds `{{schema}}` / `{{prefix}}` placeholders. */
interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "init", sql: init },
  { version: 2, name: "deadlines_and_locks", sql: deadlinesAndLocks },
  { version: 3, name: "key_access", sql: keyAccess },
  { version: 4, name: "outbox", sql: outbox },
];
