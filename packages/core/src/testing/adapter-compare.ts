/**
 * Sending one fixed list of requests to an adapter and recording what keyward decides (status,
 * the keyward headers, the body), so that a test can assert two adapters answer byte for byte
 * the same.
 */
import type { ConformanceFixture, ConformanceKeyName, StoreMode } from "./adapter-fixture.js";
import type { ConformanceApp } from "./adapter-routes.js";

/** One request of the comparison list. */
export interface ConformanceRequest {
  /** Which app receives it. */
  readonly app: "main" | "unhealthy";
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The unhealthy store's mode while this request runs. @defaultValue "ok" */
  readonly store?: StoreMode;
}

/** The response headers keyward decides; everything else (Date, Connection…) is the server's. */
export const KEYWARD_HEADERS: readonly string[] = Object.freeze([
  "content-type",
  "cache-control",
  "www-authenticate",
  "ratelimit-policy",
  "ratelimit",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "retry-after",
]);

/** What an adapter answered to one request. */
export interface RecordedResponse {
  readonly request: string;
  readonly status: number;
  /** Only {@link KEYWARD_HEADERS}, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The comparison list: every row of the HTTP table (401 missing / invalid / expired / revoked /
 * disabled, 400, 403, 429 rate limited and quota spent, 503 thrown and hung), successes with
 * and without rate-limit headers, optional mode, a nested router and fail-open.
 */
export function conformanceRequests(
  tokens: Readonly<Record<ConformanceKeyName | "healthy", string>>,
): ConformanceRequest[] {
  const bearer = (name: ConformanceKeyName | "healthy") => ({ authorization: `Bearer ${tokens[name]}` });
  const main = (path: string, headers?: Record<string, string>): ConformanceRequest => ({
    app: "main",
    path,
    headers,
  });
  return [
    main("/open"),
    main("/tasks"),
    main("/tasks", { authorization: "Basic dXNlcjpwYXNz" }),
    main("/tasks", { authorization: "Bearer sk_test_malformed" }),
    main("/tasks", bearer("unknown")),
    main("/tasks", bearer("expired")),
    main("/tasks", bearer("revoked")),
    main("/tasks", bearer("disabled")),
    main("/tasks", { ...bearer("reader"), "x-api-key": tokens.reader }),
    main("/tasks", { authorization: `bEaReR   ${tokens.reader}  ` }),
    main("/tasks", { "x-api-key": tokens.reader }),
    main("/tasks", bearer("admin")),
    main("/admin", bearer("admin")),
    main("/admin", bearer("reader")),
    main("/any", bearer("reader")),
    main("/optional"),
    main("/optional", bearer("unknown")),
    main("/optional", bearer("writer")),
    main("/limited", bearer("burst")),
    main("/limited", bearer("burst")),
    main("/limited", bearer("burst")),
    main("/limited-draft7", bearer("burst7")),
    main("/tasks", bearer("quota")),
    main("/tasks", bearer("quota")),
    main("/custom-header", { "x-custom-key": tokens.reader }),
    main("/custom-header", { "x-api-key": tokens.reader }),
    main("/query?api_key=" + tokens.reader),
    main("/tasks?api_key=" + tokens.reader),
    main("/projects/list", bearer("project")),
    main("/projects/edit", bearer("project")),
    main("/projects/edit", bearer("projectWriter")),
    main("/projects/edit", bearer("reader")),
    { app: "unhealthy", path: "/tasks", headers: bearer("healthy"), store: "throw" },
    { app: "unhealthy", path: "/tasks", headers: bearer("healthy"), store: "hang" },
    { app: "unhealthy", path: "/failopen", headers: bearer("healthy"), store: "throw" },
    { app: "unhealthy", path: "/failopen", store: "throw" },
  ];
}

/**
 * Sends `requests` one after the other to `apps` and records the answers. It first moves the
 * fixture's clock forward by one hour, so that every run starts from equivalent counter state
 * (every window and quota interval of the fixture divides an hour) and several adapters can
 * be recorded against one fixture.
 */
export async function recordResponses(
  fixture: ConformanceFixture,
  apps: { main: ConformanceApp; unhealthy: ConformanceApp },
  requests: readonly ConformanceRequest[] = conformanceRequests(fixture.tokens),
): Promise<RecordedResponse[]> {
  fixture.advance(3_600_000);
  const recorded: RecordedResponse[] = [];
  for (const request of requests) {
    fixture.storeMode(request.store ?? "ok");
    try {
      const response = await fetch(apps[request.app].url + request.path, { headers: request.headers });
      const headers: Record<string, string> = {};
      for (const name of KEYWARD_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const label = `${request.app} GET ${request.path.replace(/api_key=[^&]*/, "api_key=…")}`;
      recorded.push({ request: label, status: response.status, headers, body: await response.text() });
    } finally {
      fixture.storeMode("ok");
    }
  }
  return recorded;
}
