import { afterEach, describe, expect, it, vi } from "vitest";

// Replaces the random source with scripted bytes so the sampling rules can be observed.
const script: { draws: number[][]; calls: number } = { draws: [], calls: 0 };

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return {
    ...original,
    getRandomValues: <T extends ArrayBufferView>(array: T): T => {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      const next = script.draws[script.calls++] ?? [];
      bytes.fill(0);
      bytes.set(next.slice(0, bytes.length));
      return array;
    },
  };
});

const { BASE62_ALPHABET, generateToken, parseToken } = await import("../src/token/index.js");

afterEach(() => {
  script.draws = [];
  script.calls = 0;
});

describe("generateToken sampling", () => {
  it("maps an accepted byte b to alphabet[b % 62]", () => {
    const bytes = Array.from({ length: 40 }, (_, i) => (i * 7 + 3) % 248);
    script.draws = [bytes];
    const random = parseToken(generateToken("sk"))!.random;
    expect(random).toBe(
      bytes
        .slice(0, 32)
        .map((b) => BASE62_ALPHABET[b % 62])
        .join(""),
    );
  });

  it("skips bytes 248–255 (which would bias the first eight characters)", () => {
    const draw = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 248 + (i % 8) : 61));
    script.draws = [draw, new Array(40).fill(1)];
    const random = parseToken(generateToken("sk"))!.random;
    // Twenty accepted bytes (61 → "z") in the first draw, then twelve from the refill (1 → "1").
    expect(random).toBe("z".repeat(20) + "1".repeat(12));
    expect(script.calls).toBe(2);
  });

  it("keeps drawing until 32 characters are accepted", () => {
    script.draws = [
      new Array(40).fill(255),
      new Array(40).fill(250),
      [...new Array(39).fill(249), 10],
      new Array(40).fill(0),
    ];
    const random = parseToken(generateToken("sk"))!.random;
    expect(random).toBe("A" + "0".repeat(31));
    expect(script.calls).toBe(4);
  });
});
