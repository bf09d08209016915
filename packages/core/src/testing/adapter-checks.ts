/**
 * The conformance checks themselves, part one: the runner surface, HTTP helpers, credentials,
 * 401 and 403 rows. Part two (limits, optional, routers, 503) is in `adapter-checks-more.ts`.
 */
import type { KeywardErrorCode } from "../errors/index.js";
import { PROBLEM_TITLES } from "../http/problem.js";
import type { ApiKey } from "../types.js";
import type { ConformanceContext } from "./adapter-conformance.js";
import type { ConformanceApp } from "./adapter-routes.js";

/** The matchers the suite uses; Vitest's and Jest's `expect` both provide them. */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toContain(expected: unknown): void;
  toMatch(expected: RegExp | string): void;
  readonly not: ConformanceAssertion;
}

/** `{ describe, it, expect }` (and optionally `beforeAll` / `afterAll`) from your test runner. */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  expect(actual: unknown, message?: string): ConformanceAssertion;
  beforeAll?(body: () => Promise<void> | void, timeout?: number): void;
  afterAll?(body: () => Promise<void> | void, timeout?: number): void;
}

/** One answer, read completely. */
interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON under test
  json: any;
}

/** GET `path` on `app` with `headers`. */
export async function get(
  app: ConformanceApp,
  path: string,
  headers?: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(app.url + path, { headers });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Shared assertions, bound to one runner's `expect`. */
export function assertions(t: ConformanceRunner) {
  const { expect } = t;
  return {
    /** A 200 from a handler that saw `key`. */
    ok(answer: Answer, key: ApiKey | null) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual(
        key ? { keyId: key.id, ownerId: key.ownerId, scopes: key.scopes } : { key: null },
      );
    },
    /** An RFC 9457 problem for `code` with `status`, members in keyward's fixed order. */
    problem(answer: Answer, code: KeywardErrorCode, status: number) {
      expect({ status: answer.status, code: answer.json?.code }).toEqual({ status, code });
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.headers.get("cache-control")).toBe("no-store");
      expect(Object.keys(answer.json).slice(0, 5)).toEqual(["type", "title", "status", "detail", "code"]);
      expect(answer.json).toMatchObject({
        type: `https://keyward.dev/errors/${code}`,
        title: PROBLEM_TITLES[code],
        status,
        code,
      });
      expect(typeof answer.json.detail).toBe("string");
    },
    header(answer: Answer, name: string, value: string | null) {
      expect(answer.headers.get(name)).toBe(value);
    },
  };
}

const MISSING = 'Bearer realm="api"';
const invalid = (description: string) =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`;
const scope = (scopes: string) =>
  `Bearer realm="api", error="insufficient_scope", error_description="The API key lacks a required scope", scope="${scopes}"`;

/** Registers every check against the apps `start()` resolves to. */
export function runConformanceChecks(t: ConformanceRunner, start: () => Promise<ConformanceContext>): void {
  const { describe, it, expect } = t;
  const a = assertions(t);

  describe("credentials", () => {
    it("an open route needs no key", async () => {
      const { main } = await start();
      a.ok(await get(main, "/open"), null);
    });

    it("accepts Authorization: Bearer in any scheme case, with extra spaces", async () => {
      const { main, fixture } = await start();
      for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
        a.ok(
          await get(main, "/tasks", { authorization: `${scheme} ${fixture.tokens.reader}` }),
          fixture.keys.reader,
        );
        a.ok(
          await get(main, "/tasks", { authorization: `${scheme}   ${fixture.tokens.reader}  ` }),
          fixture.keys.reader,
        );
      }
    });

    it("accepts X-API-Key", async () => {
      const { main, fixture } = await start();
      a.ok(await get(main, "/tasks", { "x-api-key": fixture.tokens.reader }), fixture.keys.reader);
      a.ok(await get(main, "/tasks", { "X-Api-Key": fixture.tokens.reader }), fixture.keys.reader);
    });

    it("ignores other Authorization schemes (Basic counts as no key)", async () => {
      const { main } = await start();
      const answer = await get(main, "/tasks", { authorization: "Basic dXNlcjpwYXNz" });
      a.problem(answer, "missing_key", 401);
      a.header(answer, "www-authenticate", MISSING);
    });

    it("answers 400 invalid_request to two credentials at once (RFC 6750 §2)", async () => {
      const { main, fixture } = await start();
      const token = fixture.tokens.reader;
      const answer = await get(main, "/tasks", { authorization: `Bearer ${token}`, "x-api-key": token });
      a.problem(answer, "invalid_request", 400);
      a.header(
        answer,
        "www-authenticate",
        'Bearer realm="api", error="invalid_request", error_description="Send exactly one API key per request"',
      );
      a.problem(await get(main, `/query?api_key=${token}`, { "x-api-key": token }), "invalid_request", 400);
    });

    it("reads a custom header instead of X-API-Key when configured; Bearer still works", async () => {
      const { main, fixture } = await start();
      a.ok(await get(main, "/custom-header", { "x-custom-key": fixture.tokens.reader }), fixture.keys.reader);
      a.problem(
        await get(main, "/custom-header", { "x-api-key": fixture.tokens.reader }),
        "missing_key",
        401,
      );
      a.ok(
        await get(main, "/custom-header", { authorization: `Bearer ${fixture.tokens.reader}` }),
        fixture.keys.reader,
      );
    });

    it("ignores a query-string key unless the route enables it", async () => {
      const { main, fixture } = await start();
      const off = await get(main, `/tasks?api_key=${fixture.tokens.reader}`);
      a.problem(off, "missing_key", 401);
      a.ok(await get(main, `/query?api_key=${fixture.tokens.reader}`), fixture.keys.reader);
    });
  });

  describe("401", () => {
    it("no credentials: a challenge without an error attribute", async () => {
      const { main } = await start();
      const answer = await get(main, "/tasks");
      a.problem(answer, "missing_key", 401);
      a.header(answer, "www-authenticate", MISSING);
    });

    it("malformed, bad checksum or unknown: invalid_key / invalid_token", async () => {
      const { main, fixture } = await start();
      const bad = fixture.tokens.reader.slice(0, -1) + (fixture.tokens.reader.endsWith("A") ? "B" : "A");
      for (const token of ["sk_test_malformed", bad, fixture.tokens.unknown]) {
        const answer = await get(main, "/tasks", { "x-api-key": token });
        a.problem(answer, "invalid_key", 401);
        a.header(answer, "www-authenticate", invalid("The API key is not valid"));
      }
    });

    it("expired, revoked, disabled: the description says which", async () => {
      const { main, fixture } = await start();
      const rows = [
        ["expired", "expired_key", "The API key has expired"],
        ["revoked", "revoked_key", "The API key has been revoked"],
        ["disabled", "disabled_key", "The API key is disabled"],
      ] as const;
      for (const [name, code, description] of rows) {
        const answer = await get(main, "/tasks", { authorization: `Bearer ${fixture.tokens[name]}` });
        a.problem(answer, code, 401);
        a.header(answer, "www-authenticate", invalid(description));
        expect(answer.text.includes(fixture.tokens[name])).toBe(false);
      }
    });
  });

  describe("403", () => {
    it("a missing scope names the required scopes", async () => {
      const { main, fixture } = await start();
      const answer = await get(main, "/tasks", { authorization: `Bearer ${fixture.tokens.admin}` });
      a.problem(answer, "insufficient_scope", 403);
      a.header(answer, "www-authenticate", scope("task:read"));
      expect(answer.json.scope).toBe("task:read");
    });

    it("query-string requirements, presets expanded", async () => {
      const { main, fixture } = await start();
      const bearer = (name: "admin" | "writer" | "reader") => ({
        authorization: `Bearer ${fixture.tokens[name]}`,
      });
      a.ok(await get(main, "/admin", bearer("admin")), fixture.keys.admin);
      a.ok(await get(main, "/admin", bearer("writer")), fixture.keys.writer);
      const denied = await get(main, "/admin", bearer("reader"));
      a.problem(denied, "insufficient_scope", 403);
      a.header(denied, "www-authenticate", scope("admin:read admin:write task:write project:read"));
    });

    it("{ anyOf } requirements", async () => {
      const { main, fixture } = await start();
      a.ok(await get(main, "/any", { "x-api-key": fixture.tokens.writer }), fixture.keys.writer);
      a.ok(await get(main, "/any", { "x-api-key": fixture.tokens.admin }), fixture.keys.admin);
      const denied = await get(main, "/any", { "x-api-key": fixture.tokens.reader });
      a.problem(denied, "insufficient_scope", 403);
      a.header(denied, "www-authenticate", scope("task:write admin:write"));
    });
  });
}
