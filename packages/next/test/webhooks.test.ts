/**
 * webhookAuth on the Next adapter, and the same failures from every adapter byte for byte.
 */
import {
  type ConformanceApp,
  type RecordedWebhookResponse,
  recordWebhookResponses,
  runWebhookConformance,
  WEBHOOK_ROUTES,
  type WebhookConformanceRoute,
} from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { express4WebhookApp, expressWebhookApp } from "../../express/test/app.js";
import { fastifyWebhookApp } from "../../fastify/test/app.js";
import { nextWebhookApp } from "./app.js";

describe("Next (raw body from request.clone().arrayBuffer())", () => {
  runWebhookConformance({ describe, it, expect, beforeAll, afterAll }, nextWebhookApp);
});

type CreateApp = (routes: readonly WebhookConformanceRoute[]) => Promise<ConformanceApp>;
const adapters: [string, CreateApp][] = [
  ["express 5", expressWebhookApp()],
  ["express 4", express4WebhookApp()],
  ["fastify 5", fastifyWebhookApp],
  ["next", nextWebhookApp],
];

describe("every adapter answers webhook failures byte for byte the same", () => {
  it("for every provider and case", async () => {
    const runs: [string, RecordedWebhookResponse[]][] = [];
    for (const [name, createApp] of adapters) {
      const app = await createApp(WEBHOOK_ROUTES);
      try {
        runs.push([name, await recordWebhookResponses(app)]);
      } finally {
        await app.close();
      }
    }
    const [, reference] = runs[0]!;
    expect(new Set(reference.map((r) => r.status))).toEqual(new Set([200, 401]));
    expect(reference.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(15);
    for (const [name, recorded] of runs.slice(1)) {
      expect(recorded, name).toEqual(reference);
    }
  });
});
