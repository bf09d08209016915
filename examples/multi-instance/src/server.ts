/**
 * `pnpm start`: one instance. Start two (or ten) with different ports and names; they share
 * keys, limits and revocations through the store.
 *
 *   STORE=postgres|redis (default postgres)  PORT (default 3000)  INSTANCE (default "A")
 *   NAMESPACE: PostgreSQL schema / Redis key prefix (default "keyward_multi")
 */
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { openInstance, type SharedStore } from "./keyward.js";

const store = (process.env.STORE ?? "postgres") as SharedStore;
if (store !== "postgres" && store !== "redis") {
  console.error(`STORE must be "postgres" or "redis", got ${JSON.stringify(store)}`);
  process.exit(2);
}
const name = process.env.INSTANCE ?? "A";
const { keyward, close } = await openInstance({ store, namespace: process.env.NAMESPACE ?? "keyward_multi" });
const server = createApp(keyward, name).listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`instance ${name} on http://127.0.0.1:${port} (${store})`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    close().then(() => process.exit(0));
  });
}
