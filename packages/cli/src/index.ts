/**
 * keyward — the `keyward` command line, also usable programmatically.
 *
 * This file only re-exports.
 * @module
 */
export type { CliConfig, Connection, KeywardConfigFile } from "./config.js";
export { CliError, UsageError } from "./errors.js";
export { type CliIo, processIo } from "./io.js";
export { run } from "./run.js";
export { type OpenedStore, openStore } from "./store/open.js";
