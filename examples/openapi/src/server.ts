/** `pnpm start`: the Acme Projects API on http://127.0.0.1:3000 (PORT to change it), in-memory keys. */
import type { AddressInfo } from "node:net";
import app, { keyward } from "./main.js";

const { token } = await keyward.create({ name: "demo admin", ownerId: "org_demo", scopes: ["admin"] });
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Acme Projects API on http://127.0.0.1:${port}`);
  console.log(`try: curl -H "Authorization: Bearer ${token}" http://127.0.0.1:${port}/v1/keys`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    keyward.close().then(() => process.exit(0));
  });
}
