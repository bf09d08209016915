/**
 * Where the CLI reads and writes. The binary passes the real process streams; tests and
 * embedders pass their own, so `run()` never touches `process` directly.
 */
export interface CliIo {
  /** Command output: tables, keys, JSON documents, the token. */
  stdout: { write(chunk: string): unknown };
  /** Diagnostics: the one-line error, hints, the import progress bar (only on a terminal). */
  stderr: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  /** Read by `keys verify` when no token is given on the command line. */
  stdin: NodeJS.ReadableStream;
  /** Environment variables (`KEYWARD_*`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory that `keyward.config.json` and `./.keyward/` are resolved against. */
  cwd: string;
}

/** The real process streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
