/**
 * `pnpm demo`: an HTTP tour of keyward. It starts the Express example (examples/express) on an
 * ephemeral port with the in-memory store, mints keys, sends real requests and prints each
 * request and answer. No services, no build. Exits 0 when every answer was the expected one.
 *
 * `pnpm demo --serve` then keeps the server running and prints a curl line with a fresh key
 * (on PORT when set; the tour alone always takes an ephemeral port, so it never collides).
 */
import type { AddressInfo } from "node:net";
import { createApp } from "../examples/express/src/app.js";
import { openKeyward } from "../examples/express/src/keyward.js";
import { createClient } from "./demo/client.js";
import { serve } from "./demo/serve.js";
import { bold, green, red } from "./demo/style.js";
import { runTour } from "./demo/tour.js";

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--serve");
if (unknown.length > 0) {
  console.error(`pnpm demo: unknown argument ${unknown[0]} (usage: pnpm demo [--serve])`);
  process.exit(2);
}

const serveMode = args.includes("--serve");
let offset = 0;
const { keyward, close } = await openKeyward({ clock: () => Date.now() + offset });
const server = createApp(keyward).listen(serveMode ? Number(process.env.PORT ?? 0) : 0, "127.0.0.1");
await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const print = (line: string) => console.log(line);

print(bold(`keyward demo: the Express example task API on ${baseUrl} (memory store)`));
print("");
const client = createClient(baseUrl, print);
await runTour({ keyward, client, print, advance: (ms) => (offset += ms) });

if (client.mismatches.length > 0) {
  print(red(`${client.mismatches.length} of ${client.count} answers differed from what was expected:`));
  for (const line of client.mismatches) print(red(`  ${line}`));
  process.exitCode = 1;
} else {
  print(green(`${client.count} requests, every answer as expected.`));
}

if (serveMode && process.exitCode !== 1) {
  await serve({ keyward, baseUrl, print });
} else {
  server.close();
  await close();
}
