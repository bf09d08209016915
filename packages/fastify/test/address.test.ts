import { type AddressAppOptions, addressBody, runClientAddressChecks } from "@keyward/core/testing";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { keywardPlugin } from "../src/index.js";

// Fastify gives `request.ip`, which follows the server's `trustProxy` option.
async function addressApp(
  keyward: Parameters<typeof keywardPlugin>[1]["keyward"],
  options: AddressAppOptions,
) {
  const app = Fastify(options.trustProxy ? { trustProxy: "127.0.0.1" } : {});
  await app.register(keywardPlugin, { keyward });
  app.get("/whoami", { config: { apiKey: {} } }, async (request, reply) =>
    reply.header("content-type", "application/json").send(addressBody(request.apiKey, request.apiKeyOwner)),
  );
  await app.listen({ port: 0, host: options.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

describe("Fastify: allowlists with request.ip", () => {
  runClientAddressChecks({ describe, it, expect, afterAll }, addressApp);
});
