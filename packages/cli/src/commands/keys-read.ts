import type { ApiKey, ListKeysQuery } from "@keyward/core";
import { CliError, UsageError } from "../errors.js";
import { renderKey, renderKeyTable } from "../output/key.js";
import { parsePositiveInt, parseScopes } from "../parse/values.js";
import { type CommandContext, type CommandSpec, printJson, stringOption } from "./types.js";

/** `keyward keys list`: an aligned table of keys, newest first, one page at a time. */
export const keysList: CommandSpec = {
  name: "keys list",
  summary: "list keys, newest first",
  positionals: { min: 0, max: 0 },
  options: {
    owner: { type: "string", value: "<id>", description: "only keys of this owner" },
    scope: { type: "string", value: "<scope>", description: "only keys holding this scope or preset name" },
    enabled: { type: "boolean", description: "only enabled keys" },
    disabled: { type: "boolean", description: "only disabled keys" },
    limit: { type: "string", value: "<n>", description: "page size, 1 to 1000 (default 50)" },
    cursor: { type: "string", value: "<cursor>", description: "continue after a previous page" },
    all: { type: "boolean", description: "follow every page" },
  },
  examples: [
    "keyward keys list --owner org_1",
    "keyward keys list --scope read --json",
    "keyward keys list --all --disabled",
  ],
  async run(context) {
    const { values, io } = context;
    if (values.enabled === true && values.disabled === true) {
      throw new UsageError("--enabled and --disabled cannot be combined");
    }
    const query: ListKeysQuery = {
      limit: parsePositiveInt(stringOption(values, "limit"), "--limit", 50, 1000),
    };
    const owner = stringOption(values, "owner");
    if (owner !== undefined) query.ownerId = owner;
    const scope = stringOption(values, "scope");
    if (scope !== undefined) query.scope = parseScopes([scope], context.config.scopes)[0]!;
    if (values.enabled === true) query.enabled = true;
    if (values.disabled === true) query.enabled = false;
    query.cursor = stringOption(values, "cursor") ?? null;

    const keyward = await context.keyward();
    const items: ApiKey[] = [];
    let page = await keyward.list(query);
    items.push(...page.items);
    while (values.all === true && page.nextCursor) {
      page = await keyward.list({ ...query, cursor: page.nextCursor });
      items.push(...page.items);
    }
    if (context.json) {
      printJson(io, { items, nextCursor: page.nextCursor });
      return 0;
    }
    if (items.length === 0) io.stdout.write("no keys\n");
    else io.stdout.write(renderKeyTable(items, context.now()));
    if (page.nextCursor) io.stderr.write(`more keys: add --cursor ${page.nextCursor} (or --all)\n`);
    return 0;
  },
};

/** `keyward keys get <id>`. */
export const keysGet: CommandSpec = {
  name: "keys get",
  summary: "show one key",
  args: "<id>",
  positionals: { min: 1, max: 1 },
  options: {},
  examples: ["keyward keys get key_01JD2X…", "keyward keys get key_01JD2X… --json"],
  async run(context) {
    const key = await requireKey(context, context.positionals[0]!);
    printKey(context, key);
    return 0;
  },
};

/** The key with this id, or a one-line "no key" failure (exit 1). */
export async function requireKey(context: CommandContext, id: string): Promise<ApiKey> {
  const keyward = await context.keyward();
  const key = await keyward.get(id);
  if (!key) throw new CliError(`no key with id ${JSON.stringify(id)}`);
  return key;
}

/** Prints one key: JSON with `--json`, else the field-per-line view. */
export function printKey(context: CommandContext, key: ApiKey): void {
  if (context.json) printJson(context.io, key);
  else context.io.stdout.write(renderKey(key, context.now()));
}
