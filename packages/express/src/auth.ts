/**
 * `apiKeyAuth()`: keyward's authentication step as Express middleware (Express 4 and 5). It
 * only translates: the Express request into an `AuthRequest`, the outcome back onto `res`.
 * Every decision (credentials, status codes, headers, bodies) is made by `createAuthenticator()`
 * in @keyward/core, so Express answers exactly like every other adapter.
 */
import type { ApiKey, AuthOptions, AuthOutcome, HttpResponse, Keyward, RegisteredOwner } from "@keyward/core";
import {
  AUTH_OPTION_NAMES,
  apiKeyMetadata,
  checkOptionNames,
  createRequestAuthenticator,
  tagRoute,
} from "@keyward/core/http";
import type { NextFunction, Request, RequestHandler, Response } from "express";

declare global {
  namespace Express {
    interface Request {
      /**
       * The key `apiKeyAuth()` verified for this request; `null` when an `optional` route saw no
       * credentials (or a `failOpen` route let it through while the store was down); undefined
       * on routes without `apiKeyAuth()`.
       */
      apiKey?: ApiKey | null;
      /**
       * The key owner's object from keyward's `resolveOwner` (typed by augmenting
       * `KeywardRegister` in "@keyward/core"); null when the key has no owner or keyward no
       * resolver; undefined on routes without `apiKeyAuth()`.
       */
      apiKeyOwner?: RegisteredOwner | null;
    }
  }
}

/** Options of {@link apiKeyAuth}: keyward's `AuthOptions` (scopes, rate limits, optional, …). */
export type ApiKeyAuthOptions<S extends string = string> = AuthOptions<S>;

/** Sends a keyward response as is: status, headers, body bytes (no charset added, no JSON re-encoding). */
function send(res: Response, response: HttpResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/** Copies an outcome onto the response: the rejection is sent, a success goes on to `next()`. */
function apply(req: Request, res: Response, outcome: AuthOutcome, next: NextFunction): void {
  if (!outcome.ok) {
    send(res, outcome.response);
    return;
  }
  const added = outcome.headers;
  for (const name in added) res.setHeader(name, added[name]!);
  req.apiKey = outcome.key;
  req.apiKeyOwner = (outcome.owner ?? null) as RegisteredOwner | null;
  next();
}

/**
 * Express middleware that requires an API key. On success it sets `req.apiKey`, adds the
 * rate-limit headers to the response and calls `next()`; otherwise it answers 400/401/403/429/503
 * with `application/problem+json` and does not call `next()`. Options are validated here, once:
 * a bad option throws a `TypeError` naming it.
 *
 * Use it per route, per router, or both: a route-level `apiKeyAuth()` behind a router-level one
 * re-uses the key the router verified and only adds its own scope check, so limits and quota
 * are charged once per request, by the first `apiKeyAuth()` that runs.
 *
 * @example
 * const keyward = createKeyward({ store: memoryStore() });
 * app.get("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (req, res) => {
 *   res.json({ owner: req.apiKey!.ownerId });
 * });
 *
 * @example
 * // a router protected with one scope, one route inside it with a stricter one
 * const projects = express.Router();
 * projects.use(apiKeyAuth(keyward, { scopes: ["project:read"] }));
 * projects.get("/", listProjects);
 * projects.delete("/:id", apiKeyAuth(keyward, { scopes: ["project:write"] }), deleteProject);
 * app.use("/v1/projects", projects);
 */
export function apiKeyAuth<S extends string>(
  keyward: Keyward<S>,
  options: ApiKeyAuthOptions<NoInfer<S>> = {},
): RequestHandler {
  checkOptionNames(options, AUTH_OPTION_NAMES, "apiKeyAuth()");
  const authenticate = createRequestAuthenticator(keyward, options);
  // The route table (`routeTable(app)`) reads what this middleware requires from its metadata.
  return tagRoute(
    function keywardApiKeyAuth(req: Request, res: Response, next: NextFunction): void {
      // Every header line as sent (req.headers keeps only the first Authorization line); `req.ip`
      // follows the app's "trust proxy" setting.
      const headers = req.headersDistinct ?? req.headers;
      const request = { method: req.method, url: req.originalUrl ?? req.url, headers, ip: req.ip };
      // A key answered in this tick (cached, limits in the memory store) goes on without a promise.
      const outcome = authenticate.now(req, request);
      if (outcome instanceof Promise) outcome.then((settled) => apply(req, res, settled, next), next);
      else apply(req, res, outcome, next);
    },
    apiKeyMetadata(options as ApiKeyAuthOptions),
  );
}
