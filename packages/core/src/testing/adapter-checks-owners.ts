/**
 * Conformance cases for who a key acts for, on a keyward of their own
 * ({@link createOwnerFixture}): a role ceiling that follows an owner's downgrade, an inactive
 * owner, a failing owner directory, address allowlists fed by a trusted header (IPv4, IPv6,
 * IPv4-mapped IPv6, X-Forwarded-For), and the `onReject` recipe. `recordOwnerResponses` sends
 * one fixed list of these requests so that a test can compare adapters byte for byte.
 */
import { assertions, type ConformanceRunner, get } from "./adapter-checks.js";
import { KEYWARD_HEADERS, type RecordedResponse } from "./adapter-compare.js";
import { createOwnerFixture, type OwnerFixture, type OwnerKeyName } from "./adapter-owners-fixture.js";
import type { ConformanceApp, CreateConformanceApp } from "./adapter-routes.js";

const bearer = (fixture: OwnerFixture, name: OwnerKeyName) => ({
  authorization: `Bearer ${fixture.tokens[name]}`,
});

/** Registers the owner cases; they start their own app with `createApp` and close it after. */
export function runOwnerChecks(t: ConformanceRunner, createApp: CreateConformanceApp): void {
  const { describe, it } = t;
  let started: Promise<{ fixture: OwnerFixture; app: ConformanceApp }> | null = null;
  const start = () => {
    started ??= (async () => {
      const fixture = await createOwnerFixture();
      return { fixture, app: await createApp(fixture.setup) };
    })();
    return started;
  };

  const stop = async () => {
    if (!started) return;
    const { fixture, app } = await started;
    started = null;
    await app.close();
    await fixture.close();
  };

  describe("owners, address allowlists and onReject", () => {
    if (t.afterAll) t.afterAll(stop);
    registerOwnerCases(t, start);
    if (!t.afterAll) it("closes the owner app", stop);
  });
}

function registerOwnerCases(
  t: ConformanceRunner,
  start: () => Promise<{ fixture: OwnerFixture; app: ConformanceApp }>,
): void {
  const { describe, it, expect } = t;
  const a = assertions(t);

  describe("who a key acts for", () => {
    it("an owner downgraded to read: its task:write key answers 403 on writes and 200 on reads, unchanged", async () => {
      const { fixture, app } = await start();
      const headers = bearer(fixture, "downgraded");
      a.ok(await get(app, "/o/write", headers), fixture.keys.downgraded);
      await fixture.setRole("org_d", "reader");
      try {
        const write = await get(app, "/o/write", headers);
        a.problem(write, "insufficient_scope", 403);
        a.ok(await get(app, "/o/read", headers), fixture.keys.downgraded);
      } finally {
        await fixture.setRole("org_d", "writer");
      }
      a.ok(await get(app, "/o/write", headers), fixture.keys.downgraded);
    });

    it("an inactive owner: 401 disabled_key, the challenge says the owner is no longer active", async () => {
      const { fixture, app } = await start();
      const answer = await get(app, "/o/read", bearer(fixture, "inactive"));
      a.problem(answer, "disabled_key", 401);
      a.header(
        answer,
        "www-authenticate",
        `Bearer realm="api", error="invalid_token", error_description="The key's owner is no longer active"`,
      );
    });

    it("an owner directory that fails: 503 unavailable with Retry-After, never a pass", async () => {
      const { fixture, app } = await start();
      const answer = await get(app, "/o/read", bearer(fixture, "broken"));
      a.problem(answer, "unavailable", 503);
      a.header(answer, "retry-after", "1");
    });
  });

  describe("address allowlists (trusted header)", () => {
    const ip = async (key: OwnerKeyName, address: string | null, path = "/o/ip", header = "x-real-ip") => {
      const { fixture, app } = await start();
      const headers: Record<string, string> = bearer(fixture, key);
      if (address !== null) headers[header] = address;
      return { answer: await get(app, path, headers), fixture };
    };

    it("IPv4: inside the range passes, outside and unknown answer 403 ip_not_allowed", async () => {
      const inside = await ip("ipv4", "203.0.113.7");
      a.ok(inside.answer, inside.fixture.keys.ipv4);
      const outside = await ip("ipv4", "192.0.2.1");
      a.problem(outside.answer, "ip_not_allowed", 403);
      a.header(outside.answer, "www-authenticate", null);
      a.problem((await ip("ipv4", null)).answer, "ip_not_allowed", 403);
      a.problem((await ip("ipv4", "not-an-address")).answer, "ip_not_allowed", 403);
    });

    it("IPv6: inside the range passes, outside answers 403", async () => {
      const inside = await ip("ipv6", "2001:db8:1::7");
      a.ok(inside.answer, inside.fixture.keys.ipv6);
      a.problem((await ip("ipv6", "2001:db9::1")).answer, "ip_not_allowed", 403);
      a.problem((await ip("ipv6", "203.0.113.7")).answer, "ip_not_allowed", 403);
    });

    it("IPv4-mapped IPv6 matches the IPv4 range it carries", async () => {
      const mapped = await ip("ipv4", "::ffff:203.0.113.7");
      a.ok(mapped.answer, mapped.fixture.keys.ipv4);
      a.problem((await ip("ipv4", "::ffff:192.0.2.1")).answer, "ip_not_allowed", 403);
    });

    it("behind a proxy: the last X-Forwarded-For entry counts, entries a client put before it do not", async () => {
      const forwarded = (value: string) => ip("ipv4", value, "/o/ip-forwarded", "x-forwarded-for");
      const proxied = await forwarded("192.0.2.1, 203.0.113.7");
      a.ok(proxied.answer, proxied.fixture.keys.ipv4);
      a.problem((await forwarded("203.0.113.7, 192.0.2.1")).answer, "ip_not_allowed", 403);
    });
  });

  describe("onReject: the 401-missing / 403-invalid recipe", () => {
    it("keeps 401 for a missing key, answers 403 for a bad one, and passes a good one", async () => {
      const { fixture, app } = await start();
      const missing = await get(app, "/o/legacy");
      a.problem(missing, "missing_key", 401);
      a.header(missing, "www-authenticate", 'Bearer realm="api"');
      const invalid = await get(app, "/o/legacy", { authorization: "Bearer sk_test_malformed" });
      expect(invalid.status).toBe(403);
      expect(invalid.json).toMatchObject({ code: "invalid_key", status: 403 });
      a.header(invalid, "content-type", "application/problem+json");
      a.header(invalid, "www-authenticate", null);
      const inactive = await get(app, "/o/legacy", bearer(fixture, "inactive"));
      expect({ status: inactive.status, code: inactive.json.code }).toEqual({
        status: 403,
        code: "disabled_key",
      });
      a.ok(await get(app, "/o/legacy", bearer(fixture, "writer")), fixture.keys.writer);
    });
  });
}

/**
 * Sends the owner cases' fixed request list to `app` (after `fixture.reset()`) and records
 * status, keyward's headers and body of each answer.
 */
export async function recordOwnerResponses(
  fixture: OwnerFixture,
  app: ConformanceApp,
): Promise<RecordedResponse[]> {
  await fixture.reset();
  const t = fixture.tokens;
  const auth = (name: OwnerKeyName) => ({ authorization: `Bearer ${t[name]}` });
  const requests: [string, Record<string, string>][] = [
    ["/o/legacy", {}],
    ["/o/legacy", { authorization: "Bearer sk_test_malformed" }],
    ["/o/legacy", auth("inactive")],
    ["/o/legacy", auth("writer")],
    ["/o/legacy", { ...auth("writer"), "x-api-key": t.writer }],
    ["/o/write", auth("downgraded")],
    ["/o/read", auth("inactive")],
    ["/o/read", auth("broken")],
    ["/o/ip", { ...auth("ipv4"), "x-real-ip": "203.0.113.7" }],
    ["/o/ip", { ...auth("ipv4"), "x-real-ip": "192.0.2.1" }],
    ["/o/ip", auth("ipv6")],
    ["/o/ip", { ...auth("ipv6"), "x-real-ip": "2001:db8::1" }],
    ["/o/ip", { ...auth("ipv4"), "x-real-ip": "::ffff:203.0.113.7" }],
    ["/o/ip-forwarded", { ...auth("ipv4"), "x-forwarded-for": "192.0.2.1, 203.0.113.7" }],
  ];
  const recorded: RecordedResponse[] = [];
  for (const [path, headers] of requests) {
    const response = await fetch(app.url + path, { headers });
    const kept: Record<string, string> = {};
    for (const name of KEYWARD_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    recorded.push({
      request: `GET ${path}`,
      status: response.status,
      headers: kept,
      body: await response.text(),
    });
  }
  await fixture.setRole("org_d", "reader");
  for (const path of ["/o/write", "/o/read"]) {
    const response = await fetch(app.url + path, { headers: auth("downgraded") });
    recorded.push({
      request: `GET ${path} (downgraded)`,
      status: response.status,
      headers: {},
      body: await response.text(),
    });
  }
  await fixture.reset();
  return recorded;
}
