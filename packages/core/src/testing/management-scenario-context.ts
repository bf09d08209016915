/**
 * The shared state and request helpers of the management-API scenario: one keyward instance on
 * a memory store, the adapter's server, a transcript of every response body (to search it for
 * tokens) and the served OpenAPI document's schema checker.
 */
import type { KeysApiOptions } from "../management/index.js";
import { createKeyward } from "../service/index.js";
import { memoryStore } from "../store/memory/index.js";
import type { Keyward, KeywardEvent } from "../types.js";
import { loadOpenApiTools, type SchemaCheck } from "./management-schema.js";

export interface ScenarioAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatch(expected: RegExp): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toBeGreaterThan(expected: number): void;
  toHaveLength(expected: number): void;
  toHaveProperty(name: string): void;
  readonly not: ScenarioAssertion;
}

/** `{ describe, it, expect, beforeAll, afterAll }` from your test runner. */
export interface ScenarioRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  expect(actual: unknown, message?: string): ScenarioAssertion;
  beforeAll(body: () => Promise<void> | void, timeout?: number): void;
  afterAll(body: () => Promise<void> | void, timeout?: number): void;
}

/** A running server; `baseUrl` includes the mount prefix (`http://127.0.0.1:1234/api`). */
export interface KeysServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Mounts the API with these options, plus an `owner` callback that returns the value of the
 * `ownerHeader` request header (or null without it).
 */
export type StartKeysServer = (
  keyward: Keyward,
  options: Omit<KeysApiOptions, "owner" | "auth">,
  ownerHeader: string,
) => Promise<KeysServer>;

export const OWNER_HEADER = "x-test-owner";

/** The options every adapter is run with. */
export const SCENARIO_OPTIONS = {
  allowedScopes: ["project:read", "task:*", "reader"],
  defaults: { metadata: { createdFrom: "api" } },
  maxExpiresIn: "400d",
  editableLimits: true,
  maxPageSize: 50,
} satisfies Omit<KeysApiOptions, "owner" | "auth">;

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the served OpenAPI schemas instead
export type Loose = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Loose;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  query?: string;
}

/** The scenario's state (filled in `beforeAll`) and helpers, shared by its case files. */
export interface Scenario {
  keyward: Keyward;
  server: KeysServer;
  check: SchemaCheck;
  tools: Awaited<ReturnType<typeof loadOpenApiTools>>;
  readonly events: KeywardEvent[];
  /** Every response body the scenario saw. */
  readonly transcript: { label: string; text: string }[];
  /** Each token issued, with the transcript index of the response that issued it. */
  readonly issued: Map<string, number>;
  call(owner: string | null, method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Records a token and where it was issued, so later responses can be searched for it. */
  remember(reply: Reply): string;
  create(owner: string, body?: Record<string, unknown>): Promise<{ token: string; key: Loose }>;
  listAll(owner: string, query?: string, pageSize?: number): Promise<Loose[]>;
  expectProblem(reply: Reply, status: number, code: string): void;
}

/** Builds the scenario and registers its `beforeAll` (start the server) and `afterAll` (stop it). */
export function createScenario(t: ScenarioRunner, start: StartKeysServer): Scenario {
  const { expect, beforeAll, afterAll } = t;
  const s = {
    events: [] as KeywardEvent[],
    transcript: [] as { label: string; text: string }[],
    issued: new Map<string, number>(),
  } as Scenario;
  const { transcript, issued } = s;
  let check: SchemaCheck;

  async function call(
    owner: string | null,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (owner !== null) headers[OWNER_HEADER] = owner;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    const url = `${s.server.baseUrl}${path}${options.query === undefined ? "" : `?${options.query}`}`;
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    transcript.push({ label: `${method} ${path}`, text });
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Records a token and where it was issued, so later responses can be searched for it. */
  function remember(reply: Reply): string {
    const token = reply.json.token as string;
    issued.set(token, transcript.length - 1);
    return token;
  }

  async function create(
    owner: string,
    body: Record<string, unknown> = {},
  ): Promise<{ token: string; key: Loose }> {
    const reply = await call(owner, "POST", "/keys", { body });
    expect(reply.status, reply.text).toBe(201);
    return { token: remember(reply), key: reply.json.key };
  }

  async function listAll(owner: string, query = "", pageSize = 7): Promise<Loose[]> {
    const items: Loose[] = [];
    let cursor: string | null = null;
    do {
      const q = `limit=${pageSize}${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const reply = await call(owner, "GET", "/keys", { query: q });
      expect(reply.status, reply.text).toBe(200);
      items.push(...reply.json.items);
      cursor = reply.json.nextCursor;
    } while (cursor !== null);
    return items;
  }

  function expectProblem(reply: Reply, status: number, code: string) {
    expect(reply.status, reply.text).toBe(status);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ status, code });
    expect(check("Problem", reply.json)).toEqual([]);
  }

  beforeAll(async () => {
    s.tools = await loadOpenApiTools();
    s.keyward = createKeyward({
      store: memoryStore(),
      prefix: "sk_test",
      scopes: { reader: ["project:read", "task:read"] },
      cache: false,
      onEvent: (event) => {
        s.events.push(event);
      },
    });
    s.server = await start(s.keyward, SCENARIO_OPTIONS, OWNER_HEADER);
    const reply = await call(null, "GET", "/openapi.json");
    expect(reply.status).toBe(200);
    check = s.tools.schemaChecker(reply.json);
    s.check = check;
  });

  afterAll(async () => {
    await s.server?.close();
    await s.keyward?.close();
  });
  return Object.assign(s, { call, remember, create, listAll, expectProblem });
}
