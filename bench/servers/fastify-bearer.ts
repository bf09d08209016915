/**
 * Fastify's own way: @fastify/bearer-auth (one accepted key, constant-time compare) and
 * @fastify/rate-limit (in memory, keyed by the credential, a max nothing reaches).
 */
import bearerAuth from "@fastify/bearer-auth";
import rateLimit from "@fastify/rate-limit";
import Fastify from "fastify";
import { announce, HUGE_LIMIT, port, TASKS } from "./serve.js";

const KEY = "bench-bearer-key-0123456789abcdefghijklmnopqrstuv";

const app = Fastify({ logger: false });
await app.register(bearerAuth, { keys: new Set([KEY]) });
await app.register(rateLimit, {
  max: HUGE_LIMIT,
  timeWindow: 60_000,
  keyGenerator: (request) => request.headers.authorization ?? request.ip,
});
app.get("/v1/tasks", async () => TASKS);
await app.listen({ host: "127.0.0.1", port: port() });
announce(app.server, { authorization: `Bearer ${KEY}` });
