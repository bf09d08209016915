import { afterAll, describe, expect, it } from "vitest";
import { authenticate, createAuthenticator, createKeyward, memoryStore } from "../src/index.js";

const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test" });
afterAll(() => keyward.close());
const request = (headers: Record<string, string> = {}, url = "/") => ({ method: "GET", url, headers });

describe("createAuthenticator options", () => {
  it("throws a TypeError naming the bad option, at construction", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ scope: ["a:b"] }, /unknown option "scope" — did you mean "scopes"\?/],
      [{ optional: "yes" }, /"optional"/],
      [{ headerNames: ["authorization"] }, /"headerNames"/],
      [{ headerNames: ["bad header"] }, /"headerNames"/],
      [{ query: "a b" }, /"query"/],
      [{ realm: "tab\there" }, /"realm"/],
      [{ headersFormat: "draft-99" }, /"headersFormat"/],
      [{ failOpen: 1 }, /"failOpen"/],
      [{ bearer: false, headerNames: [] }, /credential source/],
      [{ cost: 0 }, /"cost"/],
      [{ scopes: "a:b AND (" }, /scopes/],
    ];
    for (const [options, message] of cases) {
      expect(() => createAuthenticator(keyward, options as never)).toThrow(TypeError);
      expect(() => createAuthenticator(keyward, options as never)).toThrow(message);
    }
    expect(() => createAuthenticator({} as never)).toThrow(TypeError);
  });

  it("realm, problem type base and headers format apply to the answers", async () => {
    const auth = createAuthenticator(keyward, { realm: "tasks", problemTypeBase: "urn:problem:" });
    const outcome = await auth(request());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.headers["WWW-Authenticate"]).toBe('Bearer realm="tasks"');
    expect(JSON.parse(outcome.response.body).type).toBe("urn:problem:missing_key");
  });

  it("sends draft-6 headers or none, as asked", async () => {
    const { token } = await keyward.create({
      rateLimit: { limit: 5, window: "1m", algorithm: "fixed-window" },
    });
    const six = await authenticate(keyward, request({ "x-api-key": token }), { headersFormat: "draft-6" });
    expect(six.ok && Object.keys(six.headers).sort()).toEqual([
      "RateLimit-Limit",
      "RateLimit-Policy",
      "RateLimit-Remaining",
      "RateLimit-Reset",
    ]);
    const none = await authenticate(keyward, request({ "x-api-key": token }), { headersFormat: false });
    expect(none.ok && none.headers).toEqual({});
  });

  it("a hand-made success cannot stand in for a verification", async () => {
    const auth = createAuthenticator(keyward, { scopes: ["task:read"] });
    const forged = { ok: true as const, key: { scopes: ["task:read"] } as never, headers: {} };
    const outcome = await auth(request(), forged);
    expect(outcome.ok).toBe(false);
  });

  it("a copy of a real success with another key swapped in cannot stand in either", async () => {
    const { token } = await keyward.create({ scopes: ["task:read"] });
    const other = await keyward.create({ scopes: ["task:read", "admin:all"] });
    const outer = createAuthenticator(keyward, {});
    const inner = createAuthenticator(keyward, { scopes: ["admin:all"] });
    const genuine = await outer(request({ "x-api-key": token }));
    expect(genuine.ok).toBe(true);
    if (!genuine.ok) return;
    // The genuine outcome is accepted by a nested check (and fails it on scopes: no admin:all)…
    const nested = await inner(request(), genuine);
    expect(nested.ok).toBe(false);
    // …but a copy carrying another key is not trusted at all: no credential, so 401.
    const swapped = { ...genuine, key: other.key };
    const forgedOutcome = await inner(request(), swapped);
    expect(forgedOutcome.ok).toBe(false);
    if (forgedOutcome.ok) return;
    expect(forgedOutcome.response.status).toBe(401);
    if (nested.ok) return;
    expect(nested.response.status).toBe(403);
  });
});
