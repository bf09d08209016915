/**
 * The steps of `pnpm demo`: mint keys, then call the example task API the way an integrator
 * would, once per behaviour worth seeing (auth, scopes, rate limits, rotation, revocation).
 * Every request states the status it expects; the client records any difference.
 */
import type { ExampleKeyward } from "../../examples/express/src/keyward.js";
import type { Client } from "./client.js";
import { bold, dim } from "./style.js";
import { shortToken } from "./tokens.js";

interface TourContext {
  keyward: ExampleKeyward;
  client: Client;
  print(line: string): void;
  /** Moves keyward's clock forward (the grace period of a rotation ends without waiting). */
  advance(ms: number): void;
}

const OWNER = "org_demo";
const GRACE_MINUTES = 10;

function section(print: (line: string) => void, title: string, note: string): void {
  print(bold(`── ${title} `.padEnd(72, "─")));
  print(dim(note));
  print("");
}

/** Changes the last character: a typo the CRC32 checksum catches before any store lookup. */
function typo(token: string): string {
  const last = token.at(-1);
  return token.slice(0, -1) + (last === "A" ? "B" : "A");
}

export async function runTour({ keyward, client, print, advance }: TourContext): Promise<void> {
  section(print, "1. Mint keys", "In-process with keyward.create(), and over HTTP with the management API.");
  const reader = await keyward.create({ name: "Dashboard", ownerId: OWNER, scopes: ["reader"] });
  print(`  keyward.create({ scopes: ["reader"] })  → ${reader.key.id}  ${shortToken(reader.token)}`);
  const searcher = await keyward.create({
    name: "Search bot",
    ownerId: OWNER,
    scopes: ["reader"],
    rateLimit: [
      { name: "default", limit: 100, window: "1m" },
      { name: "search", limit: 2, window: "1m" },
    ],
  });
  print(
    `  keyward.create({ scopes: ["reader"], rateLimit: [… { name: "search", limit: 2, window: "1m" }] })` +
      `  → ${searcher.key.id}  ${shortToken(searcher.token)}`,
  );
  print("");
  const created = await client.send({
    method: "POST",
    path: "/api/keys",
    owner: OWNER,
    body: { name: "Warehouse sync", scopes: ["writer"] },
    expect: 201,
  });
  const writer = { token: String(created.json?.token), id: String(created.json?.key?.id) };

  section(
    print,
    "2. A public route",
    "Optional mode: no key is fine here (a bad key would still be rejected).",
  );
  await client.send({ method: "GET", path: "/v1/status", expect: 200 });

  section(
    print,
    "3. Authentication",
    "No key, a good key, and a key with a typo (its checksum no longer matches).",
  );
  await client.send({ method: "GET", path: "/v1/tasks", expect: 401 });
  await client.send({ method: "GET", path: "/v1/tasks", token: reader.token, expect: 200 });
  await client.send({ method: "GET", path: "/v1/tasks", token: typo(reader.token), expect: 401 });

  section(
    print,
    "4. Scopes",
    'POST /v1/tasks needs task:write: the "reader" preset lacks it, "writer" has it.',
  );
  await client.send({
    method: "POST",
    path: "/v1/tasks",
    token: reader.token,
    body: { title: "Restock" },
    expect: 403,
  });
  await client.send({
    method: "POST",
    path: "/v1/tasks",
    token: writer.token,
    body: { title: "Restock" },
    expect: 201,
  });

  section(
    print,
    "5. Rate limits",
    'The search route consumes the named limit "search": 2 per minute for this key.',
  );
  for (const expect of [200, 200, 429]) {
    await client.send({ method: "GET", path: "/v1/tasks/search?q=restock", token: searcher.token, expect });
  }

  section(
    print,
    "6. Rotation",
    `A new token for the same key; the old one keeps working for a ${GRACE_MINUTES}-minute grace period.`,
  );
  const rotated = await client.send({
    method: "POST",
    path: `/api/keys/${writer.id}/rotate`,
    owner: OWNER,
    body: { gracePeriod: `${GRACE_MINUTES}m` },
    expect: 200,
  });
  const newToken = String(rotated.json?.token);
  await client.send({ method: "GET", path: "/v1/tasks", token: writer.token, expect: 200 });
  await client.send({ method: "GET", path: "/v1/tasks", token: newToken, expect: 200 });
  advance(GRACE_MINUTES * 60_000 + 1_000);
  print(dim(`  … ${GRACE_MINUTES} minutes later (keyward's clock moved forward) …`));
  print("");
  await client.send({ method: "GET", path: "/v1/tasks", token: writer.token, expect: 401 });
  await client.send({ method: "GET", path: "/v1/tasks", token: newToken, expect: 200 });

  section(print, "7. Revocation", "Revoked through the management API: the key stops working at once.");
  await client.send({ method: "POST", path: `/api/keys/${reader.key.id}/revoke`, owner: OWNER, expect: 200 });
  await client.send({ method: "GET", path: "/v1/tasks", token: reader.token, expect: 401 });
}
