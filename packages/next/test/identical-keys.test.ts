/**
 * The management API answers its edges itself, identically on every adapter: body over the
 * limit (declared or streamed), non-UTF-8 or compressed or non-JSON bodies, broken
 * percent-encoding. One list of raw requests goes to Express 5, Express 4, Fastify 5, the
 * Next handlers and Hono's keysRoutes; statuses must be the expected ones and every answer byte for byte the same.
 * A 200 MB streamed body is refused with 413 long before it is read, without memory growth.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import {
  keysApiEdgeRequests,
  type RecordedEdge,
  recordKeysApiEdges,
  streamHugeBody,
} from "@keyward/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startExpressKeys } from "../../express/test/keys-server.js";
import { startFastifyKeys } from "../../fastify/test/keys-server.js";
import { startHonoKeys } from "../../hono/test/keys-server.js";
import { keysHandlers } from "../src/index.js";
import { serveHandlers } from "./keys-server.js";

const OWNER = "x-test-owner";

interface Mounted {
  baseUrl: string;
  close(): Promise<void>;
}

async function nextServer(keyward: Keyward): Promise<Mounted> {
  const handlers = keysHandlers(keyward, {
    basePath: "/api",
    owner: (request) => request.headers.get(OWNER),
  });
  const server = await serveHandlers("/api", handlers);
  return { baseUrl: `${server.origin}/api`, close: server.close };
}

const adapters: [string, (keyward: Keyward) => Promise<Mounted>][] = [
  ["express 5", (keyward) => startExpressKeys(keyward, OWNER, 5)],
  ["express 4", (keyward) => startExpressKeys(keyward, OWNER, 4)],
  ["fastify 5", (keyward) => startFastifyKeys(keyward, OWNER)],
  ["next", nextServer],
  ["hono", (keyward) => startHonoKeys(keyward, OWNER)],
];

describe("every adapter answers the management API's edges itself, byte for byte the same", () => {
  const keyward = createKeyward({ store: memoryStore() });
  afterAll(() => keyward.close());
  const requests = keysApiEdgeRequests(OWNER);

  it("413 / 415 / 400 problem+json for oversized, non-JSON, compressed and badly encoded requests", async () => {
    const runs: [string, RecordedEdge[]][] = [];
    for (const [name, start] of adapters) {
      const server = await start(keyward);
      try {
        runs.push([name, await recordKeysApiEdges(server.baseUrl, requests)]);
      } finally {
        await server.close();
      }
    }
    const [, reference] = runs[0]!;
    requests.forEach((request, i) => {
      const answer = reference[i]!;
      expect(answer.status, answer.request).toBe(request.status);
      expect(answer.headers["content-type"], answer.request).toBe("application/problem+json");
      expect(JSON.parse(answer.body).status, answer.request).toBe(request.status);
    });
    expect(
      reference.find((r) => r.status === 415 && r.request.includes("gzip"))?.headers["accept-encoding"],
    ).toBe("identity");
    for (const [name, recorded] of runs.slice(1)) {
      for (let i = 0; i < reference.length; i++) {
        expect(recorded[i], `${name}: ${reference[i]!.request}`).toEqual(reference[i]);
      }
    }
  });

  for (const [name, start] of adapters) {
    it(`${name}: a 200 MB streamed body answers 413 before it is read, without memory growth`, async () => {
      const server = await start(keyward);
      try {
        const before = process.memoryUsage();
        const answer = await streamHugeBody(server.baseUrl, { [OWNER]: "org_edges" }, 200 * 1024 * 1024);
        const after = process.memoryUsage();
        expect(answer.status).toBe(413);
        expect(answer.headers["content-type"]).toBe("application/problem+json");
        expect(JSON.parse(answer.body).code).toBe("payload_too_large");
        // Answered after a few MB at most (the limit is 100 KiB), never after the whole body.
        expect(answer.sentBytes).toBeLessThan(16 * 1024 * 1024);
        const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
        expect(grown).toBeLessThan(16 * 1024 * 1024);
      } finally {
        await server.close();
      }
    }, 60_000);
  }
});
