/**
 * Per-key IP allowlists (`allowedIps`), on `net.BlockList`.
 * @module
 */
export { type AllowlistCheck, compileAllowlist, MAX_ALLOWED_IPS, resolveAllowedIps } from "./allowlist.js";
