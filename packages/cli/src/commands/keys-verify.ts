import type { VerifyOptions } from "@keyward/core";
import { CliError, EXIT_FAILURE, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { parseScopes } from "../parse/values.js";
import { type CommandSpec, listOption, printJson, stringOption } from "./types.js";

/** `keyward keys verify [token]`: checks a token the way the application would. */
export const keysVerify: CommandSpec = {
  name: "keys verify",
  summary: "check a token against the store (reads it from stdin when not given)",
  args: "[token|-]",
  positionals: { min: 0, max: 1 },
  options: {
    scope: {
      type: "string",
      multiple: true,
      value: "<scope>",
      description: "require this scope too (repeatable)",
    },
    ip: {
      type: "string",
      value: "<address>",
      description: "check as a request from this client address (for keys with an allowlist)",
    },
  },
  details:
    "Exits 0 when the token is valid and 1 when it is rejected (the reason goes to stderr).\n" +
    "Rate limits are not consumed; a key with a quota is charged one credit, as a request would be.\n" +
    "Pass the token on stdin rather than as an argument to keep it out of the shell history.",
  examples: [
    'printf %s "$TOKEN" | keyward keys verify',
    "keyward keys verify --scope task:write < token.txt",
  ],
  async run(context) {
    const given = context.positionals[0];
    const token = given === undefined || given === "-" ? await readToken(context.io) : given;
    if (token === "") throw new UsageError("no token given (pass it as an argument or on stdin)");
    const options: VerifyOptions = { rateLimit: false };
    const scopes = listOption(context.values, "scope");
    if (scopes.length > 0) options.scopes = parseScopes(scopes, context.config.scopes);
    const ip = stringOption(context.values, "ip");
    if (ip !== undefined) options.ip = ip;

    const keyward = await context.keyward();
    const result = await keyward.verify(token, options);
    if (context.json) printJson(context.io, result);
    else if (result.ok)
      context.io.stdout.write(`valid: ${result.key.id}${result.key.name ? ` (${result.key.name})` : ""}\n`);
    if (!result.ok) throw new CliError(`token rejected: ${result.code} (${result.message})`, EXIT_FAILURE);
    return 0;
  },
};

/** The first line of stdin; on a terminal, a prompt first (the typed token is not echoed back by us). */
async function readToken(io: CliIo): Promise<string> {
  const stdin = io.stdin as CliIo["stdin"] & { isTTY?: boolean };
  if (stdin.isTTY) io.stderr.write("Paste the token and press Enter: ");
  let text = "";
  stdin.setEncoding?.("utf8");
  for await (const chunk of stdin) {
    text += chunk;
    if (text.includes("\n") || text.length > 4096) break;
  }
  return text.trim().split(/\r?\n/)[0]?.trim() ?? "";
}
