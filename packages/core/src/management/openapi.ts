/**
 * The OpenAPI 3.1 document of one management API, generated from the very zod schemas that
 * validate its requests (request bodies as zod's input types, responses as output types), so
 * the document cannot drift from what the API accepts.
 */
import { z } from "zod";
import type { ResolvedKeysApiOptions } from "./options.js";
import type { RequestSchemas } from "./schemas/requests.js";
import { keyIdSchema } from "./schemas/requests.js";
import { apiKeySchema, keyPageSchema, problemSchema, tokenResponseSchema } from "./schemas/responses.js";
import { scopeCatalogueSchema } from "./schemas/scopes.js";
import { tokenOpenApi } from "./token-openapi.js";

type Json = Record<string, unknown>;

const ref = (id: string) => `#/components/schemas/${id}`;

/** JSON Schemas of a registry, without the per-schema `$schema`/`$id` that OpenAPI does not want. */
function componentSchemas(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: "input" | "output",
): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io, uri: ref });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

function inline(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Json;
  return rest;
}

const problemContent = { "application/problem+json": { schema: { $ref: ref("Problem") } } };

function errorResponse(description: string): Json {
  return { description, content: problemContent };
}

function jsonContent(id: string): Json {
  return { "application/json": { schema: { $ref: ref(id) } } };
}

function body(id: string, required: boolean): Json {
  return { required, content: jsonContent(id) };
}

const noStore = {
  "Cache-Control": {
    description: "Always `no-store`: the token must not be cached.",
    schema: { type: "string", const: "no-store" },
  },
};

/** Builds the document (a plain JSON object). */
export function openApiDocument(schemas: RequestSchemas, options: ResolvedKeysApiOptions): Json {
  const info = options.openapi === false ? { title: "API keys", version: "1.0.0" } : options.openapi;
  const input = z.registry<{ id: string }>();
  input.add(schemas.create, { id: "CreateKeyRequest" });
  input.add(schemas.update, { id: "UpdateKeyRequest" });
  input.add(schemas.rotate, { id: "RotateKeyRequest" });
  input.add(schemas.revoke, { id: "RevokeKeyRequest" });
  const output = z.registry<{ id: string }>();
  output.add(apiKeySchema, { id: "ApiKey" });
  output.add(tokenResponseSchema, { id: "KeyWithToken" });
  output.add(keyPageSchema, { id: "KeyPage" });
  output.add(problemSchema, { id: "Problem" });
  output.add(scopeCatalogueSchema, { id: "ScopeCatalogue" });

  const listQuery = inline(schemas.list, "input") as { properties: Record<string, Json> };
  const listParameters = Object.entries(listQuery.properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: "query", required: false, description, schema: rest };
  });

  const auth = options.auth;
  const tokens = tokenOpenApi(options);
  const common: Record<string, Json> = {
    "401": { $ref: "#/components/responses/Unauthorized" },
    ...(auth === null
      ? {}
      : {
          "403": { $ref: "#/components/responses/Forbidden" },
          "429": { $ref: "#/components/responses/TooManyRequests" },
        }),
    "503": { $ref: "#/components/responses/Unavailable" },
  };
  const badRequest = { "400": { $ref: "#/components/responses/BadRequest" } };
  // With a role ceiling (`ownerScopes`), granting a scope above the caller's role is a 403.
  const aboveRole: Record<string, Json> = options.roleCeiling
    ? {
        "403": errorResponse(
          (auth === null ? "" : "The API key lacks the scope for this operation, or has no owner; or ") +
            "the request grants a scope above the caller's current role, listed in errors (code insufficient_scope).",
        ),
      }
    : {};
  const notFound = { "404": { $ref: "#/components/responses/NotFound" } };
  // Operations that read a body: 413 past bodyLimit, 415 for anything but UTF-8 JSON.
  const bodyErrors = {
    "413": { $ref: "#/components/responses/PayloadTooLarge" },
    "415": { $ref: "#/components/responses/UnsupportedMediaType" },
  };

  const securitySchemes: Record<string, Json> = {};
  if (auth !== null) {
    if (auth.bearer !== false)
      securitySchemes["bearer"] = {
        type: "http",
        scheme: "bearer",
        description: "An API key with keys:read / keys:write.",
      };
    for (const name of auth.headerNames ?? ["x-api-key"]) {
      securitySchemes[`header_${name.toLowerCase()}`] = { type: "apiKey", in: "header", name };
    }
    if (auth.query !== undefined && auth.query !== false) {
      const name = auth.query === true ? "api_key" : auth.query;
      securitySchemes[`query_${name}`] = { type: "apiKey", in: "query", name };
    }
  }
  const security = (write: boolean) => {
    if (auth === null) return {};
    const scope = write ? auth.writeScope : auth.readScope;
    return { security: Object.keys(securitySchemes).map((name) => ({ [name]: [scope] })) };
  };

  const operation = (id: string, summary: string, write: boolean, extra: Json): Json => ({
    operationId: id,
    summary,
    tags: ["keys"],
    ...security(write),
    ...extra,
  });

  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        info.description ??
        (auth === null
          ? "Manage your own API keys. Requests are authenticated by the host application's session; every operation sees only the caller's keys."
          : "Manage your own API keys, authenticated by an API key with the keys:read / keys:write scopes; every operation sees only the keys of that key's owner."),
    },
    ...(info.servers === undefined ? {} : { servers: info.servers }),
    tags: [{ name: "keys", description: "API keys of the caller" }],
    paths: {
      "/keys": {
        get: operation("listKeys", "List your keys, newest first", false, {
          parameters: listParameters,
          responses: {
            "200": { description: "One page of keys.", content: jsonContent("KeyPage") },
            ...badRequest,
            ...common,
          },
        }),
        post: operation("createKey", "Create a key (the token is shown in this response only)", true, {
          requestBody: body("CreateKeyRequest", false),
          responses: {
            "201": {
              description: "The new key and its token.",
              headers: noStore,
              content: jsonContent("KeyWithToken"),
            },
            ...badRequest,
            ...bodyErrors,
            ...common,
            ...aboveRole,
          },
        }),
      },
      "/keys/{id}": {
        parameters: [{ $ref: "#/components/parameters/KeyId" }],
        get: operation("getKey", "Get one of your keys", false, {
          responses: {
            "200": { description: "The key.", content: jsonContent("ApiKey") },
            ...notFound,
            ...common,
          },
        }),
        patch: operation("updateKey", "Change a key", true, {
          requestBody: body("UpdateKeyRequest", true),
          responses: {
            "200": { description: "The updated key.", content: jsonContent("ApiKey") },
            ...badRequest,
            ...bodyErrors,
            ...notFound,
            ...common,
            ...aboveRole,
          },
        }),
        delete: operation("deleteKey", "Delete a key for good", true, {
          responses: { "204": { description: "Deleted." }, ...notFound, ...common },
        }),
      },
      "/keys/{id}/rotate": {
        parameters: [{ $ref: "#/components/parameters/KeyId" }],
        post: operation(
          "rotateKey",
          "Issue a new token; the old one works until the grace period ends",
          true,
          {
            requestBody: body("RotateKeyRequest", false),
            responses: {
              "200": {
                description: "The key and its new token.",
                headers: noStore,
                content: jsonContent("KeyWithToken"),
              },
              ...badRequest,
              ...bodyErrors,
              ...notFound,
              ...common,
            },
          },
        ),
      },
      "/keys/{id}/revoke": {
        parameters: [{ $ref: "#/components/parameters/KeyId" }],
        post: operation("revokeKey", "Revoke a key: it stops working at once, for good", true, {
          requestBody: body("RevokeKeyRequest", false),
          responses: {
            "200": { description: "The revoked key.", content: jsonContent("ApiKey") },
            ...badRequest,
            ...bodyErrors,
            ...notFound,
            ...common,
          },
        }),
      },
      "/scopes": {
        get: operation("listScopes", "List the scopes and presets you may put on a key", false, {
          responses: {
            "200": { description: "The scope catalogue.", content: jsonContent("ScopeCatalogue") },
            ...common,
          },
        }),
      },
      "/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This document",
          tags: ["keys"],
          security: [],
          responses: {
            "200": {
              description: "The OpenAPI 3.1 document.",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
      ...tokens.paths,
    },
    components: {
      schemas: {
        ...componentSchemas(input, "input"),
        ...componentSchemas(output, "output"),
        ...tokens.schemas,
      },
      parameters: {
        KeyId: {
          name: "id",
          in: "path",
          required: true,
          description: keyIdSchema.description,
          schema: inline(keyIdSchema, "input"),
        },
      },
      responses: {
        BadRequest: errorResponse(
          "The request is invalid (code invalid_request); `errors` lists each problem with its JSON Pointer.",
        ),
        Unauthorized: errorResponse(
          auth === null
            ? "The caller is not signed in (code unauthorized)."
            : "The API key is missing or not valid (codes missing_key, invalid_key, expired_key, revoked_key, disabled_key).",
        ),
        ...(auth === null
          ? {}
          : {
              Forbidden: errorResponse(
                "The API key lacks the scope for this operation, or has no owner (code insufficient_scope).",
              ),
              TooManyRequests: errorResponse(
                "The API key is rate limited or out of quota (codes rate_limited, usage_exceeded).",
              ),
            }),
        NotFound: errorResponse("No key with this id among yours (code not_found)."),
        PayloadTooLarge: errorResponse(
          "The request body is larger than the API accepts (code payload_too_large).",
        ),
        UnsupportedMediaType: errorResponse(
          "The request body is not uncompressed UTF-8 JSON (code unsupported_media_type).",
        ),
        Unavailable: errorResponse(
          "The key store is unreachable or too slow (code unavailable); retry after Retry-After seconds.",
        ),
      },
      ...(auth === null ? {} : { securitySchemes }),
    },
  };
}
