/**
 * The management API over `fetch`: one function per endpoint, JSON in, JSON out, every failure
 * an {@link ApiKeysError}. Cookies go along (`credentials: "same-origin"`), since the host app's
 * session says who the caller is.
 */
import { ApiKeysError, errorFrom } from "./problem.js";
import type {
  ApiKeyRecord,
  CreateApiKeyInput,
  IssuedApiKey,
  RotateApiKeyInput,
  ScopeOption,
  UpdateApiKeyInput,
} from "./types.js";

/** Where the management API is and how to reach it. */
export interface KeysClientOptions {
  /** The mount point of the management API: `"/api"` when `GET /api/keys` lists keys. */
  baseUrl: string;
  /** A `fetch` to use instead of the global one (add headers, run in tests). @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

/** One page of `GET /keys`. */
export interface KeyPage {
  items: ApiKeyRecord[];
  nextCursor: string | null;
}

/** The calls {@link createKeysClient} offers. */
export interface KeysClient {
  list(query: { limit: number; cursor?: string | null }): Promise<KeyPage>;
  scopes(): Promise<ScopeOption[]>;
  create(input: CreateApiKeyInput): Promise<IssuedApiKey>;
  update(id: string, patch: UpdateApiKeyInput): Promise<ApiKeyRecord>;
  rotate(id: string, input: RotateApiKeyInput): Promise<IssuedApiKey>;
  revoke(id: string): Promise<ApiKeyRecord>;
  delete(id: string): Promise<void>;
}

function dateField(value: Date | string | null | undefined): string | null | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

/** A client for one management API. */
export function createKeysClient({ baseUrl, fetch: fetchFn }: KeysClientOptions): KeysClient {
  if (typeof baseUrl !== "string")
    throw new TypeError('keyward: option "baseUrl" must be a string like "/api"');
  const base = baseUrl.replace(/\/+$/, "");

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const doFetch = fetchFn ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        credentials: "same-origin",
        headers:
          body === undefined
            ? { accept: "application/json" }
            : { accept: "application/json", "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiKeysError(0, {
        detail: "The server could not be reached. Check your connection and try again.",
      });
    }
    if (!response.ok) throw await errorFrom(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  const item = (id: string) => `/keys/${encodeURIComponent(id)}`;
  return {
    list: ({ limit, cursor }) =>
      call("GET", `/keys?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    scopes: async () => (await call<{ items: ScopeOption[] }>("GET", "/scopes")).items,
    create: (input) => {
      const { expiresAt, ...rest } = input;
      return call(
        "POST",
        "/keys",
        expiresAt === undefined ? rest : { ...rest, expiresAt: dateField(expiresAt) },
      );
    },
    update: (id, patch) => {
      const { expiresAt, ...rest } = patch;
      return call(
        "PATCH",
        item(id),
        expiresAt === undefined ? rest : { ...rest, expiresAt: dateField(expiresAt) },
      );
    },
    rotate: (id, input) => call("POST", `${item(id)}/rotate`, input),
    revoke: (id) => call("POST", `${item(id)}/revoke`),
    delete: (id) => call("DELETE", item(id)),
  };
}
