import { createHash } from "node:crypto";
import { createKeyward, generateToken, isKeywardError, memoryStore } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { setup } from "./keyward-fixtures.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return isKeywardError(error) ? error.code : String(error);
  }
};

describe("import", () => {
  it("imports a keyward-format token: same prefix and start as if created here", async () => {
    const { keyward, events } = setup();
    const token = generateToken("sk_test");
    const key = await keyward.import({ token, name: "migrated", scopes: ["task:read"] });
    expect(key).toMatchObject({ prefix: "sk_test", start: token.slice(0, 12), name: "migrated" });
    expect(await keyward.verify(token, { scopes: ["task:read"] })).toMatchObject({
      ok: true,
      key: { id: key.id },
    });
    expect(events.map((e) => e.type)).toEqual(["key.imported"]);
  });

  it("imports a key given only as its SHA-256 (any case), with and without a pepper", async () => {
    for (const pepper of [undefined, "secret-pepper"]) {
      const store = memoryStore();
      const keyward = createKeyward({ store, prefix: "sk_test", ...(pepper && { pepper }) });
      const token = generateToken("sk_test");
      const key = await keyward.import({ sha256: sha256(token).toUpperCase() });
      expect(key).toMatchObject({ prefix: "", start: "" });
      expect((await keyward.verify(token)).ok).toBe(true);
      await keyward.close();
    }
  });

  it("a duplicate token is a conflict; the first key is untouched", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create();
    expect(await codeOf(keyward.import({ token }))).toBe("conflict");
    expect(await codeOf(keyward.import({ sha256: sha256(token) }))).toBe("conflict");
    expect(await keyward.verify(token)).toMatchObject({ ok: true, key: { id: key.id } });
  });

  it("rejects bad input with invalid_request", async () => {
    const { keyward } = setup();
    expect(await codeOf(keyward.import({ sha256: "abc" }))).toBe("invalid_request");
    expect(await codeOf(keyward.import({ token: "" }))).toBe("invalid_request");
    expect(await codeOf(keyward.import({ token: "t", sha256: sha256("t") } as never))).toBe(
      "invalid_request",
    );
    expect(await codeOf(keyward.import({} as never))).toBe("invalid_request");
    expect(await codeOf(keyward.import({ token: "legacy-1", expiresIn: "1d" } as never))).toBe(
      "invalid_request",
    );
  });

  it("never stores the token: only its hash reaches the store", async () => {
    const { keyward, spy } = setup();
    const token = "legacy-plaintext-secret-42";
    await keyward.import({ token });
    const written = JSON.stringify(spy.args);
    expect(written).not.toContain(token);
    expect(written).toContain(sha256(token));
  });
});
