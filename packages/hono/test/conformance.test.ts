import { runAdapterConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { honoApp } from "./app.js";

describe("Hono (apiKeyAuth middleware on @hono/node-server)", () => {
  runAdapterConformance({ describe, it, expect, beforeAll, afterAll }, honoApp);
});
