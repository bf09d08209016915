import { eventsList, eventsRetry } from "./events.js";
import { importCommand } from "./import.js";
import { keysCreate } from "./keys-create.js";
import { keysDelete, keysDisable, keysEnable, keysRevoke, keysRotate } from "./keys-lifecycle.js";
import { keysGet, keysList } from "./keys-read.js";
import { keysUpdate } from "./keys-update.js";
import { keysVerify } from "./keys-verify.js";
import { migrateCommand, purgeCommand } from "./maintenance.js";
import { openapiCheck, openapiTypes } from "./openapi.js";
import { routesCommand } from "./routes.js";
import { statusCommand } from "./status.js";
import type { CommandSpec } from "./types.js";

/** Every leaf command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  keysCreate,
  keysList,
  keysGet,
  keysUpdate,
  keysEnable,
  keysDisable,
  keysRotate,
  keysRevoke,
  keysDelete,
  keysVerify,
  migrateCommand,
  purgeCommand,
  importCommand,
  statusCommand,
  eventsList,
  eventsRetry,
  openapiCheck,
  openapiTypes,
  routesCommand,
];

/** Command groups: a first word that needs a second one. */
export const GROUPS: Readonly<Record<string, string>> = {
  keys: "create, list, show, change, rotate, revoke and delete keys",
  events: "list webhook deliveries of lifecycle events and deliver one again",
  openapi: "check an OpenAPI document against the app, and write its scopes as TypeScript",
};
