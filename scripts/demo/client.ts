/**
 * The tour's HTTP client: sends one real request with fetch, prints it and the answer (status,
 * the headers that matter for API-key auth, a short body), and checks the status against the
 * one the step expects, so the tour fails loudly if keyward ever answers differently.
 */
import { STATUS_CODES } from "node:http";
import { bold, cyan, dim, red, statusColour } from "./style.js";
import { shortenTokens, shortToken } from "./tokens.js";

/** One request of the tour. */
export interface Call {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `X-Demo-Owner` (who is managing keys through /api). */
  owner?: string;
  /** JSON body. */
  body?: unknown;
  /** The status keyward should answer. */
  expect: number;
}

/** What came back. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the tour reads a few fields of known JSON bodies
  json: any;
}

/** Response headers worth showing, in this order. */
const SHOWN = ["content-type", "www-authenticate", "ratelimit-policy", "ratelimit", "retry-after"];
const BODY_LIMIT = 240;

export interface Client {
  send(call: Call): Promise<Answer>;
  /** Requests whose status differed from the expected one. */
  readonly mismatches: readonly string[];
  /** Requests sent so far. */
  readonly count: number;
}

/** A client for the app at `baseUrl` that prints through `print`. */
export function createClient(baseUrl: string, print: (line: string) => void): Client {
  const mismatches: string[] = [];
  let count = 0;
  return {
    get mismatches() {
      return mismatches;
    },
    get count() {
      return count;
    },
    async send(call) {
      count++;
      const headers: Record<string, string> = {};
      if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
      if (call.owner !== undefined) headers["x-demo-owner"] = call.owner;
      if (call.body !== undefined) headers["content-type"] = "application/json";

      print(`  ${cyan("→")} ${bold(`${call.method} ${call.path}`)}`);
      if (call.token !== undefined) print(dim(`    Authorization: Bearer ${shortToken(call.token)}`));
      if (call.owner !== undefined) print(dim(`    X-Demo-Owner: ${call.owner}`));
      if (call.body !== undefined) print(dim(`    ${JSON.stringify(call.body)}`));

      const response = await fetch(baseUrl + call.path, {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
      const text = await response.text();
      const paint = statusColour(response.status);
      const verdict = response.status === call.expect ? "" : red(`  ✗ expected ${call.expect}`);
      print(
        `  ${paint("←")} ${paint(bold(`${response.status} ${STATUS_CODES[response.status] ?? ""}`))}${verdict}`,
      );
      for (const name of SHOWN) {
        if (name === "content-type" && response.ok) continue;
        const value = response.headers.get(name);
        if (value !== null) print(`    ${displayName(name)}: ${value}`);
      }
      if (text !== "") print(dim(`    ${clip(shortenTokens(text))}`));
      print("");
      if (response.status !== call.expect) {
        mismatches.push(`${call.method} ${call.path}: ${response.status}, expected ${call.expect}`);
      }
      return { status: response.status, headers: response.headers, json: parse(text) };
    },
  };
}

function displayName(name: string): string {
  if (name === "www-authenticate") return "WWW-Authenticate";
  if (name === "ratelimit-policy") return "RateLimit-Policy";
  if (name === "ratelimit") return "RateLimit";
  return name.replace(/(^|-)[a-z]/g, (letter) => letter.toUpperCase());
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length <= BODY_LIMIT ? line : `${line.slice(0, BODY_LIMIT - 1)}…`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
