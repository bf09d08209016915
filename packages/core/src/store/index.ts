/**
 * Store helpers that are not a store themselves.
 * @module
 */
export { type ComposeStoresOptions, composeStores } from "./compose.js";
export { StoreSetupError } from "./setup-error.js";
