/**
 * `createKeyward()`: resolves the options once, builds the runtime (cache, usage buffer, event
 * sink, invalidation subscription) and returns the service object.
 */

import { eventDeliveries, health } from "../delivery/health.js";
import type {
  Keyward,
  KeywardOptions,
  RouteVerifier,
  ScopeName,
  ScopePresets,
  VerifyResult,
} from "../types.js";
import { createKey, importKey } from "./create.js";
import { createSigner, exchangeToken, publicJwks } from "./exchange.js";
import { serializeKeyWrite } from "./key-lock.js";
import { deleteKey, getKey, listKeys, revokeKey, rotateKey, updateKey } from "./key-operations.js";
import { resolveOptions } from "./options.js";
import { invalidateOwner, ownerCeiling } from "./owner.js";
import { routeVerifier, verifyWith } from "./prepared-check.js";
import { createRuntime } from "./runtime.js";
import { call } from "./store-call.js";

/**
 * Creates a keyward instance: issue, verify, list, update, rotate, revoke and delete API keys
 * on the given store. Options are checked here, once: a bad option throws a `TypeError` that
 * names it.
 *
 * @example
 * const keyward = createKeyward({
 *   store: memoryStore(),
 *   prefix: "sk_live",
 *   scopes: { reader: ["task:read"], writer: ["task:read", "task:write"] } as const,
 * });
 * const { token, key } = await keyward.create({ name: "CI", scopes: ["reader"] });
 * const result = await keyward.verify(token, { scopes: ["task:read"] }); // { ok: true, key, rateLimit }
 */
export function createKeyward<const P extends ScopePresets = ScopePresets, O = unknown>(
  options: KeywardOptions<P, O>,
): Keyward<ScopeName<P>, O> {
  const config = resolveOptions(options);
  const rt = createRuntime(config);
  const sign = config.signingKeys && createSigner(config.signingKeys);
  let closed: Promise<void> | null = null;

  const keyward: Keyward<ScopeName<P>, O> = {
    prefix: config.prefix,
    store: config.store,
    presets: config.scopes.presets,
    scopes: config.scopes as Keyward<ScopeName<P>, O>["scopes"],
    ownerCeiling: config.ownerScopes === null ? null : (ownerId) => ownerCeiling(rt, ownerId),
    verifier: (verifyOptions) => routeVerifier(rt, verifyOptions) as RouteVerifier<O>,
    create: (input) => createKey(rt, input),
    import: (input) => importKey(rt, input),
    verify: (token, verifyOptions) => verifyWith(rt, token, verifyOptions) as Promise<VerifyResult<O>>,
    get: (id) => getKey(rt, id),
    list: (query) => listKeys(rt, query),
    update: (id, patch) => serializeKeyWrite(rt, id, () => updateKey(rt, id, patch)),
    revoke: (id) => serializeKeyWrite(rt, id, () => revokeKey(rt, id)),
    rotate: (id, rotateOptions) => serializeKeyWrite(rt, id, () => rotateKey(rt, id, rotateOptions)),
    delete: (id) => serializeKeyWrite(rt, id, () => deleteKey(rt, id)),
    exchange: (token, exchangeOptions) => exchangeToken(rt, sign, token, exchangeOptions),
    jwks: () => publicJwks(config.signingKeys),
    invalidateOwner: (ownerId) => invalidateOwner(rt, ownerId),
    health: () => health(rt),
    events: eventDeliveries(rt),
    flush: () => call(rt, "recordUsage", () => rt.usage.flush()),
    close: () => {
      closed ??= rt.close();
      return closed;
    },
  };
  Object.freeze(keyward);
  return keyward;
}
