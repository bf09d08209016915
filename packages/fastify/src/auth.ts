/**
 * `keywardPlugin`: keyward's authentication step for Fastify 5. It only translates: the request
 * into an `AuthRequest`, the outcome onto the reply. Every decision (credentials, status codes,
 * headers, bodies) is made by `createAuthenticator()` in @keyward/core, so Fastify answers
 * exactly like every other adapter.
 */
import type { ApiKey, AuthOptions, AuthOutcome, Keyward, RegisteredOwner } from "@keyward/core";
import {
  AUTH_OPTION_NAMES,
  apiKeyMetadata,
  checkOptionNames,
  createAuthenticator,
  createRequestAuthenticator,
  mergeAuthOptions,
  tagRoute,
} from "@keyward/core/http";
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from "fastify";
import fp from "fastify-plugin";
import { recordRoutes } from "./routes.js";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The key keyward verified for this request; null on routes without auth, when an
     * `optional` route saw no credentials, or when `failOpen` let the request through.
     */
    apiKey: ApiKey | null;
    /**
     * The key owner's object from keyward's `resolveOwner` (typed by augmenting
     * `KeywardRegister` in "@keyward/core"); null without a key, an owner or a resolver.
     */
    apiKeyOwner: RegisteredOwner | null;
  }
  interface FastifyInstance {
    /**
     * A hook (use it as `onRequest` or `preHandler`) that requires an API key with these
     * options on top of the plugin's defaults. Options are validated here, once.
     */
    apiKeyAuth(options?: AuthOptions): ApiKeyHook;
  }
  interface FastifyContextConfig {
    /** Auth for this route: options on top of the plugin's defaults, or false for none. */
    apiKey?: AuthOptions | false;
  }
}

/**
 * A Fastify hook that authenticates the request (usable as `onRequest` or `preHandler`). It is
 * a callback-style hook: a key answered in the same tick (cached, limits in the memory store)
 * goes on to the next hook without any promise.
 */
export type ApiKeyHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void;

/** Options of {@link keywardPlugin}: the keyward instance and default `AuthOptions` for every route. */
export interface KeywardPluginOptions extends AuthOptions {
  keyward: Keyward;
  /**
   * Require a key (with the default options) on every route registered after the plugin in its
   * context, unless the route sets `config: { apiKey: false }`. Off: only routes with
   * `config.apiKey` or an `apiKeyAuth()` hook are protected.
   * @defaultValue false
   */
  protect?: boolean;
}

/**
 * A hook requiring an API key, without the plugin (the plugin's `apiKeyAuth` decorator calls
 * this). Typed scope presets check scope names at compile time.
 *
 * @example
 * app.get("/v1/tasks", { onRequest: apiKeyHook(keyward, { scopes: ["task:read"] }) }, handler);
 */
export function apiKeyHook<S extends string>(
  keyward: Keyward<S>,
  options: AuthOptions<NoInfer<S>> = {},
): ApiKeyHook {
  checkOptionNames(options, AUTH_OPTION_NAMES, "apiKeyHook()");
  const authenticate = createRequestAuthenticator(keyward, options);
  // The route table (`routeTable(app)`) reads what this hook requires from its metadata.
  const hook: ApiKeyHook = function keywardApiKeyAuth(request, reply, done) {
    const outcome = authenticate.now(request, {
      // Every header line as sent (request.headers keeps only the first Authorization line);
      // `request.ip` follows the server's `trustProxy` option.
      method: request.method,
      url: request.url,
      headers: request.raw.headersDistinct ?? request.headers,
      ip: request.ip,
    });
    if (outcome instanceof Promise) outcome.then((settled) => apply(request, reply, settled, done), done);
    else apply(request, reply, outcome, done);
  };
  return tagRoute(hook, apiKeyMetadata(options as AuthOptions));
}

/** Copies an outcome onto the reply: the rejection is sent, a success goes on to the next hook. */
function apply(request: FastifyRequest, reply: FastifyReply, outcome: AuthOutcome, done: () => void): void {
  if (!outcome.ok) {
    const { status, headers, body } = outcome.response;
    // A Buffer, so that Fastify sends the bytes and the Content-Type as given (a string
    // payload would get "; charset=utf-8" appended, unlike every other adapter).
    reply.code(status).headers(headers).send(Buffer.from(body));
    return;
  }
  reply.headers(outcome.headers);
  request.apiKey = outcome.key;
  request.apiKeyOwner = (outcome.owner ?? null) as RegisteredOwner | null;
  done();
}

/** Options with `openapi` pinned to the operation serving this route (one method, one match). */
function pinOperation(options: AuthOptions, route: RouteOptions): AuthOptions {
  const { openapi, operationId } = options;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (openapi === undefined || operationId !== undefined || methods.length !== 1) return options;
  const operation = openapi.match(methods[0] as string, route.url);
  return operation?.operationId === undefined ? options : { ...options, operationId: operation.operationId };
}

function prependOnRequest(route: RouteOptions, hook: ApiKeyHook): void {
  const existing = route.onRequest;
  route.onRequest =
    existing === undefined ? [hook] : [hook, ...(Array.isArray(existing) ? existing : [existing])];
}

/** Options Fastify's `register()` itself reads and passes on to every plugin. */
export const REGISTER_OPTION_NAMES: readonly string[] = Object.freeze([
  "prefix",
  "logLevel",
  "logSerializers",
]);

const plugin: FastifyPluginAsync<KeywardPluginOptions> = async (fastify, pluginOptions) => {
  checkOptionNames(
    pluginOptions,
    [...AUTH_OPTION_NAMES, "keyward", "protect", ...REGISTER_OPTION_NAMES],
    "keywardPlugin",
  );
  const {
    keyward,
    protect = false,
    prefix: _prefix,
    logLevel: _level,
    logSerializers: _serializers,
    ...defaults
  } = pluginOptions as KeywardPluginOptions & Record<(typeof REGISTER_OPTION_NAMES)[number], unknown>;
  if (typeof protect !== "boolean") {
    throw new TypeError(`@keyward/fastify option "protect": expected a boolean, got ${String(protect)}`);
  }
  // Validates the defaults (and the instance) at registration, not on the first request.
  createAuthenticator(keyward, defaults);

  fastify.decorateRequest("apiKey", null);
  fastify.decorateRequest("apiKeyOwner", null);
  fastify.decorate("apiKeyAuth", (options: AuthOptions = {}) => {
    checkOptionNames(options, AUTH_OPTION_NAMES, "fastify.apiKeyAuth()");
    return apiKeyHook(keyward, mergeAuthOptions(defaults, options));
  });
  // Route tables declare auth inline (`config: { apiKey: { scopes: [...] } }`): the hook is
  // built when the route is registered, so a bad option fails at startup.
  // With an OpenAPI document every route is checked against it (unless `config.apiKey: false`),
  // and a route the document describes is pinned to its operation here, at registration.
  const everyRoute = protect || defaults.openapi !== undefined;
  fastify.addHook("onRoute", (route) => {
    const declared = route.config?.apiKey;
    if (declared === false || (declared === undefined && !everyRoute)) return;
    checkOptionNames(declared, AUTH_OPTION_NAMES, `route ${route.url}`, "config.apiKey");
    prependOnRequest(route, apiKeyHook(keyward, pinOperation(mergeAuthOptions(defaults, declared), route)));
  });
  recordRoutes(fastify);
};

/**
 * The Fastify plugin (fastify-plugin, so its decorators and hooks apply to the context that
 * registers it and that context's children — register it inside an encapsulated child to
 * protect only that part of the app). It decorates `request.apiKey`, `fastify.apiKeyAuth(options)`
 * and reads `config.apiKey` from every route registered after it.
 *
 * @example
 * await app.register(keywardPlugin, { keyward });
 * app.get("/v1/tasks", { config: { apiKey: { scopes: ["task:read"] } } }, async (request) => request.apiKey);
 * app.get("/v1/projects", { onRequest: app.apiKeyAuth({ scopes: ["project:read"] }) }, listProjects);
 */
export const keywardPlugin = fp(plugin, { name: "@keyward/fastify", fastify: "5.x" });
