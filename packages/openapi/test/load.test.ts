/**
 * Loading a document and deriving each operation's requirement, the scope catalogue and the
 * request matcher from it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileOpenApi, loadOpenApi } from "@keyward/openapi";
import { describe, expect, it } from "vitest";

const FIXTURE = join(import.meta.dirname, "fixtures", "v1.yaml");

describe("loadOpenApi", () => {
  it("derives each operation's requirement from x-required-scopes, x-required-any-scopes and security", async () => {
    const spec = await loadOpenApi(FIXTURE);
    const requirements = Object.fromEntries(spec.operations.map((op) => [op.operationId, op.requirement]));
    expect(requirements).toEqual({
      listKeys: { kind: "scopes", scopes: ["keys:read"], source: "x-required-scopes" },
      createKey: { kind: "scopes", scopes: ["keys:write"], source: "x-required-scopes" },
      getKey: { kind: "scopes", scopes: ["keys:read"], source: "x-required-scopes" },
      deleteKey: { kind: "scopes", scopes: ["keys:write"], source: "x-required-scopes" },
      // inherits the document's security: any valid key
      currentKey: { kind: "scopes", scopes: [], source: "security" },
      getUsage: {
        kind: "scopes",
        scopes: { anyOf: ["usage:read", "keys:read"] },
        source: "x-required-any-scopes",
      },
      // the OAuth 2 alternative is not keyward's; the API-key one is
      listWebhooks: { kind: "scopes", scopes: ["webhooks:read"], source: "security" },
      getFile: { kind: "scopes", scopes: "(keys:read AND usage:read) OR keys:write", source: "security" },
      getStatus: { kind: "public", source: "security" },
      getCatalog: { kind: "optional", scopes: ["keys:read"], source: "security" },
      partnerSync: { kind: "external", source: "security" },
    });
    expect(spec.operation("getFile")?.scopes).toEqual(["keys:read", "usage:read", "keys:write"]);
  });

  it("reads the scope catalogue with descriptions, and the presets", async () => {
    const spec = await loadOpenApi(FIXTURE);
    expect(spec.catalogue.scopes).toEqual([
      { name: "keys:read", description: "List and read API keys" },
      { name: "keys:write", description: "Create, rotate and revoke API keys" },
      { name: "usage:read", description: "Read usage reports" },
      { name: "webhooks:read", description: "Read webhook deliveries" },
    ]);
    expect(spec.catalogue.names).toEqual(["keys:read", "keys:write", "usage:read", "webhooks:read"]);
    expect(spec.catalogue.presets).toEqual({
      reader: ["keys:read", "usage:read"],
      admin: ["keys:*", "usage:read", "webhooks:read"],
    });
  });

  it("reads a JSON document and an enum catalogue with x-enum-descriptions and x-scope-descriptions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-openapi-"));
    const file = join(dir, "spec.json");
    const document = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      "x-scope-descriptions": { "b:write": "Write b" },
      components: {
        securitySchemes: { key: { type: "apiKey", in: "header", name: "X-API-Key" } },
        schemas: {
          Scope: { type: "string", enum: ["a:read", "b:write"], "x-enum-descriptions": ["Read a"] },
        },
      },
      paths: {
        "/a": { get: { security: [{ key: ["a:read"] }], responses: { 200: { description: "ok" } } } },
      },
    };
    writeFileSync(file, JSON.stringify(document));
    const spec = await loadOpenApi(file);
    expect(spec.catalogue.scopes).toEqual([
      { name: "a:read", description: "Read a" },
      { name: "b:write", description: "Write b" },
    ]);
    expect(spec.operations[0]?.requirement).toEqual({
      kind: "scopes",
      scopes: ["a:read"],
      source: "security",
    });
  });

  it("refuses an invalid document with the validator's errors, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-openapi-"));
    const file = join(dir, "broken.yaml");
    writeFileSync(
      file,
      "openapi: 3.1.0\ninfo: { title: t }\npaths:\n  /a:\n    get:\n      responses: nope\n",
    );
    await expect(loadOpenApi(file)).rejects.toThrow(/broken\.yaml is not a valid OpenAPI document/);
    await expect(loadOpenApi(join(dir, "missing.yaml"))).rejects.toThrow(/cannot read .*missing\.yaml/);
    writeFileSync(file, "swagger: '2.0'\n");
    await expect(loadOpenApi(file)).rejects.toThrow(/not an OpenAPI 3\.0 or 3\.1 document/);
  });

  it("refuses an operation that is both public and given required scopes", () => {
    const document = {
      openapi: "3.1.0",
      paths: { "/a": { get: { security: [], "x-required-scopes": ["a:read"], responses: {} } } },
    };
    expect(() => compileOpenApi(document)).toThrow(
      /GET \/a declares required scopes but "security: \[\]" makes it public/,
    );
    const malformed = {
      openapi: "3.1.0",
      paths: { "/a": { get: { "x-required-scopes": "a:read", responses: {} } } },
    };
    expect(() => compileOpenApi(malformed)).toThrow(
      /GET \/a x-required-scopes must be a list of scope strings/,
    );
  });

  it("combines x-required-scopes and x-required-any-scopes into one query", () => {
    const document = {
      openapi: "3.1.0",
      paths: {
        "/a": {
          get: {
            "x-required-scopes": ["a:read"],
            "x-required-any-scopes": ["b:read", "c:read"],
            responses: {},
          },
        },
      },
    };
    expect(compileOpenApi(document).operations[0]?.requirement).toEqual({
      kind: "scopes",
      scopes: "a:read AND (b:read OR c:read)",
      source: "x-required-scopes",
    });
  });
});

describe("spec.match", () => {
  const specPromise = loadOpenApi(FIXTURE);

  it("matches concrete paths before templated ones (OpenAPI 3.1 §4.8.8)", async () => {
    const spec = await specPromise;
    expect(spec.match("GET", "/v1/keys/current")?.operationId).toBe("currentKey");
    expect(spec.match("GET", "/v1/keys/key_123")?.operationId).toBe("getKey");
    expect(spec.match("DELETE", "/v1/keys/key_123")?.operationId).toBe("deleteKey");
    expect(spec.match("DELETE", "/v1/keys/current")?.operationId).toBe("deleteKey");
  });

  it("ignores the query string and a trailing slash, and lowercase methods", async () => {
    const spec = await specPromise;
    expect(spec.match("get", "/v1/keys/?limit=5")?.operationId).toBe("listKeys");
    expect(spec.match("GET", "/v1/usage#top")?.operationId).toBe("getUsage");
  });

  it("matches a template inside a segment", async () => {
    const spec = await specPromise;
    expect(spec.match("GET", "/v1/files/report.json")?.operationId).toBe("getFile");
    expect(spec.match("GET", "/v1/files/report.xml")).toBeNull();
  });

  it("answers null for an unknown path or method, and serves HEAD with the GET operation", async () => {
    const spec = await specPromise;
    expect(spec.match("GET", "/v1/nothing")).toBeNull();
    expect(spec.match("PUT", "/v1/keys")).toBeNull();
    expect(spec.match("GET", "/v1/keys/a/b")).toBeNull();
    expect(spec.match("HEAD", "/v1/keys")?.operationId).toBe("listKeys");
  });

  it("strips basePath at a segment boundary only", async () => {
    const spec = compileOpenApi((await specPromise).document, { basePath: "/api" });
    expect(spec.match("GET", "/api/v1/keys")?.operationId).toBe("listKeys");
    expect(spec.match("GET", "/apiv1/keys")).toBeNull();
    expect(spec.match("GET", "/v1/keys")).toBeNull();
    const { document } = await specPromise;
    expect(() => compileOpenApi(document, { basePath: "api" })).toThrow(/option "basePath"/);
  });
});
