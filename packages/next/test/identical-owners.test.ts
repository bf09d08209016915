/**
 * The owner cases answer byte for byte the same on every adapter: one owner fixture, its fixed
 * request list (the onReject recipe, a downgraded owner, an inactive one, a failing directory,
 * address allowlists from a trusted header) sent to Express 5, Express 4, Fastify 5 and Next.
 */
import {
  type ConformanceApp,
  type ConformanceSetup,
  createOwnerFixture,
  type RecordedResponse,
  recordOwnerResponses,
} from "@keyward/core/testing";
import { describe, expect, it } from "vitest";
import { express4App, expressApp } from "../../express/test/app.js";
import { fastifyApp } from "../../fastify/test/app.js";
import { nextApp } from "./app.js";

const adapters: [string, (setup: ConformanceSetup) => Promise<ConformanceApp>][] = [
  ["express 5", expressApp()],
  ["express 4", express4App()],
  ["fastify 5", fastifyApp],
  ["next", nextApp],
];

describe("every adapter answers the owner cases byte for byte the same", () => {
  it("onReject recipe, role ceiling, inactive owner, failing directory, allowlists", async () => {
    const fixture = await createOwnerFixture();
    const runs: [string, RecordedResponse[]][] = [];
    try {
      for (const [name, createApp] of adapters) {
        const app = await createApp(fixture.setup);
        try {
          runs.push([name, await recordOwnerResponses(fixture, app)]);
        } finally {
          await app.close();
        }
      }
    } finally {
      await fixture.close();
    }
    const [, reference] = runs[0]!;
    // The list reaches every status these cases decide, and the recipe's 403 for an invalid key.
    expect(new Set(reference.map((r) => r.status))).toEqual(new Set([200, 400, 401, 403, 503]));
    expect(reference[1]).toMatchObject({ status: 403, request: "GET /o/legacy" });
    expect(JSON.parse(reference[1]!.body)).toMatchObject({ code: "invalid_key", status: 403 });
    expect(reference.at(-2)).toMatchObject({ status: 403 }); // downgraded: write refused
    expect(reference.at(-1)).toMatchObject({ status: 200 }); // downgraded: read passes
    for (const [name, recorded] of runs.slice(1)) {
      expect(recorded.length, name).toBe(reference.length);
      for (let i = 0; i < reference.length; i++) {
        expect(recorded[i], `${name}: ${reference[i]!.request}`).toEqual(reference[i]);
      }
    }
  });
});
