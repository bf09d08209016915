/**
 * The management API's edges, sent over raw HTTP (exact headers, declared or chunked bodies,
 * broken percent-encoding) and recorded, so that a test can assert every adapter answers them
 * itself, byte for byte the same: 413 past `bodyLimit`, 415 for compressed or non-UTF-8 or
 * non-JSON bodies, 400 for bad URLs and bytes that are not UTF-8 — problem+json everywhere,
 * never the framework's HTML or own JSON.
 */
import { request as httpRequest } from "node:http";

/** One edge request; `path` is relative to the API's mount point. */
export interface KeysApiEdgeRequest {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent with a Content-Length unless `chunked`. */
  readonly body?: Uint8Array;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  readonly chunked?: boolean;
  /** Status every adapter must answer. */
  readonly status: number;
}

/** Response headers the management API decides. */
const KEYS_API_HEADERS = ["content-type", "cache-control", "accept-encoding", "allow"] as const;

/** What an adapter answered to one edge request. */
export interface RecordedEdge {
  readonly request: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/**
 * The edge list, for an API mounted with the default `bodyLimit` (100 KiB) and an owner read
 * from `ownerHeader`.
 */
export function keysApiEdgeRequests(ownerHeader: string): KeysApiEdgeRequest[] {
  const owner = { [ownerHeader]: "org_edges" };
  const json = { ...owner, "content-type": "application/json" };
  const big = text(JSON.stringify({ name: "x".repeat(150 * 1024) }));
  return [
    {
      label: "Content-Length over the limit",
      method: "POST",
      path: "/keys",
      headers: json,
      body: big,
      status: 413,
    },
    {
      label: "chunked body over the limit",
      method: "POST",
      path: "/keys",
      headers: json,
      body: big,
      chunked: true,
      status: 413,
    },
    {
      label: "charset=utf-16",
      method: "POST",
      path: "/keys",
      headers: { ...owner, "content-type": "application/json; charset=utf-16" },
      body: new Uint8Array([0x7b, 0x00, 0x7d, 0x00]),
      status: 415,
    },
    {
      label: "charset=iso-8859-1",
      method: "POST",
      path: "/keys",
      headers: { ...owner, "content-type": "application/json; charset=iso-8859-1" },
      body: text("{}"),
      status: 415,
    },
    {
      label: "Content-Encoding: gzip that is not gzip",
      method: "POST",
      path: "/keys",
      headers: { ...json, "content-encoding": "gzip" },
      body: text('{"name":"x"}'),
      status: 415,
    },
    {
      label: "text/plain",
      method: "POST",
      path: "/keys",
      headers: { ...owner, "content-type": "text/plain" },
      body: text('{"name":"x"}'),
      status: 415,
    },
    {
      label: "no Content-Type",
      method: "POST",
      path: "/keys",
      headers: owner,
      body: text('{"name":"x"}'),
      status: 415,
    },
    {
      label: "bytes that are not UTF-8",
      method: "POST",
      path: "/keys",
      headers: json,
      body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      status: 400,
    },
    {
      label: 'charset="UTF-8" is JSON (then invalid)',
      method: "POST",
      path: "/keys",
      headers: { ...owner, "content-type": 'application/json; charset="UTF-8"' },
      body: text("{"),
      status: 400,
    },
    { label: "GET /keys/%ZZ", method: "GET", path: "/keys/%ZZ", headers: owner, status: 400 },
    { label: "truncated UTF-8 escape", method: "GET", path: "/keys/%E0%A4", headers: owner, status: 400 },
    { label: "POST /keys/%ZZ/rotate", method: "POST", path: "/keys/%ZZ/rotate", headers: json, status: 400 },
    {
      label: "signed out, big body",
      method: "POST",
      path: "/keys",
      headers: { "content-type": "application/json" },
      body: big,
      status: 401,
    },
  ];
}

/** Sends one request exactly as described and reads the whole answer. */
export function sendEdge(baseUrl: string, edge: KeysApiEdgeRequest): Promise<RecordedEdge> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...edge.headers };
    if (edge.body !== undefined && !edge.chunked) headers["content-length"] = String(edge.body.byteLength);
    const req = httpRequest(
      `${baseUrl}${edge.path}`,
      { method: edge.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const recorded: Record<string, string> = {};
          for (const name of KEYS_API_HEADERS) {
            const value = res.headers[name];
            if (typeof value === "string") recorded[name] = value;
          }
          resolve({
            request: `${edge.method} ${edge.path} (${edge.label})`,
            status: res.statusCode ?? 0,
            headers: recorded,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    // The server may answer and close before the whole body is sent: that is not a failure.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (edge.body !== undefined) req.write(edge.body);
    req.end();
  });
}

/** Sends every edge request in turn and records the answers. */
export async function recordKeysApiEdges(
  baseUrl: string,
  requests: readonly KeysApiEdgeRequest[],
): Promise<RecordedEdge[]> {
  const recorded: RecordedEdge[] = [];
  for (const edge of requests) recorded.push(await sendEdge(baseUrl, edge));
  return recorded;
}

/**
 * Streams up to `totalBytes` of JSON-looking bytes (chunked, 64 KiB at a time, honouring
 * backpressure) to `POST <baseUrl>/keys` and resolves with the answer as soon as it arrives,
 * plus how many bytes were written by then. A server that buffers the body before answering
 * makes this take all of `totalBytes`.
 */
export function streamHugeBody(
  baseUrl: string,
  headers: Readonly<Record<string, string>>,
  totalBytes: number,
): Promise<RecordedEdge & { sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      `${baseUrl}/keys`,
      { method: "POST", headers: { ...headers, "content-type": "application/json" }, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          req.destroy();
          resolve({
            request: "POST /keys (streamed)",
            status: res.statusCode ?? 0,
            headers: { "content-type": String(res.headers["content-type"]) },
            body: Buffer.concat(chunks).toString("utf8"),
            sentBytes: sent,
          });
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    // "[" then spaces: JSON that never ends, so only the byte count can refuse it.
    const spaces = Buffer.alloc(64 * 1024, 0x20);
    req.write("[");
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += spaces.byteLength;
        if (!req.write(spaces)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}
