/** Next / fetch factories reject a misspelt option with a TypeError naming the nearest valid one. */
import { createKeyward, memoryStore } from "@keyward/core";
import { afterAll, describe, expect, it } from "vitest";
import { createFetchAuth, keysHandlers, withApiKeyAuth } from "../src/index.js";

const keyward = createKeyward({ store: memoryStore() });
afterAll(() => keyward.close());

const CASES: [string, () => unknown, RegExp][] = [
  [
    "withApiKeyAuth",
    () => withApiKeyAuth(keyward, async () => new Response(), { optinal: true } as never),
    /^withApiKeyAuth\(\): unknown option "optinal" — did you mean "optional"\?/,
  ],
  [
    "createFetchAuth",
    () => createFetchAuth(keyward, { headerName: ["x-key"] } as never),
    /^createFetchAuth\(\): unknown option "headerName" — did you mean "headerNames"\?/,
  ],
  [
    "keysHandlers",
    () => keysHandlers(keyward, { owner: () => "o", allowedScope: ["task:read"] } as never),
    /^keysHandlers\(\): unknown option "allowedScope" — did you mean "allowedScopes"\?/,
  ],
  [
    "keysHandlers",
    () => keysHandlers(keyward, { owner: () => "o", basepath: "/api" } as never),
    /^keysHandlers\(\): unknown option "basepath" — did you mean "basePath"\?/,
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
