import "@keyward/react/styles.css";
import { cookies } from "next/headers.js";
import { redirect } from "next/navigation.js";
import { parseOrg, SESSION_COOKIE } from "../../../lib/session.js";
import { Manager } from "./manager.js";

export const metadata = { title: "API keys · keyward + Next.js" };

// /settings/api-keys — the customers' key-management page, for signed-in visitors only.
export default async function ApiKeysPage() {
  const org = parseOrg((await cookies()).get(SESSION_COOKIE)?.value);
  if (org === null) redirect("/sign-in");
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 1040, margin: "2rem auto", padding: "0 1rem" }}
    >
      <header style={{ display: "flex", justifyContent: "space-between", alignItems: "baseline" }}>
        <p>
          Signed in as <strong>{org}</strong>
        </p>
        <form method="post" action="/api/session">
          <input type="hidden" name="signOut" value="1" />
          <button type="submit">Sign out</button>
        </form>
      </header>
      <h1>Settings</h1>
      <Manager />
    </main>
  );
}
