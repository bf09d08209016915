import { runRoutePolicyConformance } from "@keyward/core/testing";
import express4 from "express4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expressApp } from "./app.js";

describe("Express 5", () => {
  runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, expressApp());
});

describe("Express 4", () => {
  runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, expressApp(express4));
});
