/**
 * The three signature schemes. Each returns null when the request is authentic, else the
 * reason (the problem `detail`). Every comparison of signatures is constant-time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** What a scheme needs: its secrets, the tolerance (s), the clock (ms), the request parts. */
export interface SchemeInput {
  header(name: string): string | null;
  body: Buffer;
  now: number;
  tolerance: number;
}

/** A prepared scheme: secrets are decoded once, at construction. */
export type Scheme = (input: SchemeInput) => string | null;

export const REASONS = {
  missing: (header: string) => `The ${header} header is missing or malformed.`,
  stale: "The signed timestamp is outside the tolerance window; the request may be a replay.",
  mismatch: "No signature matches the request body.",
} as const;

/** Constant-time equality of two ASCII strings (false, without comparing, when lengths differ). */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const hmacHex = (secret: string, ...parts: (string | Buffer)[]): string => {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
};

const outside = (input: SchemeInput, seconds: number): boolean =>
  Math.abs(Math.floor(input.now / 1000) - seconds) > input.tolerance;

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`; no timestamp is signed. */
export function githubScheme(secrets: readonly string[]): Scheme {
  return (input) => {
    const header = input.header("x-hub-signature-256");
    const match = header === null ? null : /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
    if (!match) return REASONS.missing("X-Hub-Signature-256");
    const given = match[1]!.toLowerCase();
    // Every secret is tried (no early exit), so timing does not tell which one matched.
    let ok = false;
    for (const secret of secrets) ok = sameText(hmacHex(secret, input.body), given) || ok;
    return ok ? null : REASONS.mismatch;
  };
}

/**
 * Stripe: `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=…]`
 * (other schemes such as v0 are ignored), with a timestamp tolerance.
 */
export function stripeScheme(secrets: readonly string[]): Scheme {
  return (input) => {
    const header = input.header("stripe-signature");
    let timestamp: string | null = null;
    const signatures: string[] = [];
    for (const item of (header ?? "").split(",")) {
      const at = item.indexOf("=");
      const name = item.slice(0, at).trim();
      const value = item.slice(at + 1).trim();
      if (name === "t") timestamp = value;
      else if (name === "v1") signatures.push(value.toLowerCase());
    }
    if (timestamp === null || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
      return REASONS.missing("Stripe-Signature");
    }
    if (outside(input, Number(timestamp))) return REASONS.stale;
    let ok = false;
    for (const secret of secrets) {
      const expected = hmacHex(secret, `${timestamp}.`, input.body);
      for (const signature of signatures) ok = sameText(expected, signature) || ok;
    }
    return ok ? null : REASONS.mismatch;
  };
}

/**
 * Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
 * (several, space-separated), signed with the `standardwebhooks` package; the timestamp is
 * checked here, against keyward's clock and tolerance.
 *
 * @throws TypeError (at construction) for a secret the package cannot decode
 */
export function standardScheme(secrets: readonly string[]): Scheme {
  const hooks = secrets.map((secret, index) => {
    try {
      return new Webhook(secret);
    } catch {
      throw new TypeError(
        `keyward webhookAuth option "secret${secrets.length > 1 ? `[${index}]` : ""}": expected a Standard Webhooks secret ("whsec_" + base64)`,
      );
    }
  });
  return (input) => {
    const id = input.header("webhook-id");
    const timestamp = input.header("webhook-timestamp");
    const header = input.header("webhook-signature");
    if (id === null || id === "") return REASONS.missing("webhook-id");
    if (timestamp === null || !/^\d{1,12}$/.test(timestamp)) return REASONS.missing("webhook-timestamp");
    const signatures = (header ?? "")
      .split(" ")
      .filter((item) => item.startsWith("v1,"))
      .map((item) => item.slice(3));
    if (signatures.length === 0) return REASONS.missing("webhook-signature");
    if (outside(input, Number(timestamp))) return REASONS.stale;
    const at = new Date(Number(timestamp) * 1000);
    let ok = false;
    for (const hook of hooks) {
      const expected = hook.sign(id, at, input.body).slice(3);
      for (const signature of signatures) ok = sameText(expected, signature) || ok;
    }
    return ok ? null : REASONS.mismatch;
  };
}
