import { runWebhookConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyWebhookApp } from "./app.js";

describe('Fastify 5 (raw body from a parseAs: "buffer" content-type parser)', () => {
  runWebhookConformance({ describe, it, expect, beforeAll, afterAll }, fastifyWebhookApp);
});
