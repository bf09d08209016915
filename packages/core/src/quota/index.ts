export { resolveQuota } from "./resolve.js";
export { quotaView } from "./view.js";
