import { parseDuration } from "@keyward/core";
import { printIssued } from "./issued.js";
import { printKey } from "./keys-read.js";
import { type CommandSpec, printJson, stringOption } from "./types.js";

const ID = { args: "<id>", positionals: { min: 1, max: 1 } } as const;

function toggle(enabled: boolean): CommandSpec {
  const verb = enabled ? "enable" : "disable";
  return {
    name: `keys ${verb}`,
    summary: enabled ? "enable a disabled key" : "disable a key (reversible, unlike revoke)",
    ...ID,
    options: {},
    examples: [`keyward keys ${verb} key_01JD2X…`],
    async run(context) {
      const keyward = await context.keyward();
      printKey(context, await keyward.update(context.positionals[0]!, { enabled }));
      return 0;
    },
  };
}

/** `keyward keys enable <id>`. */
export const keysEnable = toggle(true);
/** `keyward keys disable <id>`. */
export const keysDisable = toggle(false);

/** `keyward keys rotate <id>`: a new token; the old one keeps working for the grace period. */
export const keysRotate: CommandSpec = {
  name: "keys rotate",
  summary: "issue a new token for a key; the old one works until the grace period ends",
  ...ID,
  options: {
    "grace-period": {
      type: "string",
      value: "<duration>",
      description: "how long the old token keeps working (default 0)",
    },
    quiet: { type: "boolean", short: "q", description: "print only the new token" },
  },
  examples: [
    "keyward keys rotate key_01JD2X… --grace-period 24h",
    "NEW=$(keyward keys rotate key_01JD2X… --grace-period 1h --quiet)",
  ],
  async run(context) {
    const grace = stringOption(context.values, "grace-period");
    const gracePeriod = grace === undefined ? 0 : parseDuration(grace as `${number}h`, "--grace-period");
    const keyward = await context.keyward();
    const issued = await keyward.rotate(context.positionals[0]!, { gracePeriod });
    // When the old token stops working: what the operator has to plan the switch around.
    const until = new Date(context.now() + gracePeriod);
    printIssued(context, issued, { previousTokenExpiresAt: until.toISOString() });
    if (context.values.quiet !== true && !context.json) {
      context.io.stdout.write(
        gracePeriod === 0
          ? "\nThe old token stopped working now.\n"
          : `\nThe old token keeps working until ${until.toISOString()} (${grace}), then stops.\n`,
      );
    }
    return 0;
  },
};

/** `keyward keys revoke <id>`: permanent; every token of the key stops working. */
export const keysRevoke: CommandSpec = {
  name: "keys revoke",
  summary: "revoke a key for good (every token of it stops working)",
  ...ID,
  options: {},
  examples: ["keyward keys revoke key_01JD2X…"],
  async run(context) {
    const keyward = await context.keyward();
    printKey(context, await keyward.revoke(context.positionals[0]!));
    return 0;
  },
};

/** `keyward keys delete <id>`: removes the key and its counters. */
export const keysDelete: CommandSpec = {
  name: "keys delete",
  summary: "delete a key and its counters (revoke keeps a record; delete does not)",
  ...ID,
  options: {},
  examples: ["keyward keys delete key_01JD2X…"],
  async run(context) {
    const id = context.positionals[0]!;
    const keyward = await context.keyward();
    await keyward.delete(id);
    if (context.json) printJson(context.io, { id, deleted: true });
    else context.io.stdout.write(`deleted ${id}\n`);
    return 0;
  },
};
