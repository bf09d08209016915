/**
 * Input no store can represent is refused on the way in — `invalid_request` from the service,
 * 400 problem+json with the field's path from the management API — and nothing already stored
 * can make a read fail.
 */
import {
  createKeysApi,
  createKeyward,
  type KeysApiRequest,
  type Keyward,
  KeywardError,
  memoryStore,
} from "@keyward/core";
import type { StoredKey } from "@keyward/core/store";
import { afterEach, describe, expect, it } from "vitest";

const open: Keyward[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((keyward) => keyward.close()));
});
function keywardFor(store = memoryStore()): Keyward {
  const keyward = createKeyward({ store, prefix: "sk_test", cache: false });
  open.push(keyward);
  return keyward;
}

async function refusal(promise: Promise<unknown>): Promise<KeywardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeywardError) return error;
    throw error;
  }
  throw new Error("expected a KeywardError, the call succeeded");
}

/** An object nested `depth` levels deep, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 1; i < depth; i++) {
    const inner: Record<string, unknown> = {};
    at.a = inner;
    at = inner;
  }
  return root;
}

describe("the service refuses what a store cannot represent", () => {
  it.each([
    ["expiresIn", { expiresIn: "999999999999999d" }],
    ["expiresIn", { expiresIn: 9007199254740991 }],
    ["expiresAt", { expiresAt: new Date(8.64e15) }],
    ["name", { name: "nul\u0000name" }],
    ["name", { name: "lone \uD800 surrogate" }],
    ["ownerId", { ownerId: "owner\uDC00" }],
    ["metadata.note", { metadata: { note: "a\u0000b" } }],
    ["metadata", { metadata: nested(10_000) }],
    ["quota.refill.interval", { quota: { limit: 5, refill: { interval: 9007199254740991 } } }],
  ])("refuses %s with invalid_request naming it (case %#)", async (field, input) => {
    const error = await refusal(keywardFor().create(input as never));
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain(`"${field}`);
  });

  it("refuses the same on update, and a grace period that would end after 9999", async () => {
    const keyward = keywardFor();
    const { key } = await keyward.create({});
    expect((await refusal(keyward.update(key.id, { name: "x\u0000" }))).code).toBe("invalid_request");
    expect((await refusal(keyward.update(key.id, { expiresAt: new Date(-1) }))).code).toBe("invalid_request");
    expect((await refusal(keyward.update(key.id, { metadata: nested(40) }))).code).toBe("invalid_request");
    const rotate = await refusal(keyward.rotate(key.id, { gracePeriod: 9007199254740991 }));
    expect(rotate.code).toBe("invalid_request");
    expect(rotate.message).toContain("gracePeriod");
  });

  it("accepts what every store holds: astral characters, 32 levels of metadata, a date in 9999", async () => {
    const { key } = await keywardFor().create({
      name: "emoji 🔑 ok",
      metadata: nested(32),
      expiresAt: new Date("9999-12-31T00:00:00Z"),
    });
    expect(key.name).toBe("emoji 🔑 ok");
  });

  it("refuses a NUL or lone surrogate in an imported token and in list filters", async () => {
    const keyward = keywardFor();
    expect((await refusal(keyward.import({ token: "legacy\u0000token" }))).code).toBe("invalid_request");
    expect((await refusal(keyward.list({ ownerId: "o\u0000" }))).code).toBe("invalid_request");
    expect(await keyward.get("key_\u0000")).toBeNull();
  });
});

describe("a read never fails on what is stored", () => {
  it("lists an owner's keys, and serves them over the management API, with one poisoned key among them", async () => {
    const store = memoryStore();
    const keyward = keywardFor(store);
    const { key: good } = await keyward.create({ ownerId: "org_1", name: "good" });
    const poisoned: StoredKey = {
      id: `${good.id}z`,
      name: "poisoned",
      ownerId: "org_1",
      prefix: "sk_test",
      start: "sk_test_abc",
      last4: "",
      allowedIps: null,
      scopes: [],
      metadata: {},
      enabled: true,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      expiresAt: 1e22, // what 999999999999999d used to store
      revokedAt: null,
      lastUsedAt: null,
      usageCount: 0,
      rateLimit: null,
      quota: { limit: 5, refill: { interval: 9007199254740991, amount: 5 } },
    };
    await store.insertKey(poisoned, {
      hash: "f".repeat(64),
      keyId: poisoned.id,
      createdAt: 0,
      expiresAt: null,
    });

    const page = await keyward.list({ ownerId: "org_1" });
    expect(page.items.map((k) => k.name).sort()).toEqual(["good", "poisoned"]);

    const api = createKeysApi(keyward, { owner: () => "org_1" });
    const list = await api({ method: "GET", path: "/keys", raw: {} });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).items).toHaveLength(2);
    const one = await api({ method: "GET", path: `/keys/${poisoned.id}`, raw: {} });
    expect(one.status).toBe(200);
  });
});

describe("the management API answers 400 with the field's path", () => {
  const post = (body: unknown): KeysApiRequest => ({
    method: "POST",
    path: "/keys",
    headers: { "content-type": "application/json", "content-length": "1" },
    body,
    raw: {},
  });

  it.each([
    ["/expiresIn", { expiresIn: "999999999999999d" }],
    ["/expiresIn", { expiresIn: 9007199254740991 }],
    ["/expiresAt", { expiresAt: "0000-01-01T00:00:00Z" }],
    ["/name", { name: "nul\u0000name" }],
    ["/name", { name: "lone \uD800 surrogate" }],
    ["/metadata/deep/x", { metadata: { deep: { x: "a\u0000b" } } }],
    [
      "/metadata/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a",
      { metadata: nested(10_000) },
    ],
    ["/quota/refill/interval", { quota: { limit: 5, refill: { interval: 9007199254740991 } } }],
  ])("answers 400 at %s (case %#)", async (path, body) => {
    const api = createKeysApi(keywardFor(), { owner: () => "org_1", editableLimits: true });
    const response = await api(post(body));
    expect(response.status).toBe(400);
    const type = Object.entries(response.headers).find(([name]) => name.toLowerCase() === "content-type");
    expect(String(type?.[1])).toContain("application/problem+json");
    expect(JSON.parse(response.body).errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("answers 400 at /gracePeriod for a rotation whose grace would end after 9999", async () => {
    const keyward = keywardFor();
    const api = createKeysApi(keyward, { owner: () => "org_1" });
    const { key } = await keyward.create({ ownerId: "org_1" });
    const response = await api({
      ...post({ gracePeriod: 9007199254740991 }),
      path: `/keys/${key.id}/rotate`,
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { path: "/gracePeriod", message: "must end by 9999-12-31 (UTC)" },
    ]);
  });
});
