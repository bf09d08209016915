/** The Redis factories reject a misspelt option with a TypeError naming the nearest valid one. */
import { describe, expect, it } from "vitest";
import { redisCounters, redisInvalidation, redisStore } from "../src/index.js";

/** Never reached: the option check throws before anything talks to Redis. */
const client = { evalsha() {}, publish() {}, subscribe() {}, duplicate() {} };

const CASES: [string, () => unknown, RegExp][] = [
  [
    "redisStore",
    () => redisStore({ client, prefx: "app" } as never),
    /^redisStore\(\): unknown option "prefx" — did you mean "prefix"\?/,
  ],
  [
    "redisCounters",
    () => redisCounters({ client, prefixx: "app" } as never),
    /^redisCounters\(\): unknown option "prefixx" — did you mean "prefix"\?/,
  ],
  [
    "redisInvalidation",
    () => redisInvalidation({ client, subscribr: client } as never),
    /^redisInvalidation\(\): unknown option "subscribr" — did you mean "subscriber"\?/,
  ],
];

describe("unknown option names", () => {
  for (const [factory, call, message] of CASES) {
    it(`${factory} throws a TypeError naming the option and the nearest valid name`, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    });
  }
});
