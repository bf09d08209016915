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
}

function send(req: Request, res: Response, response: HttpResponse): void {
  // A body refused as too large is not read to its end: close the connection, as Fastify does.
  if (response.status === 413 && !req.complete) res.setHeader("Connection", "close");
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body === "" ? undefined : response.body);
}

/**
 * The management API (`/keys`, `/keys/:id`, `/keys/:id/rotate`, `/keys/:id/revoke`,
 * `/openapi.json`) as an Express router, for Express 5 and 4. It reads request bodies itself,
 * streaming and counting bytes against `bodyLimit` (default 100 KiB), so its 413 and 415
 * answers are problem+json like every other adapter's. Mount it before a global
 * `express.json()`: a body that parser already read is used as is, and its limits and errors
 * (HTML 413, 400) are Express's, not keyward's.
 *
 * @example
 * app.use("/api", keysRouter(keyward, {
 *   owner: (req) => req.session?.orgId ?? null,
 *   allowedScopes: ["project:read", "task:*"],
 * }));
 * // POST /api/keys, GET /api/keys, GET /api/openapi.json, …
 */
export function keysRouter(keyward: Keyward, options: KeysRouterOptions): Router {
  checkOptionNames(options, KEYS_API_OPTION_NAMES, "keysRouter()");
  const api = createKeysApi(keyward, options as KeysApiOptions);
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const queryStart = req.url.indexOf("?");
    api({
      method: req.method,
      path: req.path,
      query: new URLSearchParams(queryStart === -1 ? "" : req.url.slice(queryStart + 1)),
      headers: req.headersDistinct ?? req.headers,
      // Core reads the stream itself (size, media type, UTF-8, JSON); a body a global parser
      // already consumed is handed over as it parsed it.
      ...(req.readableEnded && req.body !== undefined
        ? typeof req.body === "string"
          ? { rawBody: req.body }
          : { body: req.body }
        : { stream: req }),
      raw: req,
    }).then((response) => send(req, res, response), next);
  });
  return router;
}
