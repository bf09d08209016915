import { parseDuration, type UpdateKeyInput } from "@keyward/core";
import { UsageError } from "../errors.js";
import { parseAllowedIps } from "../parse/ips.js";
import { parseQuota, parseRateLimits } from "../parse/limits.js";
import { parseExpiry, parseMetadata, parseScopes } from "../parse/values.js";
import { printKey, requireKey } from "./keys-read.js";
import { type CommandSpec, listOption, stringOption } from "./types.js";

/** `keyward keys update <id>`: changes name, scopes, metadata, expiry, limits or quota. */
export const keysUpdate: CommandSpec = {
  name: "keys update",
  summary: "change a key's name, scopes, metadata, expiry, rate limits or quota",
  args: "<id>",
  positionals: { min: 1, max: 1 },
  options: {
    name: { type: "string", value: "<name>", description: "new display name (empty string clears it)" },
    scope: {
      type: "string",
      multiple: true,
      value: "<scope>",
      description: "replace the scopes (repeatable)",
    },
    "add-scope": {
      type: "string",
      multiple: true,
      value: "<scope>",
      description: "add a scope (repeatable)",
    },
    "remove-scope": {
      type: "string",
      multiple: true,
      value: "<scope>",
      description: "remove a scope (repeatable)",
    },
    metadata: {
      type: "string",
      multiple: true,
      value: "<k=v>",
      description: "set a metadata entry; others are kept (repeatable)",
    },
    "remove-metadata": {
      type: "string",
      multiple: true,
      value: "<key>",
      description: "remove a metadata entry (repeatable)",
    },
    expires: {
      type: "string",
      value: "<when>",
      description: "new expiry: a duration from now, a date, or never",
    },
    "rate-limit": {
      type: "string",
      multiple: true,
      value: "<limit>",
      description: "replace the limits: 1000/1m, name=10/1m, none, or default (repeatable)",
    },
    quota: {
      type: "string",
      value: "<quota>",
      description: "set the quota (resets its balance): 10000, 10000/30d, none",
    },
    "allow-ip": {
      type: "string",
      multiple: true,
      value: "<cidr>",
      description: "replace the address allowlist (repeatable); any lifts it",
    },
  },
  examples: [
    'keyward keys update key_01JD2X… --name "Warehouse sync (EU)" --add-scope task:write',
    "keyward keys update key_01JD2X… --expires never --rate-limit 5000/1m",
  ],
  async run(context) {
    const { values } = context;
    const id = context.positionals[0]!;
    const patch: UpdateKeyInput = {};
    const name = stringOption(values, "name");
    if (name !== undefined) patch.name = name === "" ? null : name;
    const presets = context.config.scopes;
    const replace = listOption(values, "scope");
    const add = parseScopes(listOption(values, "add-scope"), presets);
    const remove = parseScopes(listOption(values, "remove-scope"), presets);
    const setMetadata = parseMetadata(listOption(values, "metadata"));
    const removeMetadata = listOption(values, "remove-metadata");
    const expires = stringOption(values, "expires");
    if (expires !== undefined) {
      const expiry = parseExpiry(expires, context.now());
      patch.expiresAt =
        "expiresAt" in expiry
          ? expiry.expiresAt
          : new Date(context.now() + parseDuration(expiry.expiresIn, "--expires"));
    }
    const limits = listOption(values, "rate-limit");
    if (limits.length > 0) patch.rateLimit = parseRateLimits(limits, true);
    const quota = stringOption(values, "quota");
    if (quota !== undefined) patch.quota = parseQuota(quota);
    if (replace.length > 0) patch.scopes = parseScopes(replace, presets);
    const allowIps = listOption(values, "allow-ip");
    if (allowIps.length > 0) patch.allowedIps = parseAllowedIps(allowIps);

    const needsCurrent =
      add.length > 0 || remove.length > 0 || Object.keys(setMetadata).length > 0 || removeMetadata.length > 0;
    if (!needsCurrent && Object.keys(patch).length === 0) {
      throw new UsageError("nothing to update: give at least one option (see keyward keys update --help)");
    }
    if (needsCurrent) {
      const current = await requireKey(context, id);
      if (add.length > 0 || remove.length > 0) {
        const base = patch.scopes ?? current.scopes;
        patch.scopes = [...base, ...add.filter((scope) => !base.includes(scope))].filter(
          (scope) => !remove.includes(scope),
        );
      }
      if (Object.keys(setMetadata).length > 0 || removeMetadata.length > 0) {
        const metadata = { ...current.metadata, ...setMetadata };
        for (const key of removeMetadata) delete metadata[key];
        patch.metadata = metadata;
      }
    }
    const keyward = await context.keyward();
    printKey(context, await keyward.update(id, patch));
    return 0;
  },
};
