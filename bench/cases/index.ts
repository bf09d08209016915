import type { BenchCase } from "../lib/types.js";
import { edgeCase } from "./edge.js";
import { httpCase } from "./http.js";
import { openapiCase } from "./openapi.js";
import { postgresCase } from "./postgres.js";
import { propagationCase } from "./propagation.js";
import { memoryLimiterCase, redisLimiterCase } from "./ratelimit.js";
import { scaleCase } from "./scale.js";
import { verifyCase } from "./verify.js";

/** Every case, in the order they run. */
export const cases: BenchCase[] = [
  verifyCase,
  openapiCase,
  edgeCase,
  memoryLimiterCase,
  redisLimiterCase,
  httpCase,
  postgresCase,
  scaleCase,
  propagationCase,
];
