/**
 * The keyward instance, configured from the spec: the presets are the ones the spec declares
 * (`x-scope-presets`), taken from `scopes.ts`, which `keyward openapi types` generates. So a
 * scope or preset name the spec does not know does not compile.
 */
import { createKeyward, memoryStore } from "@keyward/core";
import { scopePresets } from "./scopes.js";

/** A keyward instance on the memory store (swap in postgresStore / redisStore for production). */
export function openKeyward() {
  return createKeyward({ store: memoryStore(), prefix: "sk_acme", scopes: scopePresets });
}

/** keyward typed with the spec's scopes and presets. */
export type AcmeKeyward = ReturnType<typeof openKeyward>;
