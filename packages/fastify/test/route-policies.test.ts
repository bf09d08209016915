import { runRoutePolicyConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyApp } from "./app.js";

describe("Fastify 5", () => {
  runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, fastifyApp);
});
