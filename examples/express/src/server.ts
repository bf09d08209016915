/**
 * `pnpm start`: the task API on http://127.0.0.1:3000 (PORT to change it), on the memory store,
 * or on PostgreSQL when DATABASE_URL is set.
 */
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { openKeyward } from "./keyward.js";

const { keyward, store, close } = await openKeyward({ databaseUrl: process.env.DATABASE_URL });
const server = createApp(keyward).listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`task API on http://127.0.0.1:${port} (${store} store); Ctrl-C stops it`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    close().then(() => process.exit(0));
  });
}
