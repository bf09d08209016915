import type { ApiKey } from "@keyward/core";
import { renderKey } from "../output/key.js";
import { type CommandContext, printJson } from "./types.js";

/**
 * Prints a freshly issued token — the only time it is ever shown. `--quiet`: the token alone
 * on stdout; `--json`: `{ "token", "key" }`; otherwise the token on its own line, then the key.
 * Nothing here ever goes to stderr except a reminder on a terminal.
 */
export function printIssued(
  context: CommandContext,
  issued: { token: string; key: ApiKey },
  /** Extra members of the `--json` output (rotate: when the old token stops working). */
  extra?: Record<string, unknown>,
): void {
  const { io } = context;
  if (context.values.quiet === true) {
    io.stdout.write(`${issued.token}\n`);
    return;
  }
  if (context.json) {
    printJson(io, { ...issued, ...extra });
    return;
  }
  io.stdout.write(`${issued.token}\n\n${renderKey(issued.key, context.now())}`);
  if (io.stderr.isTTY) io.stderr.write("Copy the token now: it is not stored and will not be shown again.\n");
}
