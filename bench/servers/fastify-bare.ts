/** Bare Fastify: the route and nothing else (the floor for the Fastify variants). */
import Fastify from "fastify";
import { announce, port, TASKS } from "./serve.js";

const app = Fastify({ logger: false });
app.get("/v1/tasks", async () => TASKS);
await app.listen({ host: "127.0.0.1", port: port() });
announce(app.server);
