/** `useScopeOptions()`: the scopes and presets a caller may grant, from the API's `GET /scopes`. */
import { useEffect, useMemo, useState } from "react";
import { createKeysClient, type KeysClientOptions } from "./client.js";
import { ApiKeysError } from "./problem.js";
import type { ScopeOption } from "./types.js";

/** What {@link useScopeOptions} returns. */
export interface UseScopeOptions {
  scopes: readonly ScopeOption[];
  loading: boolean;
  error: ApiKeysError | null;
}

/**
 * Loads the scope catalogue once per `baseUrl`.
 *
 * @example
 * const { scopes } = useScopeOptions({ baseUrl: "/api" });
 */
export function useScopeOptions({ baseUrl, fetch: fetchFn }: KeysClientOptions): UseScopeOptions {
  const client = useMemo(
    () => createKeysClient({ baseUrl, ...(fetchFn ? { fetch: fetchFn } : {}) }),
    [baseUrl, fetchFn],
  );
  const [state, setState] = useState<UseScopeOptions>({ scopes: [], loading: true, error: null });
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    client.scopes().then(
      (scopes) => live && setState({ scopes, loading: false, error: null }),
      (error: unknown) =>
        live &&
        setState({
          scopes: [],
          loading: false,
          error: error instanceof ApiKeysError ? error : new ApiKeysError(0, { detail: String(error) }),
        }),
    );
    return () => {
      live = false;
    };
  }, [client]);
  return state;
}
