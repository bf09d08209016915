import { runAdapterConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyApp } from "./app.js";

describe("Fastify 5", () => {
  runAdapterConformance({ describe, it, expect, beforeAll, afterAll }, fastifyApp);
});
