import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type AddressAppOptions, addressBody, runClientAddressChecks } from "@keyward/core/testing";
import express from "express";
import { afterAll, describe, expect, it } from "vitest";
import { apiKeyAuth } from "../src/index.js";

// Express gives `req.ip`, which follows the app's "trust proxy" setting.
function addressApp(keyward: Parameters<typeof apiKeyAuth>[0], options: AddressAppOptions) {
  const app = express();
  if (options.trustProxy) app.set("trust proxy", "loopback");
  app.get("/whoami", apiKeyAuth(keyward), (req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.end(addressBody(req.apiKey, req.apiKeyOwner));
  });
  const server = createServer(app);
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

describe("Express: allowlists with req.ip", () => {
  runClientAddressChecks({ describe, it, expect, afterAll }, addressApp);
});
