import { isKeywardError } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { setup, T0 } from "./keyward-fixtures.js";

describe("write-behind usage", () => {
  it("N verifications cost no write until the flush, then ONE recordUsage call", async () => {
    const { keyward, spy, advance } = setup();
    const a = await keyward.create();
    const b = await keyward.create();
    for (let i = 0; i < 25; i++) {
      advance(10);
      await keyward.verify(i % 5 === 0 ? b.token : a.token);
    }
    expect(spy.count("recordUsage")).toBe(0);
    await keyward.flush();
    expect(spy.count("recordUsage")).toBe(1);
    expect(await keyward.get(a.key.id)).toMatchObject({ usageCount: 20, lastUsedAt: new Date(T0 + 250) });
    expect(await keyward.get(b.key.id)).toMatchObject({ usageCount: 5, lastUsedAt: new Date(T0 + 210) });
    await keyward.flush();
    expect(spy.count("recordUsage")).toBe(1); // nothing pending, nothing written
  });

  it("flushes on its own once maxBatch keys are pending", async () => {
    const { keyward, spy } = setup({ writeBehind: { interval: 3_600_000, maxBatch: 3 } });
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push((await keyward.create()).token);
    await keyward.verify(tokens[0]);
    await keyward.verify(tokens[1]);
    await keyward.verify(tokens[1]);
    expect(spy.count("recordUsage")).toBe(0);
    await keyward.verify(tokens[2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(spy.count("recordUsage")).toBe(1);
    expect(spy.args.recordUsage?.[0]?.[0]).toHaveLength(3);
  });

  it("flushes on the interval timer", async () => {
    const { keyward, spy } = setup({ writeBehind: { interval: 20 } });
    const { token, key } = await keyward.create();
    await keyward.verify(token);
    for (let i = 0; i < 100 && spy.count("recordUsage") === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(spy.count("recordUsage")).toBe(1);
    expect(await keyward.get(key.id)).toMatchObject({ usageCount: 1 });
  });

  it("a failed flush loses nothing and counts nothing twice", async () => {
    const { keyward, spy } = setup();
    const { token, key } = await keyward.create();
    await keyward.verify(token);
    await keyward.verify(token);
    spy.fail.add("recordUsage");
    const error = await keyward.flush().catch((e: unknown) => e);
    expect(isKeywardError(error, "unavailable")).toBe(true);
    await keyward.verify(token);
    spy.fail.clear();
    await keyward.flush();
    expect(await keyward.get(key.id)).toMatchObject({ usageCount: 3 });
    await keyward.flush();
    expect(await keyward.get(key.id)).toMatchObject({ usageCount: 3 });
  });

  it("close() flushes what is pending", async () => {
    const { keyward, spy } = setup();
    const { token, key } = await keyward.create();
    await keyward.verify(token);
    await keyward.close();
    expect(spy.count("recordUsage")).toBe(1);
    expect(await spy.store.getKey(key.id)).toMatchObject({ usageCount: 1 });
  });

  it("failed verifications are not counted", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create({ scopes: [] });
    await keyward.verify(token, { scopes: ["task:read"] });
    await keyward.flush();
    expect(await keyward.get(key.id)).toMatchObject({ usageCount: 0, lastUsedAt: null });
  });
});
