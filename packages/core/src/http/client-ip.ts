/**
 * The client address a request is checked against (`allowedIps`): the adapter's own address
 * (Express `req.ip` with its `trust proxy`, Fastify `request.ip` with its `trustProxy`), or,
 * when a route names `trustedIpHeader`, that header as set by the proxy in front of the app.
 */
import { isIP } from "node:net";
import { headerLines } from "./credentials.js";
import type { AuthRequest } from "./types.js";

/**
 * The address in `header` (lower-case name): the last entry of a list-valued header such as
 * `X-Forwarded-For` — the one the proxy closest to the app added; entries further left were
 * sent by the client and can be forged. IPv6 in brackets or with a port is not an address
 * here: a header that does not end in a bare IP address gives none.
 */
function fromHeader(request: AuthRequest, header: string): string | undefined {
  const values = headerLines(request.headers, header);
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  const entry = last.slice(last.lastIndexOf(",") + 1).trim();
  return isIP(entry) === 0 ? undefined : entry;
}

/** The address to check, or undefined when neither the adapter nor a trusted header gives one. */
export function clientIp(request: AuthRequest, trustedHeader: string | null): string | undefined {
  if (trustedHeader !== null) return fromHeader(request, trustedHeader);
  const ip = request.ip;
  return typeof ip === "string" && ip !== "" ? ip : undefined;
}
