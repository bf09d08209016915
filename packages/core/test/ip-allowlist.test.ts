/**
 * Per-key IP allowlists: validation on create/update, matching of IPv4, IPv6 and IPv4-mapped
 * IPv6 addresses, and the check's place in the pipeline (before owner lookups and counters).
 */
import { describe, expect, it } from "vitest";
import { compileAllowlist, resolveAllowedIps } from "../src/ip/index.js";
import { setup } from "./keyward-fixtures.js";

describe("allowedIps on create and update", () => {
  it("is stored as given, shown on the key, replaced and lifted by update", async () => {
    const { keyward } = setup();
    const { key } = await keyward.create({
      allowedIps: [" 203.0.113.0/24", "2001:db8::/32", "198.51.100.7"],
    });
    expect(key.allowedIps).toEqual(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]);
    expect((await keyward.get(key.id))?.allowedIps).toEqual(key.allowedIps);
    expect((await keyward.update(key.id, { allowedIps: ["10.0.0.0/8"] })).allowedIps).toEqual(["10.0.0.0/8"]);
    expect((await keyward.update(key.id, { allowedIps: [] })).allowedIps).toBeNull();
    expect((await keyward.create()).key.allowedIps).toBeNull();
  });

  it("refuses entries that are not addresses or ranges with invalid_request naming the entry", async () => {
    const { keyward } = setup();
    const bad: unknown[] = [
      ["203.0.113.0/33"],
      ["2001:db8::/129"],
      ["300.1.1.1"],
      ["example.com"],
      ["10.0.0.0/8/8"],
      ["10.0.0.0/-1"],
      ["10.0.0.0/"],
      ["fe80::1%eth0"],
      [42],
      "10.0.0.0/8",
    ];
    for (const allowedIps of bad) {
      await expect(keyward.create({ allowedIps: allowedIps as never })).rejects.toMatchObject({
        code: "invalid_request",
        message: expect.stringContaining("allowedIps"),
      });
    }
    expect(() => resolveAllowedIps(Array.from({ length: 101 }, () => "10.0.0.1"))).toThrow(/at most 100/);
  });
});

describe("matching", () => {
  const check = compileAllowlist(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7", "::1"]);
  it("IPv4 addresses and ranges", () => {
    expect(check("203.0.113.200")).toBe(true);
    expect(check("198.51.100.7")).toBe(true);
    expect(check("198.51.100.8")).toBe(false);
    expect(check("203.0.114.1")).toBe(false);
  });
  it("IPv6 addresses and ranges", () => {
    expect(check("2001:db8:ffff::1")).toBe(true);
    expect(check("2001:0db8:0000::0001")).toBe(true);
    expect(check("::1")).toBe(true);
    expect(check("2001:db9::1")).toBe(false);
  });
  it("IPv4-mapped IPv6 matches the IPv4 entry it carries, and an IPv4 client matches a mapped entry", () => {
    expect(check("::ffff:203.0.113.9")).toBe(true);
    expect(check("::ffff:cb00:7109")).toBe(true); // 203.0.113.9 in hex
    expect(check("::ffff:192.0.2.1")).toBe(false);
    expect(compileAllowlist(["::ffff:10.0.0.0/104"])("10.1.2.3")).toBe(true);
  });
  it("an unknown or malformed address never passes", () => {
    expect(check(undefined)).toBe(false);
    expect(check("")).toBe(false);
    expect(check("not an ip")).toBe(false);
    expect(check("203.0.113.1:443")).toBe(false);
  });
});

describe("in the verification pipeline", () => {
  it("answers 403 ip_not_allowed from outside the list and without an address", async () => {
    const { keyward } = setup();
    const { token } = await keyward.create({ allowedIps: ["203.0.113.0/24", "2001:db8::/32"] });
    expect((await keyward.verify(token, { ip: "203.0.113.5" })).ok).toBe(true);
    expect((await keyward.verify(token, { ip: "2001:db8::5" })).ok).toBe(true);
    expect((await keyward.verify(token, { ip: "::ffff:203.0.113.5" })).ok).toBe(true);
    expect(await keyward.verify(token, { ip: "192.0.2.1" })).toMatchObject({
      ok: false,
      code: "ip_not_allowed",
      status: 403,
      message: "The API key may not be used from this client address.",
    });
    expect(await keyward.verify(token)).toMatchObject({
      ok: false,
      code: "ip_not_allowed",
      message: expect.stringContaining("address is unknown"),
    });
    await expect(keyward.verify(token, { ip: 42 as never })).rejects.toThrow(TypeError);
  });

  it("a key without a list passes from anywhere, with or without an address", async () => {
    const { keyward } = setup();
    const { token } = await keyward.create();
    expect((await keyward.verify(token)).ok).toBe(true);
    expect((await keyward.verify(token, { ip: "192.0.2.1" })).ok).toBe(true);
  });

  it("a cached key rejected by address touches no counter: its limit is still whole afterwards", async () => {
    const { keyward, spy } = setup();
    const { token } = await keyward.create({
      allowedIps: ["203.0.113.0/24"],
      rateLimit: { limit: 1, window: "1m" },
    });
    expect((await keyward.verify(token, { ip: "203.0.113.1" })).ok).toBe(true);
    spy.reset();
    for (let i = 0; i < 5; i++) {
      expect(await keyward.verify(token, { ip: "192.0.2.1" })).toMatchObject({ code: "ip_not_allowed" });
    }
    expect(spy.calls).toEqual({}); // no lookup (cached), no consume
  });

  it("an uncached key costs one lookup (to learn its list) and no counter work", async () => {
    const { keyward, spy } = setup();
    const { token } = await keyward.create({
      allowedIps: ["203.0.113.0/24"],
      rateLimit: { limit: 1, window: "1m" },
    });
    spy.reset();
    expect(await keyward.verify(token, { ip: "192.0.2.1" })).toMatchObject({ code: "ip_not_allowed" });
    expect(spy.calls).toEqual({ findByHash: 1 });
    expect((await keyward.verify(token, { ip: "203.0.113.1" })).ok).toBe(true); // the one allowed call
  });

  it("createVerifier takes the address per call, not as an option", async () => {
    const { keyward } = setup();
    const { createVerifier } = await import("../src/index.js");
    expect(() => createVerifier(keyward, { ip: "10.0.0.1" })).toThrow(/per call/);
    const { token } = await keyward.create({ allowedIps: ["10.0.0.0/8"] });
    const check = createVerifier(keyward);
    expect((await check(token, "10.0.0.1")).ok).toBe(true);
    expect((await check(token, "11.0.0.1")).ok).toBe(false);
  });
});
