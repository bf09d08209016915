import { describe, expect, it } from "vitest";
import { tagSafe } from "../src/keyspace.js";
import { clusterSlot, crc16 } from "./helpers.js";

// The slot function the Cluster tests rely on, checked against the Redis Cluster
// specification's reference values and rules.
describe("the test's own Cluster slot function", () => {
  it("computes CRC16/XMODEM", () => {
    expect(crc16(Buffer.from("123456789"))).toBe(0x31c3);
    expect(clusterSlot("foo")).toBe(12182);
  });
  it("hashes only the first non-empty tag", () => {
    expect(clusterSlot("{user1000}.following")).toBe(clusterSlot("{user1000}.followers"));
    expect(clusterSlot("{user1000}.following")).toBe(crc16(Buffer.from("user1000")) % 16384);
    expect(clusterSlot("foo{}{bar}")).toBe(crc16(Buffer.from("foo{}{bar}")) % 16384);
    expect(clusterSlot("foo{{bar}}zap")).toBe(crc16(Buffer.from("{bar")) % 16384);
  });
});

describe("tagSafe", () => {
  it("keeps ordinary ids and encodes braces so a tag can neither end early nor be empty", () => {
    expect(tagSafe("key_01J")).toBe("key_01J");
    expect(tagSafe("a}b")).toBe("a%7Db");
    expect(tagSafe("{x}")).toBe("%7Bx%7D");
    expect(tagSafe("100%")).toBe("100%25");
    expect(tagSafe("")).toBe("%");
    expect(clusterSlot(`p:{${tagSafe("}x")}}:k:1`)).toBe(clusterSlot(`p:{${tagSafe("}x")}}:q:1`));
  });
});
