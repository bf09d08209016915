import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeywardError } from "../src/errors/index.js";
import { createHasher, sha256Hex } from "../src/hash/index.js";
import { generateToken } from "../src/token/index.js";

/** Reference computations with the streaming node:crypto APIs, independent of the implementation. */
const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
const peppered = (pepper: string, value: string) =>
  createHmac("sha256", Buffer.from(pepper, "utf8")).update(sha256(value), "utf8").digest("hex");

const token = "sk_live_Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU0kjLjl";

describe("createHasher without a pepper", () => {
  const hasher = createHasher(undefined);

  it("stores the hex SHA-256 of the token", () => {
    expect(hasher.peppered).toBe(false);
    expect(hasher.hash(token)).toBe(sha256(token));
    expect(hasher.hash(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("matches the published SHA-256 test vector", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hasher.hash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashes the UTF-8 bytes of the token", () => {
    expect(hasher.hash("clé-ünïcødé")).toBe(sha256("clé-ünïcødé"));
  });

  it("has one candidate: the hash", () => {
    expect(hasher.candidates(token)).toEqual([sha256(token)]);
  });

  it("imports a SHA-256 as itself, any case", () => {
    expect(hasher.fromSha256(sha256(token))).toBe(hasher.hash(token));
    expect(hasher.fromSha256(sha256(token).toUpperCase())).toBe(hasher.hash(token));
  });
});

describe("createHasher with peppers", () => {
  it("stores HMAC-SHA-256(pepper, hex SHA-256(token))", () => {
    const hasher = createHasher("pepper-1");
    expect(hasher.peppered).toBe(true);
    expect(hasher.hash(token)).toBe(peppered("pepper-1", token));
    expect(hasher.hash(token)).not.toBe(sha256(token));
    expect(hasher.candidates(token)).toEqual([peppered("pepper-1", token)]);
  });

  it("differs per pepper", () => {
    expect(createHasher("a").hash(token)).not.toBe(createHasher("b").hash(token));
  });

  it("hashes with the first pepper and offers one candidate per pepper, first first", () => {
    const hasher = createHasher(["new", "old", "older"]);
    expect(hasher.hash(token)).toBe(peppered("new", token));
    expect(hasher.candidates(token)).toEqual([
      peppered("new", token),
      peppered("old", token),
      peppered("older", token),
    ]);
  });

  it("keeps keys stored under a retired pepper verifiable after rotation", () => {
    const before = createHasher("old");
    const stored = new Set(Array.from({ length: 20 }, () => before.hash(generateToken("sk"))));
    const tokens = Array.from({ length: 20 }, () => generateToken("sk"));
    for (const t of tokens) stored.add(before.hash(t));
    const after = createHasher(["new", "old"]);
    for (const t of tokens) {
      const found = after.candidates(t).filter((hash) => stored.has(hash));
      expect(found).toEqual([before.hash(t)]);
      expect(after.hash(t)).not.toBe(before.hash(t)); // re-hashed to the first pepper on use
    }
  });

  it("drops duplicate peppers", () => {
    expect(createHasher(["a", "b", "a"]).candidates(token)).toEqual([
      peppered("a", token),
      peppered("b", token),
    ]);
  });

  it("peppers an imported SHA-256 exactly like the token it came from", () => {
    const hasher = createHasher(["p1", "p2"]);
    expect(hasher.fromSha256(sha256(token))).toBe(hasher.hash(token));
    expect(hasher.fromSha256(sha256(token).toUpperCase())).toBe(hasher.hash(token));
  });
});

describe("fromSha256 with a malformed digest", () => {
  it.each([
    "",
    "abc",
    "g".repeat(64),
    "a".repeat(63),
    "a".repeat(65),
    ` ${"a".repeat(64)}`,
    `${"a".repeat(64)}\n`,
    null,
    42,
  ])("throws KeywardError invalid_request without echoing the value (%#)", (digest) => {
    for (const hasher of [createHasher(undefined), createHasher("p")]) {
      let error: unknown;
      try {
        hasher.fromSha256(digest as string);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(KeywardError);
      expect((error as KeywardError).code).toBe("invalid_request");
      expect((error as KeywardError).status).toBe(400);
      if (typeof digest === "string" && digest.length > 10) {
        expect((error as KeywardError).message).not.toContain(digest.trim());
      }
    }
  });
});

describe("createHasher option errors", () => {
  it.each([
    ["", /option "pepper" must be a non-empty string/],
    [[], /option "pepper" must be a non-empty string or a non-empty list/],
    [["first-secret", ""], /option "pepper\[1\]" must be a non-empty string/],
    [["first-secret", 7], /option "pepper\[1\]" .*got a value of type number/],
    [null, /option "pepper"/],
    [42, /option "pepper"/],
  ])("throws TypeError for %o", (value, message) => {
    expect(() => createHasher(value as never)).toThrow(TypeError);
    expect(() => createHasher(value as never)).toThrow(message);
  });

  it("uses the given option name", () => {
    expect(() => createHasher("", "auth.pepper")).toThrow(/option "auth\.pepper"/);
  });

  it("never puts a pepper in the message", () => {
    try {
      createHasher(["super-secret-pepper", ""]);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("super-secret-pepper");
    }
  });
});
