/**
 * Fastify + keyward: `keywardPlugin` on a memory store, one (huge) rate limit that every key
 * gets by default, and the route requiring a scope. The token is minted here and handed to the
 * load generator in the handshake. `RATE_LIMIT=off` drops the limit (to tell the verification's
 * cost from the limiter's).
 */
import { createKeyward, memoryStore } from "@keyward/core";
import { keywardPlugin } from "@keyward/fastify";
import Fastify from "fastify";
import { announce, HUGE_LIMIT, port, TASKS } from "./serve.js";

const keyward = createKeyward({
  store: memoryStore(),
  prefix: "sk_bench",
  rateLimit: process.env.RATE_LIMIT === "off" ? false : { limit: HUGE_LIMIT, window: "1m" },
});
const { token } = await keyward.create({ name: "bench", scopes: ["task:read"] });

const app = Fastify({ logger: false });
await app.register(keywardPlugin, { keyward });
app.get("/v1/tasks", { config: { apiKey: { scopes: ["task:read"] } } }, async () => TASKS);
await app.listen({ host: "127.0.0.1", port: port() });
announce(app.server, { authorization: `Bearer ${token}` });
