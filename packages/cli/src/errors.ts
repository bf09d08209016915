import { TOKEN_PATTERN } from "@keyward/core";

/** Exit code for a mistake in how the command was called (unknown flag, bad value). */
export const EXIT_USAGE = 2;
/** Exit code for an operational failure (unknown id, unreachable database, unreadable file). */
export const EXIT_FAILURE = 1;

/**
 * A failure the CLI reports as one line on stderr (`keyward: <message>`) with an exit code.
 * Its message must never contain a token.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** A mistake in the command line itself: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, options);
  }
}

const TOKENS = new RegExp(TOKEN_PATTERN.source, "g");
const HEX_DIGESTS = /\b[0-9a-fA-F]{64}\b/g;

/**
 * Last line of defence for anything written to stderr: replaces whatever looks like a keyward
 * token or a SHA-256 digest, so a secret typed in the wrong place is never echoed back.
 */
export function redact(text: string): string {
  return text.replace(TOKENS, "[redacted token]").replace(HEX_DIGESTS, "[redacted digest]");
}
