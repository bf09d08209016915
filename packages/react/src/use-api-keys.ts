/**
 * `useApiKeys()`: the caller's keys from the management API, with create, update, rotate,
 * revoke and delete. Changes that cannot fail for a reason the page does not know (enable,
 * disable, rename, expiry, revoke, delete) show at once and are rolled back if the API refuses
 * them; create and rotate wait for the server, which alone can make a token.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createKeysClient, type KeysClientOptions } from "./client.js";
import { ApiKeysError } from "./problem.js";
import type {
  ApiKeyRecord,
  CreateApiKeyInput,
  IssuedApiKey,
  RotateApiKeyInput,
  UpdateApiKeyInput,
} from "./types.js";

/** Options of {@link useApiKeys}. */
export interface UseApiKeysOptions extends KeysClientOptions {
  /** Keys per page (`limit`), 1 to the API's maximum. @defaultValue 20 */
  pageSize?: number;
}

/** What {@link useApiKeys} returns. */
export interface UseApiKeys {
  /** The keys loaded so far, newest first. */
  keys: readonly ApiKeyRecord[];
  /** True while the first page (or a refresh) is loading. */
  loading: boolean;
  /** True while `loadMore` runs. */
  loadingMore: boolean;
  /**
   * The last failure of a load or a change, until the next success. A 401 (`unauthorized`:
   * the session expired) is kept here too, so a page can ask the user to sign in again.
   */
  error: ApiKeysError | null;
  /** Whether another page can be loaded. */
  hasMore: boolean;
  loadMore(): Promise<void>;
  /** Loads the first page again. */
  refresh(): Promise<void>;
  /**
   * Creates a key. Resolves to the key and its token, which is kept nowhere else: show it once.
   * @throws ApiKeysError — its `fieldErrors` name each invalid field
   */
  create(input: CreateApiKeyInput): Promise<IssuedApiKey>;
  /** Changes name, enabled, expiry, scopes or metadata (shown at once, rolled back on failure). @throws ApiKeysError */
  update(id: string, patch: UpdateApiKeyInput): Promise<ApiKeyRecord>;
  /** Issues a new token; the old one works until `gracePeriod` ends. @throws ApiKeysError */
  rotate(id: string, input?: RotateApiKeyInput): Promise<IssuedApiKey>;
  /** Revokes a key for good (shown at once, rolled back on failure). @throws ApiKeysError */
  revoke(id: string): Promise<ApiKeyRecord>;
  /** Deletes a key (gone from the list at once, put back on failure). @throws ApiKeysError */
  delete(id: string): Promise<void>;
  /** Forgets `error`. */
  clearError(): void;
}

function asError(error: unknown): ApiKeysError {
  return error instanceof ApiKeysError ? error : new ApiKeysError(0, { detail: String(error) });
}

function applyPatch(key: ApiKeyRecord, patch: UpdateApiKeyInput): ApiKeyRecord {
  const next = { ...key };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.scopes !== undefined) next.scopes = [...patch.scopes];
  if (patch.expiresAt !== undefined) {
    next.expiresAt = patch.expiresAt instanceof Date ? patch.expiresAt.toISOString() : patch.expiresAt;
  }
  return next;
}

/**
 * The caller's API keys and what can be done with them.
 *
 * @example
 * const api = useApiKeys({ baseUrl: "/api" });
 * if (api.error?.unauthorized) return <SignIn />;
 * const { token } = await api.create({ name: "CI", scopes: ["reader"], expiresAt: null });
 */
export function useApiKeys(options: UseApiKeysOptions): UseApiKeys {
  const { baseUrl, fetch: fetchFn, pageSize = 20 } = options;
  const client = useMemo(
    () => createKeysClient({ baseUrl, ...(fetchFn ? { fetch: fetchFn } : {}) }),
    [baseUrl, fetchFn],
  );
  const [keys, setKeys] = useState<readonly ApiKeyRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiKeysError | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  // The latest list, for rollbacks that must not depend on a stale render.
  const current = useRef(keys);
  current.current = keys;
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await client.list({ limit: pageSize });
      if (mine !== generation.current) return;
      setKeys(page.items);
      setCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(asError(caught));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [client, pageSize]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const loadMore = useCallback(async () => {
    if (cursor === null) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const page = await client.list({ limit: pageSize, cursor });
      if (mine !== generation.current) return;
      setKeys((list) => [...list, ...page.items.filter((key) => !list.some((seen) => seen.id === key.id))]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setLoadingMore(false);
    }
  }, [client, cursor, pageSize]);

  const replace = useCallback((key: ApiKeyRecord) => {
    setKeys((list) => list.map((item) => (item.id === key.id ? key : item)));
  }, []);

  /** Runs a change: shows `optimistic` now, the server's answer after, the old list on failure. */
  const change = useCallback(
    async <T>(
      optimistic: ((list: readonly ApiKeyRecord[]) => readonly ApiKeyRecord[]) | null,
      run: () => Promise<T>,
    ) => {
      const before = current.current;
      if (optimistic) setKeys(optimistic);
      try {
        const result = await run();
        setError(null);
        return result;
      } catch (caught) {
        const failure = asError(caught);
        if (optimistic) setKeys(before);
        setError(failure);
        throw failure;
      }
    },
    [],
  );

  const create = useCallback(
    (input: CreateApiKeyInput) =>
      change(null, async () => {
        const issued = await client.create(input);
        // Only the key goes into state (the updater must not even capture the token).
        const { key } = issued;
        setKeys((list) => [key, ...list]);
        return issued;
      }),
    [change, client],
  );

  const update = useCallback(
    (id: string, patch: UpdateApiKeyInput) =>
      change(
        (list) => list.map((key) => (key.id === id ? applyPatch(key, patch) : key)),
        async () => {
          const key = await client.update(id, patch);
          replace(key);
          return key;
        },
      ),
    [change, client, replace],
  );

  const rotate = useCallback(
    (id: string, input: RotateApiKeyInput = {}) =>
      change(null, async () => {
        const issued = await client.rotate(id, input);
        const { key } = issued;
        replace(key);
        return issued;
      }),
    [change, client, replace],
  );

  const revoke = useCallback(
    (id: string) =>
      change(
        (list) => list.map((key) => (key.id === id ? { ...key, revokedAt: new Date().toISOString() } : key)),
        async () => {
          const key = await client.revoke(id);
          replace(key);
          return key;
        },
      ),
    [change, client, replace],
  );

  const remove = useCallback(
    (id: string) =>
      change(
        (list) => list.filter((key) => key.id !== id),
        () => client.delete(id),
      ),
    [change, client],
  );

  const clearError = useCallback(() => setError(null), []);

  return {
    keys,
    loading,
    loadingMore,
    error,
    hasMore: cursor !== null,
    loadMore,
    refresh,
    create,
    update,
    rotate,
    revoke,
    delete: remove,
    clearError,
  };
}
