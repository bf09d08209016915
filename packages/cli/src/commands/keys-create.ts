import type { CreateKeyInput } from "@keyward/core";
import { UsageError } from "../errors.js";
import { parseAllowedIps } from "../parse/ips.js";
import { parseQuota, parseRateLimits } from "../parse/limits.js";
import { parseExpiry, parseMetadata, parseScopes } from "../parse/values.js";
import { printIssued } from "./issued.js";
import { type CommandSpec, listOption, stringOption } from "./types.js";

/** `keyward keys create`: mints a key and prints its token once. */
export const keysCreate: CommandSpec = {
  name: "keys create",
  summary: "create a key and print its token (shown once)",
  positionals: { min: 0, max: 0 },
  options: {
    name: { type: "string", value: "<name>", description: "display name" },
    owner: { type: "string", value: "<id>", description: "owner id (user, organisation, tenant)" },
    scope: {
      type: "string",
      multiple: true,
      value: "<scope>",
      description: "scope or preset granted (repeatable, or comma-separated)",
    },
    expires: {
      type: "string",
      value: "<when>",
      description: "expiry: a duration (90d) or a date (2027-01-31)",
    },
    metadata: {
      type: "string",
      multiple: true,
      value: "<k=v>",
      description: "metadata entry, key=value or key:=<json> (repeatable)",
    },
    "rate-limit": {
      type: "string",
      multiple: true,
      value: "<limit>",
      description: "1000/1m, name=10/1m, 100/1s:token-bucket or none (repeatable for named limits)",
    },
    quota: {
      type: "string",
      value: "<quota>",
      description: "usage credits: 10000, or 10000/30d to refill every 30 days",
    },
    "allow-ip": {
      type: "string",
      multiple: true,
      value: "<cidr>",
      description: "only from this address or range, e.g. 203.0.113.0/24 or 2001:db8::/32 (repeatable)",
    },
    disabled: { type: "boolean", description: "create the key disabled" },
    quiet: { type: "boolean", short: "q", description: "print only the token" },
  },
  examples: [
    'keyward keys create --name "Warehouse sync" --owner org_1 --scope read --expires 90d',
    "keyward keys create --owner org_1 --scope task:write --rate-limit 1000/1m --rate-limit search=10/1m --quota 10000/30d",
    'TOKEN=$(keyward keys create --name ci --scope "*" --quiet)',
  ],
  async run(context) {
    const { values } = context;
    const input: CreateKeyInput = {};
    const name = stringOption(values, "name");
    const owner = stringOption(values, "owner");
    if (name !== undefined) input.name = name;
    if (owner !== undefined) input.ownerId = owner;
    const scopes = listOption(values, "scope");
    if (scopes.length > 0) input.scopes = parseScopes(scopes, context.config.scopes);
    const expires = stringOption(values, "expires");
    if (expires !== undefined) Object.assign(input, parseExpiry(expires, context.now()));
    const metadata = listOption(values, "metadata");
    if (metadata.length > 0) input.metadata = parseMetadata(metadata);
    const limits = listOption(values, "rate-limit");
    if (limits.length > 0) input.rateLimit = parseRateLimits(limits, false) as CreateKeyInput["rateLimit"];
    const quota = stringOption(values, "quota");
    if (quota !== undefined) input.quota = parseQuota(quota);
    const allowIps = listOption(values, "allow-ip");
    if (allowIps.length > 0) input.allowedIps = parseAllowedIps(allowIps);
    if (values.disabled === true) input.enabled = false;
    if (values.quiet === true && values.json === true)
      throw new UsageError("--quiet and --json cannot be combined");

    const keyward = await context.keyward();
    printIssued(context, await keyward.create(input));
    return 0;
  },
};
