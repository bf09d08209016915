/**
 * The few response shapes of the management API. Errors go through `problemResponse`, the same
 * RFC 9457 builder the authentication step uses, so every adapter sends identical bytes.
 */
import type { KeywardErrorCode } from "../errors/index.js";
import { problemResponse } from "../http/problem.js";
import type { HttpResponse } from "../http/types.js";
import type { ValidationError } from "./validate.js";

/** Headers of every successful answer: key data is private to one caller, never cached. */
const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" } as const;

/** A JSON answer. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers?: Readonly<Record<string, string>>,
): HttpResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** 204: no body, no Content-Type. */
export function emptyResponse(headers?: Readonly<Record<string, string>>): HttpResponse {
  return { status: 204, headers: { "Cache-Control": "no-store", ...headers }, body: "" };
}

/** Builds problem answers with the API's `type` base. */
export interface Problems {
  problem(
    code: KeywardErrorCode,
    detail: string,
    extra?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): HttpResponse;
  invalid(detail: string, errors: readonly ValidationError[]): HttpResponse;
}

/** Problem builders bound to one `typeBase` (undefined: the default). */
export function problems(typeBase: string | undefined): Problems {
  const options = typeBase === undefined ? undefined : { typeBase };
  return {
    problem: (code, detail, extra, headers) => problemResponse(code, detail, extra, headers, options),
    invalid: (detail, errors) => problemResponse("invalid_request", detail, { errors }, undefined, options),
  };
}
