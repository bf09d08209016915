/**
 * `pnpm demo --serve`: keep the tour's server running and hand the reader a fresh key with
 * ready-to-paste curl lines. This is the one place a whole token is printed: the demo minted
 * it for the reader, and this is its only showing.
 */
import type { ExampleKeyward } from "../../examples/express/src/keyward.js";
import { bold, cyan, dim } from "./style.js";

interface ServeContext {
  keyward: ExampleKeyward;
  baseUrl: string;
  print(line: string): void;
}

/** Mints a writer key, prints curl lines, and resolves never (Ctrl-C ends the process). */
export async function serve({ keyward, baseUrl, print }: ServeContext): Promise<void> {
  const { token } = await keyward.create({ name: "Your key", ownerId: "org_you", scopes: ["writer"] });
  print("");
  print(bold(`Serving on ${baseUrl}. Your key (shown once; the server keeps only its hash):`));
  print("");
  print(cyan(`  export KEY=${token}`));
  print("");
  print(`  curl -i -H "Authorization: Bearer $KEY" ${baseUrl}/v1/tasks`);
  print(
    `  curl -i -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"title":"Try keyward"}' ${baseUrl}/v1/tasks`,
  );
  print(
    `  curl -i -X DELETE -H "Authorization: Bearer $KEY" ${baseUrl}/v1/tasks/task_2   # 403: needs task:delete OR admin:*`,
  );
  print(`  curl -i ${baseUrl}/v1/tasks   # 401: no key`);
  print(`  curl -s -H 'X-Demo-Owner: org_you' ${baseUrl}/api/keys   # the management API`);
  print("");
  print(dim("Ctrl-C stops the server."));
  await new Promise<never>(() => {});
}
