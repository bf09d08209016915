// @vitest-environment happy-dom
/**
 * useApiKeys() on its own, against the real management API (harness.ts): problem+json errors
 * by field, a 401 kept as `error`, optimistic revoke rolled back, create keeping only the key.
 */
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiKeysError, useApiKeys } from "../src/index.js";
import { type Harness, harness } from "./harness.js";

const open: Harness[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(open.splice(0).map((h) => h.close()));
});

function setup() {
  const h = harness({ maxExpiresIn: "30d" });
  open.push(h);
  const hook = renderHook(() => useApiKeys({ baseUrl: "/api/", fetch: h.fetch }));
  return { h, hook };
}

describe("useApiKeys", () => {
  it("rejects a bad create with the API's errors grouped by field", async () => {
    const { hook } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    let failure: unknown;
    await act(async () => {
      failure = await hook.result.current
        .create({ name: "x".repeat(201), scopes: ["reader", "admin:*"], expiresAt: null })
        .catch((error: unknown) => error);
    });
    expect(failure).toBeInstanceOf(ApiKeysError);
    const error = failure as ApiKeysError;
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.fieldErrors).toEqual({ name: ["must be at most 200 characters"] });
    // Schema errors come first; the policy checks (scopes, expiry) run on a well-formed body.
    await act(async () => {
      failure = await hook.result.current
        .create({ scopes: ["reader", "admin:*"], expiresAt: null })
        .catch((caught: unknown) => caught);
    });
    expect((failure as ApiKeysError).fieldErrors).toEqual({
      scopes: ["is not a scope you may grant: admin:*"],
      expiresAt: ["must be set: keys expire within 30d"],
    });
    expect(hook.result.current.error).toBe(failure);
    expect(hook.result.current.keys).toEqual([]);
  });

  it("keeps a 401 from the first load as error.unauthorized", async () => {
    const h = harness();
    open.push(h);
    h.session.owner = null;
    const hook = renderHook(() => useApiKeys({ baseUrl: "/api", fetch: h.fetch }));
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(hook.result.current.error?.unauthorized).toBe(true);
    expect(hook.result.current.error?.code).toBe("unauthorized");
  });

  it("shows a revoke at once and rolls it back when the API refuses", async () => {
    const { h, hook } = setup();
    const { key } = await h.keyward.create({ ownerId: "org_1", name: "a", expiresIn: "1d" });
    await act(() => hook.result.current.refresh());
    const gate = h.hold(/^POST .*\/revoke$/);
    h.fail(/^POST .*\/revoke$/, 503, { code: "unavailable", detail: "down" });
    let settled: Promise<unknown> = Promise.resolve();
    act(() => {
      settled = hook.result.current.revoke(key.id).catch((error: unknown) => error);
    });
    await waitFor(() => expect(hook.result.current.keys[0]!.revokedAt).not.toBeNull());
    gate.release();
    await act(async () => {
      expect(await settled).toMatchObject({ status: 503, detail: "down" });
    });
    expect(hook.result.current.keys[0]!.revokedAt).toBeNull();
    expect((await h.keyward.get(key.id))!.revokedAt).toBeNull();
  });

  it("puts the created key in the list and hands the token to the caller only", async () => {
    const { hook } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    let token = "";
    await act(async () => {
      ({ token } = await hook.result.current.create({ name: "ci", scopes: ["reader"], expiresIn: "7d" }));
    });
    expect(hook.result.current.keys.map((key) => key.name)).toEqual(["ci"]);
    expect(JSON.stringify(hook.result.current)).not.toContain(token);
    expect(token.startsWith(hook.result.current.keys[0]!.start)).toBe(true);
  });
});
