import { parseDuration } from "@keyward/core";
import { UsageError } from "../errors.js";
import { parsePositiveInt } from "../parse/values.js";
import { type CommandSpec, printJson, stringOption } from "./types.js";

/** `keyward migrate`: creates or upgrades keyward's tables. */
export const migrateCommand: CommandSpec = {
  name: "migrate",
  summary: "create or upgrade keyward's tables (other commands do this automatically)",
  positionals: { min: 0, max: 0 },
  options: {},
  details:
    "Every command applies pending migrations before it runs unless --no-migrate, KEYWARD_AUTO_MIGRATE=false\n" +
    'or "autoMigrate": false is set; run this once from a deploy step when the application\'s database user\n' +
    "may not change the schema. Migrations are idempotent. Redis needs none.",
  examples: ["keyward migrate --database-url postgres://admin@db.internal/app"],
  async run(context) {
    const opened = await context.openStore({ migrate: false });
    const applied = await opened.migrate();
    if (context.json) printJson(context.io, { store: opened.store.kind, applied: applied ?? [] });
    else if (applied === null)
      context.io.stdout.write(`nothing to migrate (${opened.store.kind} needs no schema)\n`);
    else if (applied.length === 0) context.io.stdout.write("schema is up to date\n");
    else context.io.stdout.write(`applied ${applied.join(", ")}\n`);
    return 0;
  },
};

/** `keyward purge --older-than 30d`: deletes long-dead keys and expired secrets. */
export const purgeCommand: CommandSpec = {
  name: "purge",
  summary: "delete keys revoked or expired longer ago than --older-than, and expired rotation secrets",
  positionals: { min: 0, max: 0 },
  options: {
    "older-than": {
      type: "string",
      value: "<duration>",
      description: "only what ended at least this long ago (required)",
    },
    "batch-size": { type: "string", value: "<n>", description: "keys deleted per statement (default 1000)" },
  },
  examples: ["keyward purge --older-than 30d", "keyward purge --older-than 0d --json"],
  async run(context) {
    const olderThan = stringOption(context.values, "older-than");
    if (olderThan === undefined) throw new UsageError("purge needs --older-than, e.g. --older-than 30d");
    const age = parseDuration(olderThan as `${number}d`, "--older-than");
    const batchSize = parsePositiveInt(
      stringOption(context.values, "batch-size"),
      "--batch-size",
      1000,
      100_000,
    );
    const before = context.now() - age;
    const { store } = await context.openStore();
    let purged = 0;
    for (;;) {
      const removed = await store.purge(before, batchSize);
      purged += removed;
      if (removed < batchSize) break;
    }
    if (context.json) printJson(context.io, { purged, before: new Date(before) });
    else
      context.io.stdout.write(
        `purged ${purged} key${purged === 1 ? "" : "s"} (ended before ${new Date(before).toISOString()})\n`,
      );
    return 0;
  },
};
