import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { openKeyward } from "./keyward.js";

const keyward = openKeyward();
const { token } = await keyward.create({ ownerId: "org_demo", scopes: ["writer"], name: "demo" });
const port = Number(process.env.PORT ?? 3000);
const server = serve({ fetch: createApp(keyward).fetch, port, hostname: "127.0.0.1" });
console.log(`listening on http://127.0.0.1:${port}`);
console.log(`try: curl -H "Authorization: Bearer ${token}" http://127.0.0.1:${port}/v1/tasks`);

process.once("SIGINT", async () => {
  server.close();
  await keyward.close();
});
