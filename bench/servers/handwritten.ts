/**
 * The floor the HTTP benchmark holds keyward to: the same work keyward does on a rate-limited
 * request, written by hand with nothing general about it — the Bearer token hashed once with
 * SHA-256, a Map lookup of the key, one fixed-window counter, and the two draft-10 headers.
 * No scopes, no expiry, no store deadline, no problem+json: a lower bound, not a product.
 */
import { hash } from "node:crypto";
import { HUGE_LIMIT } from "./serve.js";

/** The one accepted token (keyward-shaped, so the work per request matches). */
export const TOKEN = "sk_bench_0123456789abcdefghijklmnopqrstuvABCDEF";

const WINDOW_MS = 60_000;
const keys = new Map([[hash("sha256", TOKEN, "hex"), { id: "key_1", count: 0, windowStart: 0 }]]);
const POLICY = `"default";q=${HUGE_LIMIT};w=${WINDOW_MS / 1000}`;

/** Null for a rejected request, else the two headers to send. */
export function check(authorization: string | undefined): [policy: string, state: string] | null {
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return null;
  const key = keys.get(hash("sha256", authorization.slice(7), "hex"));
  if (key === undefined) return null;
  const now = Date.now();
  if (now - key.windowStart >= WINDOW_MS) {
    key.windowStart = now - (now % WINDOW_MS);
    key.count = 0;
  }
  if (++key.count > HUGE_LIMIT) return null;
  const reset = Math.ceil((key.windowStart + WINDOW_MS - now) / 1000);
  return [POLICY, `"default";r=${HUGE_LIMIT - key.count};t=${reset}`];
}
