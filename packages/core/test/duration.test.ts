import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../src/duration/index.js";
import type { Duration } from "../src/types.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["0ms", 0],
    ["30s", 30_000],
    ["15m", 900_000],
    ["24h", 86_400_000],
    ["90d", 7_776_000_000],
    ["007s", 7_000],
    ["1d", 86_400_000],
  ] as const)("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text, "window")).toBe(ms);
  });

  it("accepts finite non-negative numbers as milliseconds", () => {
    expect(parseDuration(0, "timeout")).toBe(0);
    expect(parseDuration(2_500, "timeout")).toBe(2_500);
    expect(parseDuration(Number.MAX_SAFE_INTEGER, "timeout")).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("rounds a fractional number of milliseconds up, so a positive duration never becomes 0", () => {
    expect(parseDuration(0.2, "timeout")).toBe(1);
    expect(parseDuration(1.5, "timeout")).toBe(2);
  });

  it("always answers an integer", () => {
    for (const value of [0.1, 1, 999.999, "1ms", "59m"] as Duration[]) {
      expect(Number.isInteger(parseDuration(value, "x"))).toBe(true);
    }
  });

  it("names the option and the bad value", () => {
    expect(() => parseDuration("30 sec" as Duration, "cache.ttl")).toThrow(
      new TypeError(
        'keyward: option "cache.ttl" must be a duration like "30s" or milliseconds, got "30 sec"',
      ),
    );
  });

  it.each([
    "30 sec",
    "30S",
    "1.5h",
    "-5s",
    "+5s",
    " 5s",
    "5s ",
    "5",
    "s",
    "",
    "5w",
    "5y",
    "5mss",
    "1e3ms",
    "0x10s",
    "5_000ms",
    "toString",
    "5toString",
    "5__proto__",
    "99999999999999999d",
  ])("rejects the string %j", (text) => {
    expect(() => parseDuration(text as Duration, "window")).toThrow(TypeError);
    expect(() => parseDuration(text as Duration, "window")).toThrow(/option "window" must be a duration/);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 60])(
    "rejects the number %d",
    (value) => {
      expect(() => parseDuration(value, "timeout")).toThrow(
        new RegExp(`option "timeout" must be a duration .*, got ${String(value).replace("+", "\\+")}$`),
      );
    },
  );

  it.each([null, undefined, true, {}, [], 5n])("rejects %o", (value) => {
    expect(() => parseDuration(value as never, "timeout")).toThrow(TypeError);
  });

  it("shortens a very long bad value in the message", () => {
    const error = (() => {
      try {
        parseDuration("x".repeat(1000) as Duration, "window");
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(200);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [1, "1ms"],
    [1_500, "1500ms"],
    [1_000, "1s"],
    [90_000, "90s"],
    [60_000, "1m"],
    [3_600_000, "1h"],
    [5_400_000, "90m"],
    [86_400_000, "1d"],
    [7_776_000_000, "90d"],
    [90_000_001, "90000001ms"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("is the inverse of parseDuration", () => {
    for (const ms of [0, 7, 1_000, 61_000, 3_600_000, 172_800_000, 123_456_789]) {
      expect(parseDuration(formatDuration(ms) as Duration, "x")).toBe(ms);
    }
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects %d", (ms) => {
    expect(() => formatDuration(ms)).toThrow(TypeError);
  });
});
