/**
 * A demo sign-in: the "session" is a cookie holding the organisation id the visitor typed.
 * It stands in for a real auth library (Auth.js, Clerk, WorkOS…) so the settings page has a
 * signed-in customer. Anyone can claim any organisation: never ship this.
 */

/** The cookie that carries the demo session. */
export const SESSION_COOKIE = "keyward_demo_session";

const ORG_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** A valid organisation id, or null. */
export function parseOrg(value: string | null | undefined): string | null {
  return typeof value === "string" && ORG_ID.test(value) ? value : null;
}

/** The signed-in organisation of a request (its session cookie), or null. */
export function sessionOwner(request: Request): string | null {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return parseOrg(decodeURIComponent(rest.join("=")));
  }
  return null;
}
