export { type ConsumptionOutcome, evaluateConsumption } from "./evaluate.js";
export { type ConsumptionPlan, planConsumption } from "./plan.js";
export { resolveOwnerRateLimit, resolveRateLimit } from "./resolve.js";
