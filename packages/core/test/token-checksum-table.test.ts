// Pins that the request path's table-driven CRC-32 (folded into tokenSeparator's single pass)
// is the same function as zlib.crc32, which defines the checksum: every token whose checksum
// is computed with zlib is accepted, and a checksum off by one in any digit is not.
import { randomInt } from "node:crypto";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET, encodeBase62 } from "../src/token/base62.js";
import { tokenSeparator } from "../src/token/parse.js";

const randomBody = (prefix: string) => {
  let body = `${prefix}_`;
  for (let i = 0; i < 32; i++) body += BASE62_ALPHABET[randomInt(62)];
  return body;
};

describe("the table CRC-32 on the request path", () => {
  const prefixes = ["sk", "sk_live", "acme_test2", "p0_x9_z", "a".repeat(32)];

  it("accepts every token whose checksum zlib.crc32 computed", () => {
    for (let i = 0; i < 20_000; i++) {
      const prefix = prefixes[i % prefixes.length]!;
      const body = randomBody(prefix);
      const token = body + encodeBase62(crc32(body), 6);
      expect(tokenSeparator(token)).toBe(prefix.length);
    }
  });

  it("rejects a checksum that differs from zlib's by one", () => {
    for (let i = 0; i < 2_000; i++) {
      const body = randomBody("sk_live");
      const wrong = (crc32(body) + 1) % 2 ** 32;
      expect(tokenSeparator(body + encodeBase62(wrong, 6))).toBe(-1);
    }
  });
});
