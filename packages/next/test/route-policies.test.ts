import { runRoutePolicyConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextApp } from "./app.js";

describe("Next (withApiKeyAuth over Web Request/Response)", () => {
  runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, nextApp);
});
