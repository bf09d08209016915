/**
 * Express + keyward: `apiKeyAuth` on a memory store, one (huge) rate limit that every key gets
 * by default, the route requiring a scope. The token is minted here and handed over in the
 * handshake.
 */
import { createKeyward, memoryStore } from "@keyward/core";
import { apiKeyAuth } from "@keyward/express";
import express from "express";
import { announce, HUGE_LIMIT, port, TASKS } from "./serve.js";

const keyward = createKeyward({
  store: memoryStore(),
  prefix: "sk_bench",
  rateLimit: { limit: HUGE_LIMIT, window: "1m" },
});
const { token } = await keyward.create({ name: "bench", scopes: ["task:read"] });

const app = express();
app.disable("x-powered-by");
app.get("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (_req, res) => {
  res.json(TASKS);
});
const server = app.listen(port(), "127.0.0.1", () => announce(server, { authorization: `Bearer ${token}` }));
