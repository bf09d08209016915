/**
 * `GET /scopes` over HTTP, run against every adapter beside the main scenario: the catalogue
 * with its descriptions, the same for every caller, behind the same sign-in as the keys, and
 * described by the served OpenAPI document.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import type { KeysServer, StartKeysServer } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaChecker } from "./management-schema.js";

const OWNER_HEADER = "x-test-owner";

export function runScopesScenario(name: string, start: StartKeysServer): void {
  describe(`${name}: GET /scopes over HTTP`, () => {
    let keyward: Keyward;
    let server: KeysServer;

    beforeAll(async () => {
      keyward = createKeyward({
        store: memoryStore(),
        prefix: "sk_test",
        scopes: { reader: ["project:read", "task:read"], writer: ["reader", "task:write"] },
      });
      server = await start(
        keyward,
        {
          allowedScopes: ["writer", "reader", "task:*"],
          scopeDescriptions: { reader: "Read projects and tasks", "task:*": "Everything about tasks" },
        },
        OWNER_HEADER,
      );
    });

    afterAll(async () => {
      await server?.close();
      await keyward?.close();
    });

    const get = (path: string, owner: string | null) =>
      fetch(`${server.baseUrl}${path}`, { headers: owner === null ? {} : { [OWNER_HEADER]: owner } });

    it("lists allowedScopes in order, presets flattened, with their descriptions", async () => {
      const response = await get("/scopes", "org_a");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await response.json();
      expect(body).toEqual({
        items: [
          {
            name: "writer",
            description: null,
            preset: true,
            scopes: ["project:read", "task:read", "task:write"],
          },
          {
            name: "reader",
            description: "Read projects and tasks",
            preset: true,
            scopes: ["project:read", "task:read"],
          },
          { name: "task:*", description: "Everything about tasks", preset: false, scopes: ["task:*"] },
        ],
      });
      const document = await (await get("/openapi.json", null)).json();
      expect(schemaChecker(document)("ScopeCatalogue", body)).toEqual([]);
      expect(await (await get("/scopes", "org_b")).json()).toEqual(body);
    });

    it("answers 401 problem+json to a caller who is not signed in", async () => {
      const response = await get("/scopes", null);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: "unauthorized" });
    });
  });
}
