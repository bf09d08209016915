/**
 * The management API: endpoints a product's settings page calls so that each customer lists,
 * creates, rotates, revokes and deletes its own keys. Framework adapters mount
 * {@link createKeysApi}.
 * @module
 */
export { createKeysApi, malformedPathResponse } from "./api.js";
export type { ScopeCatalogueEntry } from "./scopes.js";
export type { ApiKeyJson } from "./serialize.js";
export type {
  KeysApi,
  KeysApiAuthOptions,
  KeysApiDefaults,
  KeysApiOptions,
  KeysApiQuery,
  KeysApiRequest,
} from "./types.js";
export type { ValidationError } from "./validate.js";
