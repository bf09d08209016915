/** Express factories reject a misspelt option with a TypeError naming the nearest valid one. */
import { createKeyward, memoryStore } from "@keyward/core";
import { afterAll, describe, expect, it } from "vitest";
import { apiKeyAuth, keysRouter } from "../src/index.js";

const keyward = createKeyward({ store: memoryStore() });
afterAll(() => keyward.close());

const CASES: [string, () => unknown, RegExp][] = [
  [
    "apiKeyAuth",
    () => apiKeyAuth(keyward, { scope: ["task:read"] } as never),
    /^apiKeyAuth\(\): unknown option "scope" — did you mean "scopes"\?/,
  ],
  [
    "keysRouter",
    () => keysRouter(keyward, { owner: () => "o", allowedScope: ["task:read"] } as never),
    /^keysRouter\(\): unknown option "allowedScope" — did you mean "allowedScopes"\?/,
  ],
  [
    "keysRouter",
    () => keysRouter(keyward, { owner: () => "o", bodylimit: "1kb" } as never),
    /^keysRouter\(\): unknown option "bodylimit" — did you mean "bodyLimit"\?/,
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
