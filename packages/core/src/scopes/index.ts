export type { CompiledRequirement } from "./compile.js";
export { createScopes, type ScopeEngine } from "./engine.js";
export { isScope, satisfiesScope } from "./grammar.js";
