/**
 * The three adapters answer the same request the same way: one fixture (one keyward, one
 * frozen clock), the comparison list from @keyward/core/testing sent to Express 5, Express 4,
 * Fastify 5 and the Next adapter in turn; bodies must match byte for byte and every keyward
 * header (WWW-Authenticate, RateLimit*, Retry-After, Content-Type, Cache-Control) exactly.
 */
import {
  type ConformanceApp,
  type ConformanceSetup,
  createConformanceFixture,
  type RecordedResponse,
  recordResponses,
} from "@keyward/core/testing";
import { describe, expect, it } from "vitest";
import { express4App, expressApp } from "../../express/test/app.js";
import { fastifyApp } from "../../fastify/test/app.js";
import { honoApp } from "../../hono/test/app.js";
import { nextApp } from "./app.js";

type CreateApp = (setup: ConformanceSetup) => Promise<ConformanceApp>;

const adapters: [string, CreateApp][] = [
  ["express 5", expressApp()],
  ["express 4", express4App()],
  ["fastify 5", fastifyApp],
  ["next", nextApp],
  ["hono", honoApp],
];

describe("every adapter answers byte for byte the same", () => {
  it("for every row of the HTTP table", async () => {
    const fixture = await createConformanceFixture();
    const runs: [string, RecordedResponse[]][] = [];
    try {
      for (const [name, createApp] of adapters) {
        const main = await createApp(fixture.main);
        const unhealthy = await createApp(fixture.unhealthy);
        try {
          runs.push([name, await recordResponses(fixture, { main, unhealthy })]);
        } finally {
          await Promise.all([main.close(), unhealthy.close()]);
        }
      }
    } finally {
      await fixture.close();
    }

    const [, reference] = runs[0]!;
    // The list covers every status keyward decides, so a run that silently answered 200 everywhere fails here.
    expect(new Set(reference.map((r) => r.status))).toEqual(new Set([200, 400, 401, 403, 429, 503]));
    expect(reference.some((r) => r.headers.ratelimit !== undefined)).toBe(true);
    for (const [name, recorded] of runs.slice(1)) {
      expect(recorded.length, name).toBe(reference.length);
      for (let i = 0; i < reference.length; i++) {
        expect(recorded[i], `${name}: ${reference[i]!.request}`).toEqual(reference[i]);
      }
    }
  });
});
