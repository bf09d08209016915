/**
 * The gate: each kind of drift between the document, the app's routes and keyward's presets
 * is found on its own, and a route table that agrees with the document yields no finding.
 */
import { join } from "node:path";
import { checkOpenApi, type Finding, formatFinding, loadOpenApi, type RouteEntry } from "@keyward/openapi";
import { describe, expect, it } from "vitest";

const spec = await loadOpenApi(join(import.meta.dirname, "fixtures", "v1.yaml"));

/** keyward's presets as `createKeyward({ scopes })` flattens them. */
const keyward = {
  presets: new Map<string, readonly string[]>([
    ["reader", ["keys:read", "usage:read"]],
    ["admin", ["keys:*", "usage:read", "webhooks:read"]],
  ]),
};

/** A route table that serves the fixture exactly. */
const CLEAN: RouteEntry[] = [
  { method: "GET", path: "/v1/keys", auth: "apiKey", scopes: ["keys:read"] },
  { method: "POST", path: "/v1/keys", auth: "apiKey", scopes: ["keys:write"] },
  { method: "GET", path: "/v1/keys/{keyId}", auth: "apiKey", scopes: "keys:read" },
  { method: "DELETE", path: "/v1/keys/{id}", auth: "apiKey", scopes: ["keys:write"] },
  { method: "GET", path: "/v1/keys/current", auth: "apiKey", scopes: [] },
  { method: "GET", path: "/v1/usage", auth: "apiKey", scopes: { anyOf: ["keys:read", "usage:read"] } },
  { method: "GET", path: "/v1/webhooks", auth: "apiKey", scopes: "webhooks:read" },
  {
    method: "GET",
    path: "/v1/files/{name}.json",
    auth: "apiKey",
    scopes: "(keys:read AND usage:read) OR keys:write",
  },
  { method: "GET", path: "/v1/status", auth: "none", scopes: [] },
  { method: "GET", path: "/v1/catalog", auth: "apiKey", scopes: ["keys:read"] },
  { method: "POST", path: "/partner/sync", auth: "none" },
];

const kinds = (findings: Finding[]) => findings.map((finding) => `${finding.kind} ${finding.subject}`);
const replace = (index: number, route: RouteEntry) => CLEAN.map((entry, i) => (i === index ? route : entry));

describe("checkOpenApi", () => {
  it("finds nothing when the routes, the document and keyward's presets agree", () => {
    expect(checkOpenApi(spec, CLEAN, keyward)).toEqual([]);
  });

  it("accepts presets in a route's all-of list by expanding them", () => {
    const routes = replace(5, {
      method: "GET",
      path: "/v1/usage",
      auth: "apiKey",
      scopes: { anyOf: ["usage:read", "keys:read"] },
    });
    expect(checkOpenApi(spec, routes, keyward)).toEqual([]);
    const reader = replace(7, {
      method: "GET",
      path: "/v1/files/{name}.json",
      auth: "apiKey",
      scopes: ["reader"],
    });
    expect(kinds(checkOpenApi(spec, reader, keyward))).toEqual(["scope-mismatch GET /v1/files/{name}.json"]);
  });

  it("finds a scope used by an operation but missing from the catalogue", () => {
    const document = structuredClone(spec.document) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    (document.paths["/v1/usage"] as Record<string, Record<string, unknown>>).get = {
      ...document.paths["/v1/usage"]?.get,
      "x-required-any-scopes": ["usage:raed"],
    };
    return loadOpenApi(document).then((drifted) => {
      const findings = checkOpenApi(drifted, CLEAN, keyward);
      expect(kinds(findings)).toEqual(["unknown-scope usage:raed", "scope-mismatch GET /v1/usage"]);
      expect(findings[0]?.operationId).toBe("getUsage");
    });
  });

  it("finds a catalogue scope none of keyward's presets grants (and not when a resource wildcard grants it)", () => {
    const narrow = {
      presets: new Map<string, readonly string[]>([["reader", ["keys:read", "usage:read", "webhooks:read"]]]),
    };
    expect(kinds(checkOpenApi(spec, CLEAN, narrow))).toEqual(["unconfigured-scope keys:write"]);
    const wildcard = {
      presets: new Map<string, readonly string[]>([["all", ["keys:*", "usage:*", "webhooks:*"]]]),
    };
    expect(checkOpenApi(spec, CLEAN, wildcard)).toEqual([]);
    // without presets there is nothing to compare the catalogue with
    expect(checkOpenApi(spec, CLEAN, { presets: new Map() })).toEqual([]);
  });

  it("finds an operation without a handler", () => {
    const findings = checkOpenApi(
      spec,
      CLEAN.filter((route) => route.path !== "/v1/webhooks"),
      keyward,
    );
    expect(kinds(findings)).toEqual(["missing-handler GET /v1/webhooks"]);
    expect(formatFinding(findings[0] as Finding)).toBe(
      "missing-handler  GET /v1/webhooks (listWebhooks): GET /v1/webhooks is in the document but no route serves it — fix: add the handler, or remove the operation from the document",
    );
  });

  it("finds a handler the document does not list, and flags it unprotected under a protected prefix", () => {
    const extra = [
      ...CLEAN,
      { method: "POST", path: "/v1/usage/reset", auth: "apiKey", scopes: ["usage:write"] } as const,
    ];
    expect(kinds(checkOpenApi(spec, extra, keyward))).toEqual(["undocumented-route POST /v1/usage/reset"]);
    const open = [...CLEAN, { method: "GET", path: "/v1/debug", auth: "none" } as const];
    expect(kinds(checkOpenApi(spec, open, keyward))).toEqual([
      "undocumented-route GET /v1/debug",
      "unprotected-route GET /v1/debug",
    ]);
    const outside = [...CLEAN, { method: "GET", path: "/healthz", auth: "none" } as const];
    expect(kinds(checkOpenApi(spec, outside, keyward))).toEqual(["undocumented-route GET /healthz"]);
    expect(checkOpenApi(spec, outside, keyward, { ignore: ["/healthz"] })).toEqual([]);
  });

  it("finds a handler whose scopes differ from its operation's", () => {
    const routes = replace(1, { method: "POST", path: "/v1/keys", auth: "apiKey", scopes: ["keys:read"] });
    const findings = checkOpenApi(spec, routes, keyward);
    expect(kinds(findings)).toEqual(["scope-mismatch POST /v1/keys"]);
    expect(findings[0]?.message).toBe(
      "POST /v1/keys requires keys:write in the document but keys:read in code",
    );
  });

  it("finds a protected operation served without keyward", () => {
    const routes = replace(0, { method: "GET", path: "/v1/keys", auth: "none" });
    expect(kinds(checkOpenApi(spec, routes, keyward))).toEqual(["unprotected-route GET /v1/keys"]);
  });

  it("finds a public operation behind keyward, and a protected one behind a webhook signature", () => {
    const keyed = replace(8, { method: "GET", path: "/v1/status", auth: "apiKey", scopes: [] });
    expect(kinds(checkOpenApi(spec, keyed, keyward))).toEqual(["auth-mismatch GET /v1/status"]);
    const signed = replace(6, { method: "GET", path: "/v1/webhooks", auth: "webhook" });
    expect(kinds(checkOpenApi(spec, signed, keyward))).toEqual(["auth-mismatch GET /v1/webhooks"]);
  });

  it("does not compare scopes of routes that take their requirement from the document", () => {
    const routes = replace(1, { method: "POST", path: "/v1/keys", auth: "apiKey", openapi: true });
    expect(checkOpenApi(spec, routes, keyward)).toEqual([]);
  });
});
