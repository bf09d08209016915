/**
 * A real webhook receiver on loopback (node:http, 127.0.0.1, port 0) that verifies every request
 * independently with the `standardwebhooks` package, records what arrived, and answers what the
 * test tells it to. Also a manual clock shared by several keyward instances.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** True when standardwebhooks verified the signature. */
  verified: boolean;
  /** Answered status. */
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Verified requests answered 2xx, in order. */
  delivered(): Received[];
  /** Decides the status of each request (default 204); may wait before answering. */
  answer: (request: Received) => number | Promise<number>;
  /** Most requests in flight at once for one webhook-id, over the receiver's life. */
  maxConcurrentPerId: number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Starts a receiver verifying with `secret`, on `port` (default: any free one). */
export async function startReceiver(secret = SECRET, port = 0): Promise<Receiver> {
  const verifier = new Webhook(secret);
  const inFlight = new Map<string, number>();
  const receiver: Receiver = {
    url: "",
    received: [],
    delivered: () => receiver.received.filter((r) => r.verified && r.status >= 200 && r.status < 300),
    answer: () => 204,
    maxConcurrentPerId: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const header = (name: string) => String(request.headers[name] ?? "");
    const id = header("webhook-id");
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": header("webhook-timestamp"),
      "webhook-signature": header("webhook-signature"),
    };
    let verified = false;
    try {
      verifier.verify(body, headers);
      verified = true;
    } catch {
      verified = false;
    }
    const now = (inFlight.get(id) ?? 0) + 1;
    inFlight.set(id, now);
    receiver.maxConcurrentPerId = Math.max(receiver.maxConcurrentPerId, now);
    const record: Received = {
      id,
      timestamp: headers["webhook-timestamp"],
      signature: headers["webhook-signature"],
      body,
      payload: JSON.parse(body),
      verified,
      status: 0,
    };
    try {
      record.status = await receiver.answer(record);
    } finally {
      inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
    }
    receiver.received.push(record);
    response.writeHead(record.status).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A clock tests move by hand, shared by several instances. */
export function manualClock(start = Date.UTC(2030, 0, 1)): { now: () => number; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Polls `check` until it is true (real time), failing after `within` ms. */
export async function eventually(check: () => boolean | Promise<boolean>, within = 5_000): Promise<void> {
  const until = Date.now() + within;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fast delivery settings for tests: ms polling and retries. */
export const FAST_EVENTS = { poll: "20ms" } as const;
export const FAST_RETRY = { initialDelay: "20ms", maxDelay: "50ms", attempts: 3 } as const;
