/**
 * Neon serverless' `Pool` (@neondatabase/serverless), which speaks the PostgreSQL protocol over
 * a WebSocket. Neon's endpoint cannot be reached here, so the test puts a WebSocket-to-TCP
 * proxy (what Neon's wsproxy does) in front of the local PostgreSQL and points the driver at
 * it without TLS. The store sees a pg-compatible Pool: the whole contract runs on it,
 * including LISTEN/NOTIFY on the dedicated connection it opens beside the pool.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { runStoreContract } from "@keyward/core/testing";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { migrate, type PostgresStore, postgresStore } from "../src/index.js";
import { dropSchema, randomSchema } from "./helpers.js";

let proxied = 0;

/** Forwards each WebSocket's binary frames to 127.0.0.1:5432 and back. */
function startProxy(): Promise<Server> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    proxied++;
    const tcp = connect(5432, "127.0.0.1");
    tcp.on("data", (chunk) => socket.send(chunk));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
    socket.on("message", (data) => tcp.write(data as Buffer));
    socket.on("close", () => tcp.destroy());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const schema = randomSchema("contract_neon");
let proxy: Server;
let pool: Pool;
const stores: PostgresStore[] = [];

beforeAll(async () => {
  proxy = await startProxy();
  const { port } = proxy.address() as AddressInfo;
  neonConfig.webSocketConstructor = WebSocket;
  neonConfig.wsProxy = () => `127.0.0.1:${port}/v2`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.forceDisablePgSSL = true;
  neonConfig.pipelineConnect = false;
  neonConfig.pipelineTLS = false;
  pool = new Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/test", max: 10 });
  pool.on("error", () => {});
  expect((await migrate(pool, { schema })).applied.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await pool.end();
  await new Promise((resolve) => {
    proxy.closeAllConnections();
    proxy.close(resolve);
  });
  await dropSchema(schema);
});

describe("postgres store on Neon serverless' Pool (over a local WebSocket proxy)", () => {
  const make = () => {
    const store = postgresStore({ client: pool, schema });
    stores.push(store);
    return store;
  };
  runStoreContract({ describe, it, expect }, make, { invalidation: true });

  it("reached PostgreSQL only through the WebSocket proxy", () => {
    // Pool connections and the LISTEN connection the store opens beside the pool.
    expect(proxied).toBeGreaterThan(1);
  });
});
