/**
 * `createWebhookVerifier()`: the one implementation behind every adapter's `webhookAuth()`.
 * Options are checked once; each request is verified over its exact raw bytes, and a failure
 * is the same 401 problem+json (`invalid_signature`) in every adapter.
 */
import { describeValue } from "../duration/describe.js";
import { parseDuration } from "../duration/index.js";
import { problemResponse } from "../http/problem.js";
import type { HttpResponse } from "../http/types.js";
import { githubScheme, type Scheme, standardScheme, stripeScheme } from "./providers.js";
import type { WebhookAuthOptions, WebhookProvider, WebhookRequest } from "./types.js";

/** A verified request, or the response to send as is. */
export type WebhookOutcome = { ok: true } | { ok: false; response: HttpResponse };

/** What `webhookAuth()` verifies, as the route table shows it. */
export interface WebhookVerifier {
  readonly provider: WebhookProvider;
  /** Verifies one request. Never throws for a bad request; a failure is a 401 response. */
  (request: WebhookRequest): WebhookOutcome;
}

const KNOWN = new Set(["provider", "secret", "tolerance"]);
const SCHEMES: Record<WebhookProvider, (secrets: readonly string[]) => Scheme> = {
  github: githubScheme,
  stripe: stripeScheme,
  "standard-webhooks": standardScheme,
};
const DEFAULT_TOLERANCE_S = 300;

function fail(option: string, expected: string, value: unknown): never {
  throw new TypeError(
    `keyward webhookAuth option "${option}": expected ${expected}, got ${describeValue(value)}`,
  );
}

function readHeader(headers: WebhookRequest["headers"], name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Builds a webhook verifier. `clock` is for tests (ms).
 *
 * @throws TypeError naming the option: an unknown option, an unknown provider, an empty
 *   secret or list, a Standard Webhooks secret that is not `whsec_<base64>`, a bad tolerance
 * @example
 * const verify = createWebhookVerifier({ provider: "github", secret: process.env.GITHUB_WEBHOOK_SECRET! });
 * const outcome = verify({ headers: req.headers, body: rawBytes });
 * if (!outcome.ok) return send(outcome.response);
 */
export function createWebhookVerifier(
  options: WebhookAuthOptions,
  clock: () => number = Date.now,
): WebhookVerifier {
  if (typeof options !== "object" || options === null)
    fail("options", "an object { provider, secret }", options);
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) {
      throw new TypeError(
        `keyward webhookAuth option "${name}" is unknown (known: provider, secret, tolerance)`,
      );
    }
  }
  const { provider, secret, tolerance = DEFAULT_TOLERANCE_S * 1000 } = options;
  if (typeof provider !== "string" || !Object.hasOwn(SCHEMES, provider)) {
    fail("provider", '"github", "stripe" or "standard-webhooks"', provider);
  }
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(secrets) || secrets.length === 0)
    fail("secret", "a secret or a non-empty list of secrets", secret);
  secrets.forEach((value, index) => {
    if (typeof value !== "string" || value.length === 0) {
      fail(typeof secret === "string" ? "secret" : `secret[${index}]`, "a non-empty string", value);
    }
  });
  const toleranceMs = parseDuration(tolerance, "tolerance");
  if (toleranceMs < 1000) fail("tolerance", "at least 1 second", tolerance);
  const toleranceS = Math.floor(toleranceMs / 1000);
  const scheme = SCHEMES[provider](Object.freeze([...secrets]));

  const verifier = (request: WebhookRequest): WebhookOutcome => {
    const body = typeof request.body === "string" ? Buffer.from(request.body) : Buffer.from(request.body);
    const reason = scheme({
      header: (name) => readHeader(request.headers, name),
      body,
      now: clock(),
      tolerance: toleranceS,
    });
    return reason === null
      ? { ok: true }
      : { ok: false, response: problemResponse("invalid_signature", reason) };
  };
  return Object.assign(verifier, { provider });
}
