/**
 * Mounts the conformance route table on a Fastify 5 app: plain routes declare their auth in
 * `config.apiKey`, a group is an encapsulated child with a router-level `onRequest` hook.
 * Also used by the cross-adapter comparison in packages/next/test.
 */
import {
  CONFORMANCE_CONTENT_TYPE,
  type ConformanceApp,
  type ConformanceSetup,
  conformanceBody,
  type WebhookConformanceRoute,
  webhookConformanceBody,
} from "@keyward/core/testing";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { keywardPlugin, webhookAuth } from "../src/index.js";

const handler = async (request: FastifyRequest, reply: FastifyReply) =>
  reply.header("content-type", CONFORMANCE_CONTENT_TYPE).send(Buffer.from(conformanceBody(request.apiKey)));

/** A `createApp` for `runAdapterConformance`. */
export async function fastifyApp(setup: ConformanceSetup): Promise<ConformanceApp> {
  const app = Fastify();
  await app.register(keywardPlugin, { keyward: setup.keyward });
  for (const route of setup.routes) app.get(route.path, { config: { apiKey: route.auth } }, handler);
  for (const group of setup.groups) {
    await app.register(
      async (child) => {
        child.addHook("onRequest", child.apiKeyAuth(group.auth));
        for (const route of group.routes) child.get(route.path, { config: { apiKey: route.auth } }, handler);
      },
      { prefix: group.prefix },
    );
  }
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** A `CreateWebhookApp`: the routes in a context whose only parser keeps the raw bytes. */
export async function fastifyWebhookApp(routes: readonly WebhookConformanceRoute[]): Promise<ConformanceApp> {
  const app = Fastify();
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    for (const route of routes) {
      hooks.post(route.path, { preHandler: webhookAuth(route.options) }, async (request, reply) =>
        reply
          .header("content-type", CONFORMANCE_CONTENT_TYPE)
          .send(Buffer.from(webhookConformanceBody(request.body as Buffer))),
      );
    }
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
