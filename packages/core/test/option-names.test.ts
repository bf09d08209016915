/**
 * Every factory and options object of @keyward/core rejects an unknown option name with a
 * `TypeError` in one format, naming the option and the nearest valid name. A misspelt option
 * must never be ignored: for a security option that means failing open.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  authenticate,
  createAuthenticator,
  createKeysApi,
  createKeyward,
  createVerifier,
  memoryStore,
} from "../src/index.js";
import { checkOptionNames, nearestName } from "../src/options/check.js";

const keyward = createKeyward({ store: memoryStore(), scopes: { reader: ["task:read"] } });
afterAll(() => keyward.close());
const owner = () => "org_1";
const request = { method: "GET", url: "/", headers: {} };

/** [factory, what the user called, misspelt name as shown, suggested name as shown] */
const CASES: [string, () => unknown, string, string][] = [
  ["createKeyward()", () => createKeyward({ store: memoryStore(), prefx: "sk" } as never), "prefx", "prefix"],
  [
    "createKeyward()",
    () => createKeyward({ store: memoryStore(), cache: { tll: 5 } } as never),
    "cache.tll",
    "cache.ttl",
  ],
  [
    "createKeyward()",
    () => createKeyward({ store: memoryStore(), writeBehind: { intervall: 5 } } as never),
    "writeBehind.intervall",
    "writeBehind.interval",
  ],
  [
    "keyward",
    () =>
      createKeyward({ store: memoryStore(), rateLimit: { limit: 1, window: "1s", algoritm: "x" } } as never),
    "rateLimit.algoritm",
    "rateLimit.algorithm",
  ],
  ["memoryStore()", () => memoryStore({ sweepIntervall: 5 } as never), "sweepIntervall", "sweepInterval"],
  [
    "createKeysApi()",
    () => createKeysApi(keyward, { owner, allowedScope: ["task:read"] } as never),
    "allowedScope",
    "allowedScopes",
  ],
  [
    "createKeysApi()",
    () => createKeysApi(keyward, { owner, defaults: { scope: ["task:read"] } } as never),
    "defaults.scope",
    "defaults.scopes",
  ],
  [
    "createKeysApi()",
    () => createKeysApi(keyward, { auth: { readscope: "keys:read" } } as never),
    "auth.readscope",
    "auth.readScope",
  ],
  [
    "createKeysApi()",
    () => createKeysApi(keyward, { owner, openapi: { titel: "Keys" } } as never),
    "openapi.titel",
    "openapi.title",
  ],
  [
    "createAuthenticator()",
    () => createAuthenticator(keyward, { scope: ["task:read"] } as never),
    "scope",
    "scopes",
  ],
  [
    "createAuthenticator()",
    () => authenticate(keyward, request, { failopen: true } as never),
    "failopen",
    "failOpen",
  ],
];

describe("unknown option names", () => {
  for (const [where, call, shown, nearest] of CASES) {
    it(`${where} rejects "${shown}" and suggests "${nearest}"`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(
        new RegExp(
          `^${escapeRegExp(where)}: unknown option "${escapeRegExp(shown)}" — did you mean "${escapeRegExp(nearest)}"\\? \\(valid: `,
        ),
      );
    });
  }

  it("regression: a misspelt allowedScopes cannot silently let a tenant mint admin scopes", async () => {
    // Before: `allowedScope` was ignored, the API allowed any scope, and this create answered 201.
    expect(() => createKeysApi(keyward, { owner, allowedScope: ["task:read"] } as never)).toThrow(
      /unknown option "allowedScope" — did you mean "allowedScopes"\?/,
    );
    const api = createKeysApi(keyward, { owner, allowedScopes: ["task:read"] });
    const response = await api({
      method: "POST",
      path: "/keys",
      headers: { "content-type": "application/json" },
      rawBody: JSON.stringify({ scopes: ["admin:*", "*"] }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors.map((e: { path: string }) => e.path)).toEqual([
      "/scopes/0",
      "/scopes/1",
    ]);
  });

  it("a name given as undefined is still a typo", () => {
    expect(() => createAuthenticator(keyward, { scope: undefined } as never)).toThrow(/"scope"/);
  });

  it("createVerifier rejects a non-object and checks values as before", () => {
    expect(() => createVerifier(keyward, { cost: 0 })).toThrow(/"cost"/);
  });
});

describe("checkOptionNames", () => {
  it("lists every valid name and accepts known ones", () => {
    expect(() => checkOptionNames({ a: 1, b: 2 }, ["a", "b"], "f()")).not.toThrow();
    expect(() => checkOptionNames({ c: 1 }, ["a", "b"], "f()")).toThrow(
      new TypeError('f(): unknown option "c" — did you mean "a"? (valid: a, b)'),
    );
  });

  it("finds the nearest name by edit distance, counting a swap of neighbours as one", () => {
    expect(nearestName("allowedScope", ["owner", "auth", "allowedScopes", "defaults"])).toBe("allowedScopes");
    expect(nearestName("hedaerNames", ["headersFormat", "headerNames", "realm"])).toBe("headerNames");
    expect(nearestName("FAILOPEN", ["failOpen", "optional"])).toBe("failOpen");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
