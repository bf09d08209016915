/** Fastify with the hand-written hook of handwritten.ts: the floor for Fastify + keyward. */
import Fastify from "fastify";
import { check, TOKEN } from "./handwritten.js";
import { announce, port, TASKS } from "./serve.js";

const app = Fastify({ logger: false });
app.addHook("onRequest", (request, reply, done) => {
  const headers = check(request.headers.authorization);
  if (headers === null) {
    reply.code(401).send({ error: "unauthorized" });
    return;
  }
  reply.header("RateLimit-Policy", headers[0]).header("RateLimit", headers[1]);
  done();
});
app.get("/v1/tasks", async () => TASKS);
await app.listen({ host: "127.0.0.1", port: port() });
announce(app.server, { authorization: `Bearer ${TOKEN}` });
