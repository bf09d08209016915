/**
 * `keysRouter()`: the management API as an Express router. It only translates: the request
 * into a `KeysApiRequest`, the core's `HttpResponse` back onto `res`. Every decision (routes,
 * validation, isolation, status codes) is made by `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type HttpResponse, type KeysApiOptions, type Keyward } from "@keyward/core";
import { checkOptionNames, KEYS_API_OPTION_NAMES } from "@keyward/core/http";
import express, { type NextFunction, type Request, type Response, type Router } from "express";

/** Options of {@link keysRouter}: those of `createKeysApi()`, with `owner` typed for Express. */
export interface KeysRouterOptions extends Omit<KeysApiOptions, "owner"> {
  /**
   * Who is calling: the owner id whose keys this request may manage, or null when the caller
   * is not signed in (401).
   *
   * @example
   * owner: (req) => req.session?.orgId ?? null
   */
  owner?: (req: Request) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Largest request body accepted (a body-parser size such as `"100kb"`).
   * @defaultValue "100kb"
   */
  bodyLimit?: string | number;
}

function send(res: Response, response: HttpResponse): void {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body === "" ? undefined : response.body);
}

/**
 * The management API (`/keys`, `/keys/:id`, `/keys/:id/rotate`, `/keys/:id/revoke`,
 * `/openapi.json`) as an Express router, for Express 5 and 4. It reads JSON bodies itself (a
 * body your app already parsed with `express.json()` is used as is).
 *
 * @example
 * app.use("/api", keysRouter(keyward, {
 *   owner: (req) => req.session?.orgId ?? null,
 *   allowedScopes: ["project:read", "task:*"],
 * }));
 * // POST /api/keys, GET /api/keys, GET /api/openapi.json, …
 */
export function keysRouter(keyward: Keyward, options: KeysRouterOptions): Router {
  checkOptionNames(options, [...KEYS_API_OPTION_NAMES, "bodyLimit"], "keysRouter()");
  const { bodyLimit = "100kb", ...apiOptions } = options;
  const api = createKeysApi(keyward, apiOptions as KeysApiOptions);
  const router = express.Router();
  // Every body arrives as text and core parses it, so malformed JSON and wrong content types
  // get the same problem+json answer as in the other adapters.
  router.use(express.text({ type: () => true, limit: bodyLimit }));
  router.use((req: Request, res: Response, next: NextFunction) => {
    const queryStart = req.url.indexOf("?");
    api({
      method: req.method,
      path: req.path,
      query: new URLSearchParams(queryStart === -1 ? "" : req.url.slice(queryStart + 1)),
      headers: req.headers,
      ...(typeof req.body === "string" ? { rawBody: req.body } : { body: req.body }),
      raw: req,
    }).then((response) => send(res, response), next);
  });
  return router;
}
