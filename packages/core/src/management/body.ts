/**
 * The management API's request body, read by core itself so that every adapter refuses the
 * same bodies with the same problem+json: a `Content-Encoding` other than identity or a media
 * type other than UTF-8 JSON (415), a body over `bodyLimit` (413, refused from
 * `Content-Length` before anything is read, or counted while streaming and refused as soon as
 * it passes the limit, so a huge body never sits in memory), bytes that are not UTF-8 or JSON
 * that does not parse (400).
 */
import type { HttpResponse, RequestHeaders } from "../http/types.js";
import type { Problems } from "./responses.js";
import type { KeysApiRequest } from "./types.js";

/** `bodyLimit` when none is given: 100 KiB, far above any key's fields. */
export const DEFAULT_BODY_LIMIT = 100 * 1024;

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;

/**
 * Bytes of a `bodyLimit` option: a positive whole number of bytes, or a size such as
 * `"100kb"` or `"1mb"` (1024-based, as Express's body-parser reads it).
 *
 * @throws TypeError naming the option when it is neither
 */
export function parseBodyLimit(value: number | string, option: string): number {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && value > 0) return value;
  } else if (typeof value === "string") {
    const match = SIZE.exec(value.trim());
    if (match) {
      const bytes = Math.floor(Number(match[1]) * UNITS[(match[2] ?? "b").toLowerCase()]!);
      if (Number.isSafeInteger(bytes) && bytes > 0) return bytes;
    }
  }
  throw new TypeError(
    `keyward: option "${option}" must be a positive number of bytes or a size like "100kb", got ${JSON.stringify(value)}`,
  );
}

/** Every value of one header, lines folded or not (case-insensitive name). */
function headerList(headers: RequestHeaders | undefined, name: string): string[] {
  if (headers === undefined) return [];
  if (typeof (headers as Headers).get === "function") {
    const value = (headers as Headers).get(name);
    return value === null ? [] : [value];
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value = record[name] ?? record[Object.keys(record).find((key) => key.toLowerCase() === name) ?? ""];
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : [...value];
}

/** Whether the request declares a body (RFC 9112 §6.3: Content-Length > 0 or Transfer-Encoding). */
function declaresBody(headers: RequestHeaders | undefined): boolean {
  const length = headerList(headers, "content-length")[0];
  if (length !== undefined && length.trim() !== "" && Number(length) > 0) return true;
  return headerList(headers, "transfer-encoding").length > 0;
}

/**
 * Why a `Content-Type` is not UTF-8 JSON, or null when it is: `application/json` or
 * `application/*+json`, with no `charset` or `charset=utf-8` (RFC 8259 §8.1: JSON exchanged
 * between systems is UTF-8).
 */
function mediaTypeError(contentType: string | undefined): string | null {
  if (contentType === undefined) return "no Content-Type";
  const [type, ...parameters] = contentType.split(";");
  const essence = type!.trim().toLowerCase();
  if (
    !(essence === "application/json" || (essence.startsWith("application/") && essence.endsWith("+json")))
  ) {
    return `Content-Type ${essence || "(empty)"}`;
  }
  for (const parameter of parameters) {
    const at = parameter.indexOf("=");
    if (at === -1 || parameter.slice(0, at).trim().toLowerCase() !== "charset") continue;
    const charset = parameter
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return `charset=${charset}`;
  }
  return null;
}

/** Content codings other than identity, lower-case. */
function encodings(headers: RequestHeaders | undefined): string[] {
  return headerList(headers, "content-encoding")
    .flatMap((line) => line.split(","))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
}

type BodyStream = NonNullable<KeysApiRequest["stream"]>;

function isWebStream(source: BodyStream | undefined): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array> | undefined)?.getReader === "function";
}

/** The parts of Node's `Readable` used here (an `IncomingMessage`). */
interface NodeStream extends AsyncIterable<Uint8Array | string> {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  resume(): unknown;
}

function isNodeStream(source: BodyStream): source is NodeStream {
  const candidate = source as Partial<NodeStream>;
  return typeof candidate.on === "function" && typeof candidate.resume === "function";
}

/** The chunks of `source` up to `limit` bytes, or null as soon as it passes the limit. */
async function readUpTo(source: BodyStream, limit: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  const take = (chunk: Uint8Array | string): boolean => {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limit) return false;
    chunks.push(bytes);
    return true;
  };
  if (isWebStream(source)) {
    // A Web stream: cancel it on overflow, which tells the server to stop receiving.
    const reader = source.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!take(value)) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
    }
  } else if (isNodeStream(source)) {
    // A Node stream: on overflow stop listening and let it flow into nothing (nothing more is
    // kept), but do not destroy it: that would destroy the socket the 413 is written to.
    const fits = await new Promise<boolean>((resolve, reject) => {
      const onData = (chunk: Uint8Array | string) => {
        if (take(chunk)) return;
        done();
        source.resume();
        resolve(false);
      };
      const onEnd = () => {
        done();
        resolve(true);
      };
      const onError = (error: unknown) => {
        done();
        reject(error);
      };
      const done = () => {
        source.off("data", onData);
        source.off("end", onEnd);
        source.off("error", onError);
      };
      source.on("data", onData);
      source.on("end", onEnd);
      source.on("error", onError);
      source.resume();
    });
    if (!fits) return null;
  } else {
    const iterator = source[Symbol.asyncIterator]();
    for (;;) {
      const { done, value } = await iterator.next();
      if (done) break;
      if (!take(value)) {
        await iterator.return?.();
        return null;
      }
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The parsed body, or the response that refuses it. */
export type BodyOutcome = { ok: true; value: unknown } | { ok: false; response: HttpResponse };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The request body as UTF-8 text, for endpoints that take other media types than JSON (the
 * form-encoded `POST /token`): `Content-Encoding` other than identity (415), `Content-Length`
 * or streamed bytes over `limit` (413, nothing more read), invalid UTF-8 (400). The media type
 * is the caller's to check. An absent body is `""`.
 */
export async function readRequestText(
  request: KeysApiRequest,
  limit: number,
  problems: Problems,
): Promise<{ ok: true; value: string } | { ok: false; response: HttpResponse }> {
  const tooLarge = () => ({
    ok: false as const,
    response: problems.problem("payload_too_large", `The request body is larger than ${limit} bytes.`),
  });
  const codings = encodings(request.headers);
  if (codings.length > 0) {
    return {
      ok: false,
      response: problems.problem(
        "unsupported_media_type",
        `The request body must not be compressed (Content-Encoding: ${codings.join(", ")}); send it as identity.`,
        undefined,
        { "Accept-Encoding": "identity" },
      ),
    };
  }
  const length = Number(headerList(request.headers, "content-length")[0]);
  if (Number.isFinite(length) && length > limit) return tooLarge();
  if (request.rawBody !== undefined) {
    return new TextEncoder().encode(request.rawBody).byteLength > limit
      ? tooLarge()
      : { ok: true, value: request.rawBody };
  }
  if (typeof request.body === "string") return { ok: true, value: request.body };
  if (request.stream === undefined) return { ok: true, value: "" };
  const bytes = await readUpTo(request.stream, limit);
  if (bytes === null) return tooLarge();
  try {
    return { ok: true, value: utf8.decode(bytes) };
  } catch {
    return {
      ok: false,
      response: problems.invalid("The request body is not valid UTF-8.", [
        { path: "", message: "must be UTF-8" },
      ]),
    };
  }
}

/**
 * Reads, checks and parses the request body, in this order: `Content-Encoding` (415, with
 * `Accept-Encoding: identity` as RFC 9110 §15.5.16 asks), media type and charset (415),
 * `Content-Length` over the limit (413, nothing read), the bytes counted while streaming (413
 * once past the limit), UTF-8 (400), JSON (400). A write that declares a non-JSON media type is
 * refused even when empty: that is what a cross-site HTML form post looks like, so refusing it
 * keeps cookie-authenticated callers safe.
 *
 * The body comes from `request.stream` (read here), `request.rawBody` (text the adapter read)
 * or `request.body` (JSON the framework already parsed; its size is the framework's business).
 */
export async function readRequestBody(
  request: KeysApiRequest,
  write: boolean,
  limit: number,
  problems: Problems,
): Promise<BodyOutcome> {
  const { headers } = request;
  const refuse = (
    code: "payload_too_large" | "unsupported_media_type",
    detail: string,
    responseHeaders?: Record<string, string>,
  ): BodyOutcome => ({ ok: false, response: problems.problem(code, detail, undefined, responseHeaders) });
  const tooLarge = () => refuse("payload_too_large", `The request body is larger than ${limit} bytes.`);

  // A Web stream may carry a body without declaring it (a Request built in code has no
  // Content-Length): read it first, bounded by the limit, to know whether there is one.
  let bytes: Uint8Array | null | undefined;
  const { stream } = request;
  if (request.rawBody === undefined && isWebStream(stream) && !declaresBody(headers)) {
    bytes = await readUpTo(stream, limit);
    if (bytes === null) return tooLarge();
  }
  const present =
    request.rawBody !== undefined
      ? request.rawBody.length > 0
      : bytes != null
        ? bytes.byteLength > 0
        : (stream !== undefined || request.body !== undefined) && declaresBody(headers);
  const contentType = headerList(headers, "content-type")[0];

  if (present) {
    const codings = encodings(headers);
    if (codings.length > 0) {
      return refuse(
        "unsupported_media_type",
        `The request body must not be compressed (Content-Encoding: ${codings.join(", ")}); send it as identity.`,
        { "Accept-Encoding": "identity" },
      );
    }
  }
  if (present || (write && contentType !== undefined)) {
    const wrong = mediaTypeError(contentType);
    if (wrong !== null) {
      return refuse(
        "unsupported_media_type",
        `Send the request body as UTF-8 JSON, with Content-Type: application/json (got ${wrong}).`,
      );
    }
  }
  if (!present) return { ok: true, value: undefined };

  const length = Number(headerList(headers, "content-length")[0]);
  if (Number.isFinite(length) && length > limit) return tooLarge();

  let text: string;
  if (request.rawBody !== undefined) {
    if (new TextEncoder().encode(request.rawBody).byteLength > limit) return tooLarge();
    text = request.rawBody;
  } else if (stream !== undefined) {
    bytes ??= await readUpTo(stream, limit);
    if (bytes === null) return tooLarge();
    if (bytes.byteLength === 0) return { ok: true, value: undefined };
    try {
      text = utf8.decode(bytes);
    } catch {
      return {
        ok: false,
        response: problems.invalid("The request body is not valid UTF-8.", [
          { path: "", message: "must be UTF-8" },
        ]),
      };
    }
  } else {
    return { ok: true, value: request.body };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      response: problems.invalid("The request body is not valid JSON.", [
        { path: "", message: "must be valid JSON" },
      ]),
    };
  }
}
