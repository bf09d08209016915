/**
 * One rule per validation: the management API's request schema (and the OpenAPI document
 * built from it) takes its rate-limit constraints from the definitions the service uses, so
 * the API never accepts what `keyward.create()` then rejects.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createKeysApi, createKeyward, memoryStore } from "../src/index.js";
import { LIMIT_NAME_PATTERN } from "../src/ratelimit/limit-names.js";
import { RATE_LIMIT_ALGORITHMS } from "../src/ratelimit/names.js";

const keyward = createKeyward({ store: memoryStore() });
afterAll(() => keyward.close());
const api = createKeysApi(keyward, { owner: () => "org_1", editableLimits: true });

async function create(rateLimit: unknown) {
  const response = await api({
    method: "POST",
    path: "/keys",
    headers: { "content-type": "application/json" },
    rawBody: JSON.stringify({ rateLimit }),
  });
  return { status: response.status, body: JSON.parse(response.body) };
}

describe("management API rate-limit rules come from the service", () => {
  it('rejects a limit named "Search.v2" with 400 at its field (it used to pass the schema)', async () => {
    const { status, body } = await create([{ name: "Search.v2", limit: 5, window: "1m" }]);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { path: "/rateLimit/0/name", message: "must be 1 to 64 characters of a-z, 0-9, _ and -" },
    ]);
  });

  it('rejects the reserved name "owner" and repeated names at their field', async () => {
    const reserved = await create([{ name: "owner", limit: 5, window: "1m" }]);
    expect(reserved.status).toBe(400);
    expect(reserved.body.errors[0].path).toBe("/rateLimit/0/name");
    expect(reserved.body.errors[0].message).toMatch(/may not be "owner"/);

    const repeated = await create([
      { name: "search", limit: 5, window: "1m" },
      { name: "search", limit: 9, window: "1h" },
    ]);
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors[0].path).toBe("/rateLimit/1/name");
  });

  it("rejects a limit × window product the service cannot count exactly", async () => {
    const { status, body } = await create({ limit: 10_000_000, window: "365d" });
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ path: "/rateLimit" });
    expect(body.errors[0].message).toMatch(/too large/);
  });

  it("accepts what the service accepts", async () => {
    const { status, body } = await create([
      { name: "search-v2", limit: 5, window: "1m", algorithm: "token-bucket" },
    ]);
    expect(status).toBe(201);
    expect(body.key.rateLimit[0]).toMatchObject({ name: "search-v2", algorithm: "token-bucket" });
  });

  it("the OpenAPI document states the service's name pattern and algorithm list", async () => {
    const response = await api({ method: "GET", path: "/openapi.json" });
    const text = response.body;
    expect(text).toContain(JSON.stringify(LIMIT_NAME_PATTERN.source));
    expect(text).toContain(JSON.stringify([...RATE_LIMIT_ALGORITHMS]));
    expect(text).not.toContain("A-Za-z0-9_.-]{1,64}");
  });
});
