/**
 * Management-API scenario, part 2: paging, and the answers to requests the API refuses
 * (400 with JSON-Pointer paths, 415, cross-site forms, allowed scopes, 404, 405, OPTIONS, HEAD).
 */
import type { Scenario, ScenarioRunner } from "./management-scenario-context.js";

/** Registers these cases; `s` is filled in by the scenario's `beforeAll`. */
export function requestCases(t: ScenarioRunner, s: Scenario): void {
  const { it, expect } = t;
  const { call, create, listAll, expectProblem, remember } = s;
  it("GET /keys pages through every key exactly once, newest first, with filters", async () => {
    const owner = "org_pages";
    const created: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { key } = await create(owner, {
        name: `k${i}`,
        scopes: i % 3 === 0 ? ["task:write"] : ["project:read"],
      });
      created.push(key.id);
    }
    await call(owner, "PATCH", `/keys/${created[1]}`, { body: { enabled: false } });

    const first = await call(owner, "GET", "/keys", { query: "limit=4" });
    expect(first.status).toBe(200);
    expect(s.check("KeyPage", first.json)).toEqual([]);
    expect(first.json.items).toHaveLength(4);
    expect(typeof first.json.nextCursor).toBe("string");

    const all = await listAll(owner, "", 4);
    expect(all.map((key) => key.id)).toEqual([...created].reverse());
    const defaultPage = await call(owner, "GET", "/keys");
    expect(defaultPage.json.items).toHaveLength(11);
    expect(defaultPage.json.nextCursor).toBeNull();

    const writers = await listAll(owner, "scope=task%3Awrite", 2);
    expect(writers.map((key) => key.name).sort()).toEqual(["k0", "k3", "k6", "k9"]);
    const disabled = await listAll(owner, "enabled=false", 2);
    expect(disabled.map((key) => key.id)).toEqual([created[1]]);
    const enabled = await listAll(owner, "enabled=true", 5);
    expect(enabled).toHaveLength(10);
  });

  it("answers 400 invalid_request with one JSON-Pointer path per problem", async () => {
    const bad = await call("org_a", "POST", "/keys", {
      body: {
        name: 42,
        scopes: ["task:read", "bad scope", 7],
        expiresIn: "5 days",
        extra: true,
        metadata: [],
      },
    });
    expectProblem(bad, 400, "invalid_request");
    const paths = bad.json.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(["/expiresIn", "/extra", "/metadata", "/name", "/scopes/1", "/scopes/2"]);
    for (const error of bad.json.errors) expect(typeof error.message).toBe("string");

    const nested = await call("org_a", "POST", "/keys", {
      body: { rateLimit: { limit: "ten", window: "1m" } },
    });
    expectProblem(nested, 400, "invalid_request");
    expect(nested.json.errors).toHaveLength(1);
    expect(nested.json.errors[0]).toMatchObject({ path: "/rateLimit/limit" });
    expect(typeof nested.json.errors[0].message).toBe("string");

    const both = await call("org_a", "POST", "/keys", {
      body: { expiresIn: "1d", expiresAt: "2030-01-01T00:00:00Z" },
    });
    expect(both.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);

    const query = await call("org_a", "GET", "/keys", { query: "limit=0&enabled=maybe&sort=name" });
    expectProblem(query, 400, "invalid_request");
    expect(query.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "/enabled",
      "/limit",
      "/sort",
    ]);
    const tooBig = await call("org_a", "GET", "/keys", { query: "limit=51" });
    expect(tooBig.json.errors.map((error: { path: string }) => error.path)).toEqual(["/limit"]);

    const { key } = await create("org_a");
    const patch = await call("org_a", "PATCH", `/keys/${key.id}`, {
      body: { enabled: "yes", ownerId: "org_b" },
    });
    expect(patch.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "/enabled",
      "/ownerId",
    ]);
    const rotate = await call("org_a", "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: -5 } });
    expect(rotate.json.errors.map((error: { path: string }) => error.path)).toEqual(["/gracePeriod"]);
    const array = await call("org_a", "POST", "/keys", { body: [1, 2] });
    expect(array.json.errors).toHaveLength(1);
    expect(array.json.errors[0]).toMatchObject({ path: "" });
    expect(typeof array.json.errors[0].message).toBe("string");
  });

  it("answers 400 for malformed JSON and 415 for bodies that are not JSON", async () => {
    const broken = await call("org_a", "POST", "/keys", { rawBody: '{"name": "x"' });
    expectProblem(broken, 400, "invalid_request");
    expect(broken.json.errors).toEqual([{ path: "", message: "must be valid JSON" }]);
    const text = await call("org_a", "POST", "/keys", {
      rawBody: '{"name":"x"}',
      contentType: "text/plain",
    });
    expectProblem(text, 415, "unsupported_media_type");
  });

  it("refuses an empty write declared as a form, as a cross-site form post would send it", async () => {
    const { key } = await create("org_a");
    for (const contentType of [
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "text/plain",
    ]) {
      const reply = await call("org_a", "POST", `/keys/${key.id}/revoke`, { rawBody: "", contentType });
      expectProblem(reply, 415, "unsupported_media_type");
    }
    expect((await s.keyward.get(key.id))?.revokedAt).toBeNull();
  });

  it("enforces allowedScopes, maxExpiresIn and the caller's own owner id", async () => {
    const scopes = await call("org_a", "POST", "/keys", {
      body: { scopes: ["task:read", "admin:*", "*", "writer"] },
    });
    expectProblem(scopes, 400, "invalid_request");
    expect(scopes.json.errors.map((error: { path: string }) => error.path)).toEqual([
      "/scopes/1",
      "/scopes/2",
      "/scopes/3",
    ]);
    const long = await call("org_a", "POST", "/keys", { body: { expiresIn: "401d" } });
    expect(long.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresIn"]);
    const never = await call("org_a", "POST", "/keys", { body: { expiresAt: null } });
    expect(never.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);
    const past = await call("org_a", "POST", "/keys", { body: { expiresAt: "2001-01-01T00:00:00Z" } });
    expect(past.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);
    const foreign = await call("org_a", "POST", "/keys", { body: { ownerId: "org_b" } });
    expect(foreign.json.errors.map((error: { path: string }) => error.path)).toEqual(["/ownerId"]);
    const same = await call("org_a", "POST", "/keys", { body: { ownerId: "org_a", scopes: ["task:*"] } });
    expect(same.status).toBe(201);
    remember(same);

    const { key } = await create("org_a");
    const patch = await call("org_a", "PATCH", `/keys/${key.id}`, { body: { scopes: ["*"] } });
    expect(patch.json.errors.map((error: { path: string }) => error.path)).toEqual(["/scopes/0"]);
    expect((await s.keyward.get(key.id))?.scopes).toEqual([]);
  });

  it("answers 404 for unknown ids and paths, 405 with Allow for a wrong method", async () => {
    for (const [method, path] of [
      ["GET", "/keys/key_doesnotexist000000"],
      ["PATCH", "/keys/nope"],
      ["POST", "/keys/nope/rotate"],
      ["POST", "/keys/nope/revoke"],
      ["DELETE", "/keys/nope"],
      ["GET", "/nothing-here"],
      ["GET", "/keys/a/b/c"],
    ] as const) {
      const reply = await call("org_a", method, path, method === "PATCH" ? { body: {} } : {});
      expectProblem(reply, 404, "not_found");
    }
    const put = await call("org_a", "PUT", "/keys", { body: {} });
    expectProblem(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    const del = await call("org_a", "DELETE", "/keys");
    expectProblem(del, 405, "method_not_allowed");
    const getRotate = await call("org_a", "GET", "/keys/x/rotate");
    expectProblem(getRotate, 405, "method_not_allowed");
    expect(getRotate.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("answers OPTIONS with Allow and HEAD like GET without a body", async () => {
    const options = await call("org_a", "OPTIONS", "/keys");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    const head = await call("org_a", "HEAD", "/keys");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^application\/json/);
    expect(head.text).toBe("");
  });
}
