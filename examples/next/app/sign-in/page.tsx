export const metadata = { title: "Sign in · keyward + Next.js" };

// The demo sign-in: type an organisation id, get a session cookie. No password: a stand-in
// for the app's real authentication.
export default async function SignIn({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 480, margin: "3rem auto" }}>
      <h1>Sign in</h1>
      <p>A demo sign-in: any organisation id will do. Its keys live as long as the server.</p>
      <form method="post" action="/api/session">
        {error && <p role="alert">Use letters, digits, “_” and “-” (at most 40).</p>}
        <label htmlFor="org" style={{ display: "block", marginBottom: 4 }}>
          Organisation id
        </label>
        <input id="org" name="org" defaultValue="org_acme" required pattern="[A-Za-z0-9_\-]{1,40}" />{" "}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
