import type { ConsumeRequest } from "@keyward/core/store";
import { describe, expect, it } from "vitest";
import { redisCounters } from "../src/index.js";
import { clientForFile } from "./helpers.js";

// The guard corks a standalone client's socket at the first command of a tick and uncorks it
// on the next tick: the commands of concurrent requests leave in one write, none waits longer.
const redis = clientForFile("batching");

const request = (i: number): ConsumeRequest => ({
  partition: `p${i}`,
  now: 0,
  limits: [{ key: "k:a:default", algorithm: "sliding-window", limit: 5, window: 60_000, cost: 1 }],
  quota: null,
});

describe("write batching", () => {
  it("commands of one tick go out together after it, each with its own answer", async () => {
    const { client, prefix } = redis;
    const counters = redisCounters({ client, prefix });
    const calls = Array.from({ length: 20 }, (_, i) => counters.consume(request(i)));
    expect(client.stream.writableCorked).toBe(1);
    expect(client.stream.writableLength).toBeGreaterThan(0);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(client.stream.writableCorked).toBe(0);
    const results = await Promise.all(calls);
    expect(results.map((r) => r.limits[0]?.remaining)).toEqual(Array(20).fill(4));
  });

  it("a client's own commands in the same tick keep their order and answers", async () => {
    const { client, prefix } = redis;
    const counters = redisCounters({ client, prefix });
    const consumed = counters.consume(request(100));
    const set = client.set(`${prefix}:plain`, "1");
    const got = client.get(`${prefix}:plain`);
    expect((await consumed).allowed).toBe(true);
    expect(await set).toBe("OK");
    expect(await got).toBe("1");
    expect(client.stream.writableCorked).toBe(0);
  });
});
