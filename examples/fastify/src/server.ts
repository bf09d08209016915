/**
 * `pnpm start`: the task API on http://127.0.0.1:3000 (PORT to change it), on the memory store,
 * or on PostgreSQL when DATABASE_URL is set.
 */
import { createApp } from "./app.js";
import { openKeyward } from "./keyward.js";

const { keyward, store, close } = await openKeyward({ databaseUrl: process.env.DATABASE_URL });
const app = await createApp(keyward);
app.addHook("onClose", () => close());
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`task API on ${address} (${store} store); Ctrl-C stops it`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    app.close().then(() => process.exit(0));
  });
}
