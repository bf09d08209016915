/**
 * `keysRoutes`: the management API as a Fastify plugin. It only translates: the request into a
 * `KeysApiRequest`, the core's `HttpResponse` onto the reply. Every decision is made by
 * `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type KeysApiOptions, type Keyward } from "@keyward/core";
import { checkOptionNames, KEYS_API_OPTION_NAMES, malformedPathResponse } from "@keyward/core/http";
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { REGISTER_OPTION_NAMES } from "./auth.js";

/** Options of {@link keysRoutes}: the keyward instance and those of `createKeysApi()`, with `owner` typed for Fastify. */
export interface KeysRoutesOptions extends Omit<KeysApiOptions, "owner"> {
  /** The instance whose keys are managed. */
  keyward: Keyward;
  /**
   * Who is calling: the owner id whose keys this request may manage, or null when the caller
   * is not signed in (401).
   *
   * @example
   * owner: (request) => request.user?.orgId ?? null
   */
  owner?: (request: FastifyRequest) => string | null | undefined | Promise<string | null | undefined>;
}

/**
 * The management API (`/keys`, `/keys/:id`, `/keys/:id/rotate`, `/keys/:id/revoke`,
 * `/openapi.json`) under the prefix you register it with. It is deliberately not wrapped in
 * fastify-plugin: its body parsing and routes stay inside its own encapsulated context.
 *
 * @example
 * await app.register(keysRoutes, {
 *   prefix: "/api",
 *   keyward,
 *   owner: (request) => request.user?.orgId ?? null,
 *   allowedScopes: ["project:read", "task:*"],
 * });
 */
export const keysRoutes: FastifyPluginAsync<KeysRoutesOptions> = async (fastify, options) => {
  checkOptionNames(options, [...KEYS_API_OPTION_NAMES, "keyward", ...REGISTER_OPTION_NAMES], "keysRoutes");
  const {
    keyward,
    prefix: _p,
    logLevel: _l,
    logSerializers: _s,
    ...apiOptions
  } = options as KeysRoutesOptions & Record<(typeof REGISTER_OPTION_NAMES)[number], unknown>;
  const api = createKeysApi(keyward, apiOptions as KeysApiOptions);
  const prefix = fastify.prefix;

  // Every body reaches core unread: it counts the bytes against `bodyLimit` and checks the
  // media type and JSON itself, so 413 / 415 / 400 are the same problem+json as in the other
  // adapters. Scoped to this plugin's encapsulated context; the app's own parsers are untouched.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const queryStart = request.url.indexOf("?");
    const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    const response = await api({
      method: request.method,
      path: path.slice(prefix.length),
      query: new URLSearchParams(queryStart === -1 ? "" : request.url.slice(queryStart + 1)),
      headers: request.raw.headersDistinct ?? request.headers,
      // The payload our parser handed over (after any preParsing hook), else the raw request.
      stream: (request.body as AsyncIterable<Uint8Array> | undefined) ?? request.raw,
      raw: request,
    });
    // A body refused as too large is not read to its end: close the connection, as Fastify does.
    if (response.status === 413 && !request.raw.complete) reply.header("Connection", "close");
    return (
      reply
        .code(response.status)
        .headers(response.headers)
        // A Buffer, so that Fastify sends the bytes and Content-Type as given (a string payload
        // would get "; charset=utf-8" appended, unlike every other adapter).
        .send(response.body === "" ? undefined : Buffer.from(response.body))
    );
  };
  fastify.all("/*", handler);
};

/**
 * A `frameworkErrors` handler for the Fastify server: Fastify refuses a URL with broken
 * percent-encoding (`/api/keys/%ZZ`) in its router, before any plugin runs, with its own
 * `FST_ERR_BAD_URL` JSON. With this handler it answers the management API's problem+json
 * (400 `invalid_request`) instead, like the other adapters; every other framework error gets
 * Fastify's usual answer.
 *
 * @example
 * const app = Fastify({ frameworkErrors: keysFrameworkErrors });
 * await app.register(keysRoutes, { prefix: "/api", keyward, owner });
 */
export function keysFrameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code !== "FST_ERR_BAD_URL") {
    reply.send(error);
    return;
  }
  const { status, headers, body } = malformedPathResponse();
  // A Buffer, so that the bytes and Content-Type are sent as given (no charset appended).
  reply.code(status).headers(headers).send(Buffer.from(body));
}
