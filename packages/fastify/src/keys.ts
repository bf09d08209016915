/**
 * `keysRoutes`: the management API as a Fastify plugin. It only translates: the request into a
 * `KeysApiRequest`, the core's `HttpResponse` onto the reply. Every decision is made by
 * `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type KeysApiOptions, type Keyward } from "@keyward/core";
import { checkOptionNames, KEYS_API_OPTION_NAMES } from "@keyward/core/http";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
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
  /**
   * Largest request body accepted, in bytes.
   * @defaultValue 102400
   */
  bodyLimit?: number;
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
  checkOptionNames(
    options,
    [...KEYS_API_OPTION_NAMES, "keyward", "bodyLimit", ...REGISTER_OPTION_NAMES],
    "keysRoutes",
  );
  const {
    keyward,
    bodyLimit = 102_400,
    prefix: _p,
    logLevel: _l,
    logSerializers: _s,
    ...apiOptions
  } = options as KeysRoutesOptions & Record<(typeof REGISTER_OPTION_NAMES)[number], unknown>;
  const api = createKeysApi(keyward, apiOptions as KeysApiOptions);
  const prefix = fastify.prefix;

  // Every body arrives as text and core parses it, so malformed JSON and wrong content types
  // get the same problem+json answer as in the other adapters.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", { parseAs: "string", bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const queryStart = request.url.indexOf("?");
    const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    const response = await api({
      method: request.method,
      path: path.slice(prefix.length),
      query: new URLSearchParams(queryStart === -1 ? "" : request.url.slice(queryStart + 1)),
      headers: request.headers,
      ...(typeof request.body === "string" ? { rawBody: request.body } : {}),
      raw: request,
    });
    return reply
      .code(response.status)
      .headers(response.headers)
      .send(response.body === "" ? undefined : response.body);
  };
  fastify.all("/*", handler);
};
