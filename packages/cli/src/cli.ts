#!/usr/bin/env node
/**
 * The `keyward` executable: runs the command line against the real process and exits with
 * its code once stdout and stderr have been flushed.
 * @module
 */
import { run } from "./run.js";

// `keyward keys list | head -1`: a reader that went away is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Drivers may keep handles open a moment after close(); do not let them hold the exit.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
