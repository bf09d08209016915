export default function Home() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "3rem auto" }}>
      <h1>keyward + Next.js</h1>
      <p>
        The routes under <code>/api/tasks</code> need an API key; <code>/api/keys</code> mints and manages
        them. See the README for curl lines.
      </p>
    </main>
  );
}
