/**
 * Store helpers that are not a store themselves.
 * @module
 */
export { type ComposeStoresOptions, composeStores } from "./compose.js";
export {
  CONSUME_SKEW_ALLOWANCE_MS,
  currentStoreDeadline,
  deadlinePassed,
  storeDeadline,
} from "./deadline.js";
export { StoreSetupError } from "./setup-error.js";
