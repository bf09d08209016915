#!/usr/bin/env node
/**
 * The `keyward` executable: runs the command line against the real process and exits with
 * its code once stdout and stderr have been flushed.
 * @module
 */
import { run } from "./run.js";

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Drivers may keep handles open a moment after close(); do not let them hold the exit.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
