/**
 * `@keyward/react`: a settings page for keyward API keys, over the management API that
 * `keysRouter()` / `keysRoutes` / `keysHandlers()` serve.
 *
 * - {@link useApiKeys}: the caller's keys, with create, update, rotate, revoke and delete;
 * - {@link useScopeOptions}: the scopes the API lets callers grant (`GET /scopes`);
 * - {@link ApiKeyManager}: the whole page, accessible and themable.
 * @module
 */
export { createKeysClient, type KeyPage, type KeysClient, type KeysClientOptions } from "./client.js";
export { ApiKeyManager, type ApiKeyManagerProps } from "./manager/api-key-manager.js";
export type { ApiKeyManagerClassNames, ApiKeyManagerSlot } from "./manager/class-names.js";
export type { GraceOption } from "./manager/rotate-dialog.js";
export { type ApiFieldError, ApiKeysError } from "./problem.js";
export type {
  ApiKeyRecord,
  CreateApiKeyInput,
  IssuedApiKey,
  RotateApiKeyInput,
  ScopeOption,
  UpdateApiKeyInput,
} from "./types.js";
export { type UseApiKeys, type UseApiKeysOptions, useApiKeys } from "./use-api-keys.js";
export { type UseScopeOptions, useScopeOptions } from "./use-scope-options.js";
