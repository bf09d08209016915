import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  assertPrefix,
  BASE62_ALPHABET,
  generateToken,
  isKeywardToken,
  parseToken,
  TOKEN_PATTERN,
  tokenChecksum,
  tokenPattern,
  tokenStart,
} from "../src/token/index.js";

/** Base62 written independently of the implementation: BigInt division, most significant first. */
function base62(value: number, width: number): string {
  let rest = BigInt(value);
  let text = "";
  while (rest > 0n) {
    text = BASE62_ALPHABET[Number(rest % 62n)] + text;
    rest /= 62n;
  }
  return text.padStart(width, "0");
}

/** A token built by hand from a body, the way the docs describe it. */
function handMade(body: string): string {
  return body + base62(crc32(Buffer.from(body, "utf8")), 6);
}

const WORKED_BODY = "sk_live_Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU";
const WORKED_TOKEN = "sk_live_Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU0kjLjl";

describe("generateToken", () => {
  it.each(["sk", "sk_live", "a1_b2_c3", "x"])(
    "has the shape <prefix>_<38 base62> for prefix %s",
    (prefix) => {
      const token = generateToken(prefix);
      expect(token).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{38}$`));
      expect(token.length).toBe(prefix.length + 1 + 38);
    },
  );

  it("ends in the base62 CRC32 of everything before the checksum, prefix and underscore included", () => {
    for (let i = 0; i < 200; i++) {
      const token = generateToken("sk_live");
      expect(token).toBe(handMade(token.slice(0, -6)));
    }
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 5_000 }, () => generateToken("sk")));
    expect(tokens.size).toBe(5_000);
  });

  it("draws every base62 character about equally often (no modulo bias)", () => {
    // 20 000 tokens × 32 characters: each character is expected 10 322 times with a standard
    // deviation of about 101. A modulo-biased draw (byte % 62 without rejection) would give
    // "0"–"7" about 25% more than the rest, far outside the ±6% allowed here.
    const counts = new Map<string, number>();
    const tokens = 20_000;
    for (let i = 0; i < tokens; i++) {
      const random = generateToken("sk").slice(3, 35);
      for (const char of random) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    const expected = (tokens * 32) / 62;
    expect(counts.size).toBe(62);
    for (const char of BASE62_ALPHABET) {
      expect(Math.abs(counts.get(char)! - expected) / expected, `character ${char}`).toBeLessThan(0.06);
    }
  });

  it("refuses an invalid prefix", () => {
    expect(() => generateToken("SK")).toThrow(TypeError);
    expect(() => generateToken("")).toThrow(/option "prefix"/);
  });
});

describe("tokenChecksum", () => {
  it("matches the worked example in docs/token-format.md", () => {
    expect(crc32(WORKED_BODY)).toBe(0x29287ee1);
    expect(tokenChecksum(WORKED_BODY)).toBe("0kjLjl");
    expect(handMade(WORKED_BODY)).toBe(WORKED_TOKEN);
  });

  it("zero-pads small values to six digits", () => {
    // crc32("") is 0; the checksum is still six characters.
    expect(tokenChecksum("")).toBe("000000");
  });
});

describe("parseToken", () => {
  it("splits a valid token into prefix, random part and checksum", () => {
    expect(parseToken(WORKED_TOKEN)).toEqual({
      prefix: "sk_live",
      random: "Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU",
      checksum: "0kjLjl",
    });
    const token = generateToken("acme_prod_v2");
    expect(parseToken(token)?.prefix).toBe("acme_prod_v2");
  });

  it("rejects every single-character substitution of a real token", () => {
    const substitutes = `${BASE62_ALPHABET}_-.`;
    const tokens = [WORKED_TOKEN, ...Array.from({ length: 10 }, () => generateToken("sk_live"))];
    let tried = 0;
    for (const token of tokens) {
      for (let position = 0; position < token.length; position++) {
        for (const char of substitutes) {
          if (char === token[position]) continue;
          const typo = token.slice(0, position) + char + token.slice(position + 1);
          expect(parseToken(typo), `${position}:${char}`).toBeNull();
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(30_000);
  });

  it("rejects every transposition of two adjacent different characters", () => {
    const tokens = [WORKED_TOKEN, ...Array.from({ length: 50 }, () => generateToken("sk_live"))];
    for (const token of tokens) {
      for (let i = 0; i + 1 < token.length; i++) {
        if (token[i] === token[i + 1]) continue;
        const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
        expect(parseToken(swapped), `swap at ${i}`).toBeNull();
      }
    }
  });

  it("rejects a dropped, a doubled or an appended character", () => {
    const token = generateToken("sk_live");
    for (let i = 0; i < token.length; i++) {
      expect(parseToken(token.slice(0, i) + token.slice(i + 1))).toBeNull();
      expect(parseToken(token.slice(0, i) + token[i] + token.slice(i))).toBeNull();
    }
    expect(parseToken(token + "a")).toBeNull();
    expect(parseToken(" " + token)).toBeNull();
    expect(parseToken(token + "\n")).toBeNull();
  });

  it.each([
    "",
    "sk_live_",
    "sk_live",
    "Bearer sk_live_Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU0kjLjl",
    "_Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU0kjLjl",
    "sk_live-Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU0kjLjl",
    "a".repeat(10_000),
    "sk_live_" + "é".repeat(38),
    "sk_live_" + "😀".repeat(19),
    "sk_live_" + "0".repeat(38),
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
  ])("rejects garbage %#", (garbage) => {
    expect(parseToken(garbage)).toBeNull();
    expect(isKeywardToken(garbage)).toBe(false);
  });

  it.each([null, undefined, 42, {}, ["sk"]])("answers null for the non-string %o", (value) => {
    expect(parseToken(value as never)).toBeNull();
    expect(isKeywardToken(value)).toBe(false);
  });

  it("rejects a correct checksum over an invalid prefix", () => {
    const random = "Zx4mQ9rT2bWc7LpN5vKd8HsF3gJy6EaU";
    for (const prefix of ["SK", "sk__live", "sk_", "1sk", "sk-live", "sk_1", "s".repeat(33)]) {
      expect(parseToken(handMade(`${prefix}_${random}`)), prefix).toBeNull();
    }
    expect(parseToken(handMade(`${"s".repeat(32)}_${random}`))?.prefix).toBe("s".repeat(32));
  });

  it("takes the prefix as everything before the last 39 characters", () => {
    // A random part may begin with lowercase letters; they never leak into the prefix.
    const token = handMade("sk_live_abcdefghijklmnopqrstuvwxyz012345");
    expect(parseToken(token)).toMatchObject({
      prefix: "sk_live",
      random: "abcdefghijklmnopqrstuvwxyz012345",
    });
  });
});

describe("isKeywardToken", () => {
  it("checks shape, checksum and, when given, the prefix", () => {
    const token = generateToken("sk_live");
    expect(isKeywardToken(token)).toBe(true);
    expect(isKeywardToken(token, "sk_live")).toBe(true);
    expect(isKeywardToken(token, "sk")).toBe(false);
    expect(isKeywardToken(token, "sk_test")).toBe(false);
    expect(isKeywardToken(token, "sk_live_x")).toBe(false);
    expect(isKeywardToken(generateToken("sk"), "sk_live")).toBe(false);
  });

  it("narrows unknown to string", () => {
    const value: unknown = generateToken("sk");
    if (isKeywardToken(value)) expect(value.length).toBe(41);
    else expect.unreachable();
  });
});

describe("tokenStart", () => {
  it("is the prefix, the underscore and the first four random characters", () => {
    expect(tokenStart(WORKED_TOKEN)).toBe("sk_live_Zx4m");
    const token = generateToken("a_b");
    expect(tokenStart(token)).toBe(token.slice(0, 8));
  });

  it("shows at most 6 characters and a quarter of a legacy key", () => {
    expect(tokenStart("legacy-secret-0123456789abcdef")).toBe("legacy");
    expect(tokenStart("abcdefgh")).toBe("ab");
    expect(tokenStart("abc")).toBe("");
  });
});

describe("TOKEN_PATTERN and tokenPattern", () => {
  const token = generateToken("sk_live");
  const other = generateToken("rk_test");

  it("find tokens inside text", () => {
    const text = `curl -H "Authorization: Bearer ${token}" and later X-API-Key: ${other}.`;
    const found = text.match(new RegExp(TOKEN_PATTERN.source, "g"));
    expect(found).toEqual([token, other]);
    expect(text.match(tokenPattern("sk_live"))?.[0]).toBe(token);
    expect(text.match(new RegExp(tokenPattern("rk_test").source, "g"))).toEqual([other]);
  });

  it("do not match a longer run of characters or a different prefix", () => {
    expect(TOKEN_PATTERN.test(`${token}x`)).toBe(false);
    expect(TOKEN_PATTERN.test(`${token}_x`)).toBe(false);
    expect(tokenPattern("sk_live").test(`x${token}`)).toBe(false);
    expect(tokenPattern("sk_live").test(`my_${token}`)).toBe(false);
    expect(tokenPattern("sk").test(token)).toBe(false);
    expect(TOKEN_PATTERN.test(`sk_live_${"a".repeat(37)}`)).toBe(false);
  });

  it("are stateless and RE2-compatible (no flags, no lookaround)", () => {
    expect(TOKEN_PATTERN.flags).toBe("");
    expect(tokenPattern("sk").flags).toBe("");
    expect(TOKEN_PATTERN.source).not.toMatch(/\(\?<?[=!]/);
    expect(TOKEN_PATTERN.source).toBe("\\b[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*_[0-9A-Za-z]{38}\\b");
    expect(tokenPattern("sk_live").source).toBe("\\bsk_live_[0-9A-Za-z]{38}\\b");
  });

  it("refuses an invalid prefix instead of building a wrong pattern", () => {
    expect(() => tokenPattern("sk.*")).toThrow(TypeError);
  });
});

describe("assertPrefix", () => {
  it.each(["sk", "sk_live", "a1", "a_b_c", "keyward2", "s".repeat(32)])("accepts %s", (prefix) => {
    expect(() => assertPrefix(prefix, "prefix")).not.toThrow();
  });

  it.each(["", "SK", "sk_", "_sk", "sk__live", "1sk", "sk_1", "sk-live", "sk live", "ск", "s".repeat(33)])(
    "rejects %j naming the option",
    (prefix) => {
      expect(() => assertPrefix(prefix, "tokens.prefix")).toThrow(TypeError);
      expect(() => assertPrefix(prefix, "tokens.prefix")).toThrow(
        /^keyward: option "tokens\.prefix" must be/,
      );
    },
  );

  it("rejects non-strings", () => {
    expect(() => assertPrefix(undefined as never, "prefix")).toThrow(/got undefined/);
  });
});
