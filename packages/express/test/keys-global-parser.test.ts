/**
 * keysRouter behind an app-wide express.json(): the body that parser already read is used as
 * is (so creating a key works), and a body it left alone (not JSON) is still read and refused
 * by keyward itself with a problem+json 415.
 */
import type { AddressInfo } from "node:net";
import { createKeyward, memoryStore } from "@keyward/core";
import express from "express";
import { afterAll, describe, expect, it } from "vitest";
import { keysRouter } from "../src/index.js";

describe("keysRouter behind a global express.json()", () => {
  const keyward = createKeyward({ store: memoryStore() });
  const app = express();
  app.use(express.json());
  app.use("/api", keysRouter(keyward, { owner: () => "org_parsed" }));
  const server = app.listen(0, "127.0.0.1");
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await keyward.close();
  });
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/keys`;

  it("uses the body the app's parser already read", async () => {
    const response = await fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "parsed upstream" }),
    });
    expect(response.status).toBe(201);
    expect((await response.json()).key.name).toBe("parsed upstream");
  });

  it("still refuses a body the app's parser left unread (text/plain) with 415 problem+json", async () => {
    const response = await fetch(url(), {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: '{"name":"x"}',
    });
    expect(response.status).toBe(415);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
