/**
 * `onReject`: the app's chance to answer a rejection its own way (a legacy convention such as
 * 403 for an invalid key). Core decides the rejection and builds the default response; the
 * hook may return a replacement. Adapters send whatever comes out, so every adapter answers a
 * replaced rejection with the same bytes too.
 */
import type { KeywardErrorCode } from "../errors/index.js";
import type { ApiKey } from "../types.js";
import type { AuthRequest, HttpResponse } from "./types.js";

/** What `onReject` receives about a rejected request. */
export interface AuthRejection {
  /** Why: a verification code, or `invalid_request` for more than one credential. */
  code: KeywardErrorCode;
  /** The status of the default response. */
  status: number;
  /** The problem `detail` of the default response (never contains the token). */
  message: string;
  /** The key, when one was found (scope, address, owner, limit and quota failures); else null. */
  key: ApiKey | null;
  /** The response keyward sends unless `onReject` returns another. */
  response: HttpResponse;
}

/**
 * Replaces a rejection's response with `{ status, headers, body }` (body a string), or returns
 * undefined to keep keyward's. Called for every rejection of the route, before anything is sent.
 */
export type OnReject = (
  rejection: AuthRejection,
  request: AuthRequest,
) => HttpResponse | undefined | Promise<HttpResponse | undefined>;

const isHeaderRecord = (value: unknown): value is Record<string, string> =>
  typeof value === "object" &&
  value !== null &&
  Object.values(value).every((item) => typeof item === "string");

function isResponse(value: unknown): value is HttpResponse {
  if (typeof value !== "object" || value === null) return false;
  const { status, headers, body } = value as Partial<HttpResponse>;
  return (
    Number.isInteger(status) &&
    (status as number) >= 200 &&
    (status as number) <= 599 &&
    isHeaderRecord(headers) &&
    typeof body === "string"
  );
}

/**
 * The response to send for `rejection`: the hook's, when it returns a well-formed one, else the
 * default. A hook that throws or returns something else leaves the default in place — a
 * rejection stays a rejection, and the request never turns into a 500 or a pass.
 */
export async function rejectionResponse(
  onReject: OnReject | null,
  rejection: AuthRejection,
  request: AuthRequest,
): Promise<HttpResponse> {
  if (onReject === null) return rejection.response;
  try {
    const replaced = await onReject(rejection, request);
    return isResponse(replaced)
      ? { status: replaced.status, headers: { ...replaced.headers }, body: replaced.body }
      : rejection.response;
  } catch {
    return rejection.response;
  }
}
