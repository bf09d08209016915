import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { parseCsvRecord } from "../src/import/csv.js";
import { LineError, toImportInput } from "../src/import/normalize.js";
import { parseQuota, parseRateLimits } from "../src/parse/limits.js";
import { parseExpiry, parseMetadata, parseScopes } from "../src/parse/values.js";

describe("--rate-limit", () => {
  it("one unnamed value is the key's single policy", () => {
    expect(parseRateLimits(["1000/1m"], false)).toEqual({ limit: 1000, window: "1m" });
    expect(parseRateLimits(["100/1s:token-bucket"], false)).toEqual({
      limit: 100,
      window: "1s",
      algorithm: "token-bucket",
    });
    expect(parseRateLimits(["5/1h:fixed"], false)).toEqual({
      limit: 5,
      window: "1h",
      algorithm: "fixed-window",
    });
  });
  it("several values become named limits, the unnamed one called default", () => {
    expect(parseRateLimits(["1000/1m", "search=10/1m"], false)).toEqual([
      { name: "default", limit: 1000, window: "1m" },
      { name: "search", limit: 10, window: "1m" },
    ]);
  });
  it("none removes limits; default is for update only", () => {
    expect(parseRateLimits(["none"], false)).toBeNull();
    expect(parseRateLimits(["default"], true)).toBe("default");
    expect(() => parseRateLimits(["default"], false)).toThrow(UsageError);
  });
  it.each(["10", "10/", "/1m", "x/1m", "0/1m", "10/1m:leaky", "a b=1/1m", "10/0s"])("rejects %j", (value) => {
    expect(() => parseRateLimits([value], false)).toThrow();
  });
  it("rejects a name given twice", () => {
    expect(() => parseRateLimits(["a=1/1s", "a=2/1s"], false)).toThrow(/twice/);
  });
});

describe("--quota", () => {
  it("parses a balance, a refill interval and a refill amount", () => {
    expect(parseQuota("10000")).toEqual({ limit: 10_000 });
    expect(parseQuota("10000/30d")).toEqual({ limit: 10_000, refill: { interval: "30d" } });
    expect(parseQuota("10000/30d:500")).toEqual({ limit: 10_000, refill: { interval: "30d", amount: 500 } });
    expect(parseQuota("none")).toBeNull();
  });
  it.each(["lots", "10/", "10/1x", "-5", "10/0d"])("rejects %j", (value) => {
    expect(() => parseQuota(value)).toThrow();
  });
});

describe("scopes, metadata, expiry", () => {
  it("accepts resource:action, wildcards and configured presets, comma-separated or repeated", () => {
    expect(
      parseScopes(["task:read,task:write", "project:*", "*", "reader", "task:read"], { reader: [] }),
    ).toEqual(["task:read", "task:write", "project:*", "*", "reader"]);
    expect(() => parseScopes(["reader"])).toThrow(/bad scope "reader"/);
    expect(() => parseScopes(["task:"])).toThrow(UsageError);
  });
  it("reads key=value as a string and key:=json as JSON", () => {
    expect(parseMetadata(["team=ops", "count:=3", 'tags:=["a"]', "eq=a=b"])).toEqual({
      team: "ops",
      count: 3,
      tags: ["a"],
      eq: "a=b",
    });
    expect(() => parseMetadata(["=x"])).toThrow(UsageError);
    expect(() => parseMetadata(["n:={"])).toThrow(/valid JSON/);
  });
  it("reads a duration, a date or never", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseExpiry("90d", now)).toEqual({ expiresIn: "90d" });
    expect(parseExpiry("2027-01-31", now)).toEqual({ expiresAt: new Date("2027-01-31T00:00:00Z") });
    expect(parseExpiry("never", now)).toEqual({ expiresAt: null });
    expect(() => parseExpiry("2025-01-01", now)).toThrow(/future/);
    expect(() => parseExpiry("0d", now)).toThrow(/future/);
    expect(() => parseExpiry("tomorrow", now)).toThrow(UsageError);
  });
});

describe("CSV records", () => {
  it("handles quotes, doubled quotes and commas inside quotes", () => {
    expect(parseCsvRecord('a,"b, c","say ""hi""",')).toEqual({ fields: ["a", "b, c", 'say "hi"', ""] });
  });
  it("asks for more text while a quoted field is open", () => {
    expect(parseCsvRecord('a,"multi')).toEqual({ incomplete: true });
    expect(parseCsvRecord('a,"multi\nline"')).toEqual({ fields: ["a", "multi\nline"] });
  });
  it("reports text after a closing quote", () => {
    expect(parseCsvRecord('"a"b,c')).toHaveProperty("error");
  });
});

describe("import lines", () => {
  const digest = "ab".repeat(32);
  it("maps CSV strings and JSONL values to import input", () => {
    expect(
      toImportInput({
        token: "legacy_123",
        name: "n",
        owner: "org_1",
        scopes: "task:read; task:write",
        expires_at: "1893456000000",
        metadata: '{"a":1}',
        enabled: "false",
      }),
    ).toEqual({
      token: "legacy_123",
      name: "n",
      ownerId: "org_1",
      scopes: ["task:read", "task:write"],
      expiresAt: new Date(1_893_456_000_000),
      metadata: { a: 1 },
      enabled: false,
    });
    expect(toImportInput({ sha256: digest, ownerId: "o", scopes: ["*"], metadata: { b: 2 } })).toEqual({
      sha256: digest,
      ownerId: "o",
      scopes: ["*"],
      metadata: { b: 2 },
    });
  });
  it.each([
    [{}, /needs a token or a sha256/],
    [{ token: "a", sha256: digest }, /both/],
    [{ sha256: "xyz" }, /64 hexadecimal/],
    [{ token: "a b" }, /whitespace/],
    [{ token: "a", colour: "red" }, /unknown field "colour"/],
    [{ token: "a", scopes: 5 }, /scopes must be/],
    [{ token: "a", expires_at: "soon" }, /expires_at/],
    [{ token: "a", metadata: "[1]" }, /metadata must be a JSON object/],
    [{ token: "a", enabled: "maybe" }, /enabled/],
  ])("rejects %j", (fields, message) => {
    expect(() => toImportInput(fields)).toThrow(LineError);
    expect(() => toImportInput(fields)).toThrow(message);
  });
});
