import { parseOrg, SESSION_COOKIE } from "../../../lib/session.js";

// POST /api/session — the demo sign-in form: sets the session cookie and goes to the settings
// page. POST /api/session with `signOut=1` clears it. (A form post, so no JavaScript needed.)
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  if (form?.has("signOut")) {
    return new Response(null, {
      status: 303,
      headers: {
        location: "/sign-in",
        "set-cookie": `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
      },
    });
  }
  const org = parseOrg(String(form?.get("org") ?? ""));
  if (org === null) return new Response(null, { status: 303, headers: { location: "/sign-in?error=1" } });
  return new Response(null, {
    status: 303,
    headers: {
      location: "/settings/api-keys",
      "set-cookie": `${SESSION_COOKIE}=${encodeURIComponent(org)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800`,
    },
  });
}
