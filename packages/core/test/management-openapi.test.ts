/**
 * The generated OpenAPI 3.1 document: valid for a real validator (@readme/openapi-parser),
 * complete (every endpoint, parameter, body, response and error response), its schemas valid
 * draft 2020-12 for Ajv, and in agreement with the zod schemas that validate requests.
 */
import { createKeysApi, createKeyward, type KeysApiOptions, memoryStore } from "@keyward/core";
import { compileErrors, parse, validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";

const keyward = createKeyward({ store: memoryStore(), scopes: { reader: ["task:read"] } });
afterAll(() => keyward.close());

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as plain JSON
type Doc = any;

async function documentFor(options: KeysApiOptions): Promise<Doc> {
  const api = createKeysApi(keyward, options);
  const response = await api({ method: "GET", path: "/openapi.json" });
  expect(response.status).toBe(200);
  return JSON.parse(response.body);
}

const OWNER_MODE: KeysApiOptions = { owner: () => "org" };
const AUTH_MODE: KeysApiOptions = {
  auth: { headerNames: ["x-api-key", "x-other-key"], query: "key" },
  editableLimits: true,
  openapi: { title: "Acme keys", version: "2.1.0", servers: [{ url: "https://api.acme.test/v1" }] },
};

const OPERATIONS = [
  ["/keys", "get", "listKeys"],
  ["/keys", "post", "createKey"],
  ["/keys/{id}", "get", "getKey"],
  ["/keys/{id}", "patch", "updateKey"],
  ["/keys/{id}", "delete", "deleteKey"],
  ["/keys/{id}/rotate", "post", "rotateKey"],
  ["/keys/{id}/revoke", "post", "revokeKey"],
  ["/scopes", "get", "listScopes"],
  ["/openapi.json", "get", "getOpenApi"],
] as const;

describe.each([
  ["owner callback", OWNER_MODE],
  ["API-key auth", AUTH_MODE],
])("the OpenAPI document (%s)", (_mode, options) => {
  it("is a valid OpenAPI 3.1 document for @readme/openapi-parser", async () => {
    const doc = await documentFor(options);
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(await parse(structuredClone(doc)), { resolve: { external: false } });
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.warnings).toEqual([]);
  });

  it("lists every endpoint once, with its parameters, bodies and responses", async () => {
    const doc = await documentFor(options);
    const listed = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as object)
        .filter(([method]) => method !== "parameters")
        .map(([method, operation]) => [path, method, (operation as { operationId: string }).operationId]),
    );
    expect(listed.sort()).toEqual(OPERATIONS.map((entry) => [...entry]).sort());

    const listParameters = doc.paths["/keys"].get.parameters.map(
      (p: { name: string; in: string }) => `${p.in}:${p.name}`,
    );
    expect(listParameters.sort()).toEqual(["query:cursor", "query:enabled", "query:limit", "query:scope"]);
    for (const path of ["/keys/{id}", "/keys/{id}/rotate", "/keys/{id}/revoke"]) {
      expect(doc.paths[path].parameters).toEqual([{ $ref: "#/components/parameters/KeyId" }]);
    }
    expect(doc.components.parameters.KeyId).toMatchObject({ name: "id", in: "path", required: true });

    const bodies = {
      createKey: "CreateKeyRequest",
      updateKey: "UpdateKeyRequest",
      rotateKey: "RotateKeyRequest",
      revokeKey: "RevokeKeyRequest",
    };
    const success: Record<string, [string, string]> = {
      listKeys: ["200", "KeyPage"],
      createKey: ["201", "KeyWithToken"],
      getKey: ["200", "ApiKey"],
      updateKey: ["200", "ApiKey"],
      rotateKey: ["200", "KeyWithToken"],
      revokeKey: ["200", "ApiKey"],
      listScopes: ["200", "ScopeCatalogue"],
    };
    for (const [path, method, id] of OPERATIONS) {
      const operation = doc.paths[path][method];
      if (id === "getOpenApi") continue;
      if (id in bodies) {
        expect(operation.requestBody.content["application/json"].schema.$ref).toBe(
          `#/components/schemas/${bodies[id as keyof typeof bodies]}`,
        );
      }
      if (id in success) {
        const [status, schema] = success[id]!;
        expect(operation.responses[status].content["application/json"].schema.$ref).toBe(
          `#/components/schemas/${schema}`,
        );
      } else {
        expect(Object.keys(operation.responses["204"])).toEqual(["description"]);
      }
      // Every error the operation can answer is documented, each as problem+json.
      const errors = Object.keys(operation.responses).filter((status) => status >= "400");
      const expected = ["401", "503"];
      if (path !== "/keys" && path !== "/scopes") expected.push("404");
      if (id !== "getKey" && id !== "deleteKey" && id !== "listScopes") expected.push("400");
      // Operations that read a body refuse oversized (413) and non-JSON (415) ones.
      if (id !== "getKey" && id !== "deleteKey" && id !== "listKeys" && id !== "listScopes")
        expected.push("413", "415");
      if (options.auth !== undefined) expected.push("403", "429");
      expect(errors.sort()).toEqual(expected.sort());
      for (const status of errors) {
        const name = operation.responses[status].$ref.replace("#/components/responses/", "");
        expect(doc.components.responses[name].content["application/problem+json"].schema.$ref).toBe(
          "#/components/schemas/Problem",
        );
      }
    }
    expect(doc.paths["/keys"].post.responses["201"].headers["Cache-Control"]).toBeDefined();
  });

  it("has component schemas that compile as JSON Schema 2020-12", async () => {
    const doc = await documentFor(options);
    // Strict: any keyword that is not JSON Schema 2020-12 fails to compile. The root only
    // holds the components so that their "#/components/schemas/…" references resolve.
    const ajv = new Ajv2020({ strict: true, validateFormats: false });
    ajv.addVocabulary(["components"]);
    ajv.addSchema({ $id: "https://keyward.test/doc", components: doc.components });
    for (const name of Object.keys(doc.components.schemas)) {
      const schema = doc.components.schemas[name];
      expect(schema.$schema).toBeUndefined();
      expect(schema.$id).toBeUndefined();
      expect(() => ajv.getSchema(`https://keyward.test/doc#/components/schemas/${name}`)).not.toThrow();
      expect(ajv.getSchema(`https://keyward.test/doc#/components/schemas/${name}`)).toBeTypeOf("function");
    }
  });
});

describe("the document follows the options", () => {
  it("shows rateLimit and quota only with editableLimits, and security only with auth", async () => {
    const owner = await documentFor(OWNER_MODE);
    expect(Object.keys(owner.components.schemas.CreateKeyRequest.properties)).not.toContain("rateLimit");
    expect(owner.components.securitySchemes).toBeUndefined();
    const auth = await documentFor(AUTH_MODE);
    expect(Object.keys(auth.components.schemas.UpdateKeyRequest.properties)).toContain("quota");
    expect(Object.keys(auth.components.securitySchemes).sort()).toEqual([
      "bearer",
      "header_x-api-key",
      "header_x-other-key",
      "query_key",
    ]);
    expect(auth.paths["/keys"].get.security).toContainEqual({ bearer: ["keys:read"] });
    expect(auth.paths["/keys"].post.security).toContainEqual({ "header_x-other-key": ["keys:write"] });
    expect(auth.info).toMatchObject({ title: "Acme keys", version: "2.1.0" });
    expect(auth.servers).toEqual([{ url: "https://api.acme.test/v1" }]);
  });

  it("bounds the limit parameter by maxPageSize", async () => {
    const doc = await documentFor({ owner: () => "org", maxPageSize: 25 });
    const limit = doc.paths["/keys"].get.parameters.find((p: { name: string }) => p.name === "limit");
    expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 25, default: 25 });
  });
});

describe("the document agrees with the request validation", () => {
  // The document may be looser than the API (uniqueness, sizes and cross-field rules are
  // checked in code), but it must never reject a body the API accepts, and it must reject
  // every structurally wrong one.
  const samples: [string, unknown, boolean][] = [
    ["CreateKeyRequest", {}, true],
    [
      "CreateKeyRequest",
      { name: "x", scopes: ["task:read", "reader"], expiresIn: "30d", metadata: { a: [1] } },
      true,
    ],
    ["CreateKeyRequest", { expiresAt: "2031-02-03T04:05:06+02:00", enabled: false, ownerId: "org" }, true],
    ["CreateKeyRequest", { expiresIn: 86_400_000, name: null, expiresAt: undefined }, true],
    ["CreateKeyRequest", { rateLimit: [{ name: "search", limit: 5, window: "1s", autoApply: true }] }, true],
    ["CreateKeyRequest", { quota: { limit: 10, refill: { interval: "30d", amount: 5 } } }, true],
    ["CreateKeyRequest", { extra: 1 }, false],
    ["CreateKeyRequest", { scopes: "task:read" }, false],
    ["CreateKeyRequest", { scopes: ["has space"] }, false],
    ["CreateKeyRequest", { expiresIn: "5 days" }, false],
    ["CreateKeyRequest", { expiresAt: "tomorrow" }, false],
    ["CreateKeyRequest", { rateLimit: { limit: 0, window: "1m" } }, false],
    ["CreateKeyRequest", { rateLimit: { limit: 1, window: "1m", burst: 2 } }, false],
    ["CreateKeyRequest", [], false],
    ["UpdateKeyRequest", { enabled: true, expiresAt: null, rateLimit: null, quota: null }, true],
    ["UpdateKeyRequest", { ownerId: "org" }, false],
    ["UpdateKeyRequest", { enabled: "yes" }, false],
    ["RotateKeyRequest", {}, true],
    ["RotateKeyRequest", { gracePeriod: "24h" }, true],
    ["RotateKeyRequest", { gracePeriod: -1 }, false],
    ["RevokeKeyRequest", {}, true],
    ["RevokeKeyRequest", { reason: "x" }, false],
  ];

  it.each(samples)("%s %j: valid = %s for both the API and the document", async (schema, body, valid) => {
    const doc = await documentFor(AUTH_MODE);
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "https://keyward.test/doc", components: doc.components });
    const documentSays = ajv.validate(`https://keyward.test/doc#/components/schemas/${schema}`, body);
    expect(documentSays).toBe(valid);

    const api = createKeysApi(keyward, { owner: () => "org", editableLimits: true });
    const routes: Record<string, [string, string]> = {
      CreateKeyRequest: ["POST", "/keys"],
      UpdateKeyRequest: ["PATCH", "/keys/key_unknown"],
      RotateKeyRequest: ["POST", "/keys/key_unknown/rotate"],
      RevokeKeyRequest: ["POST", "/keys/key_unknown/revoke"],
    };
    const [method, path] = routes[schema]!;
    const response = await api({
      method,
      path,
      headers: { "content-type": "application/json", "content-length": "2" },
      rawBody: JSON.stringify(body),
    });
    // Valid bodies pass validation: 201 for a create, 404 for the unknown id of the others.
    expect(response.status, response.body).toBe(valid ? (schema === "CreateKeyRequest" ? 201 : 404) : 400);
  });
});
